"""Writes shared by every app: the audit record."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from shudarga.core.audit_chain import content_of, entry_digest
from shudarga.core.models import AuditChainHead, AuditEntry


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
