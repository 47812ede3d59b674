"""Writes shared by every app: the audit record and seals."""

from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from shudarga.core.audit_chain import content_of, entry_digest
from shudarga.core.models import AuditChainHead, AuditEntry, Seal
from shudarga.core.sealing import EVIDENCE_KEYS, canonical_json, content_digest, digest_of_seal


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    organization_id: int | None,
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Record that `actor` (a user, or None for the system) did `action` to `obj`.

    Call it inside the same transaction as the change so both land or neither does. The
    entry joins the hash chain: the chain head is locked until that transaction ends, so
    audited writes are serialised (a few milliseconds each; keep slow work out of them).
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "system")[:150],
        organization_id=int(organization_id) if organization_id is not None else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes or {},
        # Stored as the column stores it (IPv6 compressed), so the digest matches a re-read.
        ip=AuditEntry._meta.get_field("ip").get_prep_value(ip) or None,
    )
    # savepoint=False: inside the caller's transaction this adds no SAVEPOINT queries, and a
    # failure here still rolls the caller's change back with it.
    with transaction.atomic(savepoint=False):
        head = _lock_chain_head()
        entry.at = timezone.now()  # taken under the lock, so times rise along the chain
        entry.prev_digest = head.digest
        entry.digest = entry_digest(content_of(entry), entry.prev_digest)
        entry.save(force_insert=True)
        head.digest, head.last_entry_id = entry.digest, entry.pk
        head.save(update_fields=["digest", "last_entry_id"])
    return entry


def _lock_chain_head() -> AuditChainHead:
    """The chain head row, locked until the transaction ends (on SQLite the IMMEDIATE
    transaction already holds the database's write lock).

    The migration creates the row; should it be missing (a test database flushed between
    tests), it is created from the last entry, so an intact log stays intact.
    """

    def last(field: str) -> Any:
        entry = AuditEntry.objects.order_by("-id").values(field).first()
        return entry[field] if entry else None

    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1,
        defaults={
            "digest": lambda: last("digest") or "",
            "last_entry_id": lambda: last("id"),
        },
    )
    return head


@transaction.atomic
def seal_create(
    *,
    kind: str,
    obj: models.Model,
    organization_id: int,
    actor: Any,
    content: Any,
    evidence: list[dict[str, Any]],
    ip: str | None = None,
) -> Seal:
    """Seal `obj` (a plan or report, `kind`) as it is now: `content` is its exported JSON
    (any JSON-able value), `evidence` the files it refers to, each a dict with the keys
    `sealing.EVIDENCE_KEYS`. Call it in the transaction that approves `obj`.

    The seal's digest goes into the audit chain (action `<kind>.sealed` on `obj`), so the
    seal row cannot be rewritten without `verify_audit` or `verify_seal` noticing.
    """
    if kind not in Seal.Kind.values:
        raise ValueError(f"unknown seal kind {kind!r}")
    for entry in evidence:
        if set(entry) != set(EVIDENCE_KEYS):
            raise ValueError(f"sealed evidence needs exactly the keys {EVIDENCE_KEYS}")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    text = canonical_json(content)
    seal = Seal(
        kind=kind,
        object_id=obj.pk,
        object_repr=str(obj)[:255],
        organization_id=organization_id,
        sealed_at=timezone.now(),
        sealed_by=actor if is_user else None,
        sealed_by_label=(actor.get_username() if is_user else "system")[:150],
        content=text,
        content_digest=content_digest(text),
        # As the JSON column gives it back, so the digest matches a re-read.
        evidence=json.loads(canonical_json(evidence)),
    )
    seal.digest = digest_of_seal(seal)
    seal.full_clean()
    seal.save()
    audit_record(
        actor=actor,
        action=f"{kind}.sealed",
        obj=obj,
        organization_id=organization_id,
        changes={
            "seal": seal.pk,
            "digest": seal.digest,
            "content_digest": seal.content_digest,
            "evidence": len(evidence),
        },
        ip=ip,
    )
    return seal
