"""Writes shared by every app: the audit record, the seals of approved plans and reports,
and the chain entries that seal historical rows."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_manager_for_model

from shudarga.core.audit_chain import (
    ROTATION_ACTION,
    content_of,
    entry_digest,
    head_mac,
)
from shudarga.core.audit_keys import current_key
from shudarga.core.history import ACTIONS, HistoricalBase, organization_of, version_digest
from shudarga.core.http import client_ip
from shudarga.core.models import AuditAnchor, AuditChainHead, AuditEntry, RecordLock, Seal
from shudarga.core.sealing import EVIDENCE_KEYS, canonical_json, content_digest, digest_of_seal

logger = logging.getLogger(__name__)


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _stored_ip(ip: str | None) -> str | None:
    # Stored as the column stores it (IPv6 compressed), so the digest matches a re-read.
    return AuditEntry._meta.get_field("ip").get_prep_value(ip) or None


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
    entry joins the hash chain of `organization_id` (None: the country-wide chain), whose
    head is locked until that transaction ends: audited writes of one organization are
    serialised (a few milliseconds each; keep slow work out of them), those of different
    organizations do not wait for each other.
    """
    is_user = _is_user(actor)
    entry = AuditEntry(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "system")[:150],
        organization_id=int(organization_id) if organization_id is not None else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes or {},
        ip=_stored_ip(ip),
    )
    _chain([entry])
    return entry


def _rotation_entry(head: AuditChainHead, new_key_id: str) -> AuditEntry:
    """The entry that records the chain of `head` moving to a new audit key (`audit_chain`):
    each chain records its own rotation, with its first entry under the new key."""
    return AuditEntry(
        actor=None,
        actor_label="system",
        organization_id=head.organization_id,
        action=ROTATION_ACTION,
        object_type=AuditChainHead._meta.label_lower,
        object_id=str(head.pk),
        object_repr="audit chain",
        changes={"from": head.key_id, "to": new_key_id},
        ip=None,
    )


def _chain_order(organization_id: int | None) -> tuple[bool, int]:
    """Heads are locked in this order (country-wide first, then by organization id), so
    one write touching several chains cannot deadlock with another."""
    return (organization_id is not None, organization_id or 0)


def _chain(entries: Sequence[AuditEntry]) -> None:
    """Append `entries` to their organizations' hash chains (each entry's
    `organization_id`; None: the country-wide chain), in order within each chain, keyed
    with the current audit key: per chain one lock of its head, one insert (or one bulk
    insert), one update of the head. When the key changed since a chain's last entry, an
    `audit.key_rotated` entry goes first in that chain."""
    key = current_key()
    by_chain: dict[int | None, list[AuditEntry]] = defaultdict(list)
    for entry in entries:
        by_chain[entry.organization_id].append(entry)
    # savepoint=False: inside the caller's transaction this adds no SAVEPOINT queries, and a
    # failure here still rolls the caller's change back with it.
    with transaction.atomic(savepoint=False):
        for organization_id in sorted(by_chain, key=_chain_order):
            _chain_into(_lock_chain_head(organization_id), by_chain[organization_id], key)


def _chain_into(head: AuditChainHead, entries: list[AuditEntry], key: Any) -> None:
    """Append `entries` to the chain of `head`, which the caller has locked."""
    if head.key_id != key.id and head.last_entry_id is not None:
        entries = [_rotation_entry(head, key.id), *entries]
    at = timezone.now()  # taken under the lock, so times rise along the chain
    prev_digest = head.digest
    for entry in entries:
        entry.at = at
        entry.key_id = key.id
        entry.chain_id = head.pk
        entry.prev_digest = prev_digest
        entry.digest = prev_digest = entry_digest(content_of(entry), entry.prev_digest, key)
    if len(entries) == 1:
        entries[0].save(force_insert=True)
    else:
        AuditEntry.objects.bulk_create(entries)
        ids = [entry.pk for entry in entries]
        # A chain is read in id order. The head lock keeps its other writers out, and one
        # INSERT numbers its rows in order on SQLite and PostgreSQL; should a database
        # ever do otherwise, fail (and roll back) rather than store a broken chain.
        if None in ids or ids != sorted(ids):
            raise RuntimeError("the database numbered the audit entries out of order")
    head.digest, head.last_entry_id, head.key_id = entries[-1].digest, entries[-1].pk, key.id
    head.mac = head_mac(key, last_entry_id=head.last_entry_id, digest=head.digest)
    head.save(update_fields=["digest", "last_entry_id", "key_id", "mac"])


def _lock_chain_head(organization_id: int | None) -> AuditChainHead:
    """The head of `organization_id`'s chain (None: the country-wide chain), locked until
    the transaction ends (on SQLite the IMMEDIATE transaction already holds the database's
    write lock). Created, empty, with the chain's first entry: two transactions creating
    it at once meet on the unique constraint, and the second then locks the first's row.
    One query when the head exists.
    """
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        organization_id=organization_id, legacy=False
    )
    return head


# -- anchors ------------------------------------------------------------------------------


class AnchorRefused(Exception):
    """The chain does not continue from the last anchor: anchoring it would vouch for a
    rewrite. The message says where it breaks."""


def audit_anchor_take() -> list[AuditAnchor]:
    """Anchor the head of every audit chain that moved since its last anchor (see
    `core.anchors`): per chain a signed row in the database, a line in the anchor file and
    one in the log. Empty when no chain moved.

    Each chain is checked first from its previous anchor on (that anchor's entry must still
    have its digest, and every entry since must chain onto it); a chain that does not hold
    is not anchored, and once the others are, AnchorRefused names every such chain: an
    alarm for the operator, who then runs `shudarga verify_audit --anchors`. Each chain is
    anchored in its own transaction with its head locked, so the anchor is exactly the
    head and one organization's writes wait only for its own anchor.
    """
    newest = AuditAnchor.objects.values("chain_id").annotate(newest=Max("id")).values("newest")
    anchored = {
        chain_id: (last, digest)
        for chain_id, last, digest in AuditAnchor.objects.filter(pk__in=newest).values_list(
            "chain_id", "last_entry_id", "digest"
        )
    }
    # A head that moved, or that stands where it was anchored with another digest (the
    # chain rewritten since: checking it refuses it).
    moved = [
        pk
        for pk, last, digest in AuditChainHead.objects.filter(last_entry_id__isnull=False)
        .order_by("pk")
        .values_list("pk", "last_entry_id", "digest")
        if anchored.get(pk) != (last, digest)
    ]
    rows, refused = [], []
    for chain_id in moved:
        try:
            rows.append(_anchor_chain(chain_id))
        except AnchorRefused as exc:
            refused.append(str(exc))
    if refused:
        raise AnchorRefused("; ".join(refused))
    return rows


@transaction.atomic
def _anchor_chain(chain_id: int) -> AuditAnchor:
    """Check and anchor one chain (see `audit_anchor_take`)."""
    from shudarga.core.anchors import anchor_dict, anchor_file, signed
    from shudarga.core.selectors import audit_chain_check_since

    head = AuditChainHead.objects.select_for_update().get(pk=chain_id)
    previous = (
        AuditAnchor.objects.filter(chain_id=chain_id).order_by("-last_entry_id", "-id").first()
    )
    report = audit_chain_check_since(anchor=previous, chain_id=chain_id)
    if not report.intact:
        where = report.first_break.entry_id
        whose = (
            f"organization id {head.organization_id}"
            if head.organization_id is not None
            else ("legacy" if head.legacy else "country-wide")
        )
        raise AnchorRefused(
            f"the audit chain #{chain_id} ({whose}) does not hold since the last anchor "
            f"(at entry #{where}: {report.first_break.reason}); nothing was anchored"
        )
    now = timezone.now()
    row = AuditAnchor(
        at=now,
        last_entry_id=head.last_entry_id,
        digest=head.digest,
        entries=AuditEntry.objects.filter(chain_id=chain_id).count(),
        chain_id=chain_id,
        organization_id=head.organization_id,
    )
    anchor = signed({k: v for k, v in anchor_dict(row).items() if k not in {"key", "mac"}})
    row.key_id, row.mac = anchor["key"], anchor["mac"]
    row.save()
    line = json.dumps(anchor_dict(row), sort_keys=True)
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    logger.info("audit anchor %s", line, extra={"anchor": anchor_dict(row)})
    return row


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


# -- history -------------------------------------------------------------------------------


def _request() -> Any:
    """The request being served, as django-simple-history's middleware recorded it."""
    return getattr(HistoricalRecords.context, "request", None)


def _request_user() -> Any:
    user = getattr(_request(), "user", None)
    return user if _is_user(user) else None


def _request_ip() -> str | None:
    request = _request()
    return client_ip(request) if request is not None else None


def history_seal(*, rows: Sequence[HistoricalBase], actor: Any) -> None:
    """Seal freshly written historical `rows` in the audit chain: one entry per row, which
    carries the row's digest (see `core.history`). Rows without an id are refused."""
    if not rows:
        return
    is_user = _is_user(actor)
    entries = []
    for row in rows:
        if row.pk is None:
            raise ValueError("a historical row must be saved before it is sealed")
        tracked = row.instance_type._meta
        entries.append(
            AuditEntry(
                actor=actor if is_user else None,
                actor_label=(actor.get_username() if is_user else "system")[:150],
                organization_id=row.history_organization_id,
                action=ACTIONS[row.history_type],
                object_type=row._meta.label_lower,
                object_id=str(row.pk),
                object_repr=f"{tracked.label_lower} #{getattr(row, tracked.pk.attname)}",
                changes={"digest": version_digest(row)},
                ip=_stored_ip(row.history_ip),
            )
        )
    _chain(entries)


def history_prepare(*, history_instance: HistoricalBase, instance: models.Model) -> None:
    """Fill in from where and whose, before django-simple-history saves the row (connected
    to its `pre_create_historical_record` signal)."""
    if history_instance.history_ip is None:
        history_instance.history_ip = _stored_ip(_request_ip())
    history_instance.history_organization_id = organization_of(
        instance, type(history_instance).organization_path
    )


def _bulk_history(
    objs: list[models.Model], *, model: type[models.Model], actor: Any, ip: str | None, update: bool
) -> None:
    """Write and seal one historical row per object of `objs` (already saved)."""
    manager = get_history_manager_for_model(model)
    user = actor if _is_user(actor) else _request_user()
    ip = _stored_ip(ip or _request_ip())
    by_organization: dict[int | None, list[models.Model]] = defaultdict(list)
    for obj in objs:
        by_organization[organization_of(obj, manager.model.organization_path)].append(obj)
    rows: list[HistoricalBase] = []
    for organization_id, group in by_organization.items():
        rows += manager.bulk_history_create(
            group,
            update=update,
            default_user=user,
            custom_historical_attrs={
                "history_ip": ip,
                "history_organization_id": organization_id,
            },
        )
    history_seal(rows=rows, actor=user)


@transaction.atomic
def history_bulk_create(
    objs: Iterable[models.Model], *, model: type[models.Model], actor: Any, ip: str | None = None
) -> list[models.Model]:
    """`bulk_create` that still records (and seals) a version of every row, like
    django-simple-history's `bulk_create_with_history`: a handful of statements however
    many rows. `actor` and `ip` default to the request's."""
    objs = model._default_manager.bulk_create(list(objs))
    if objs:
        _bulk_history(objs, model=model, actor=actor, ip=ip, update=False)
    return objs


@transaction.atomic
def history_bulk_update(
    objs: Iterable[models.Model],
    fields: list[str],
    *,
    model: type[models.Model],
    actor: Any,
    ip: str | None = None,
) -> int:
    """`bulk_update` that still records (and seals) a version of every row, like
    django-simple-history's `bulk_update_with_history`. Returns the rows updated."""
    objs = list(objs)
    if not objs:
        return 0
    updated = model._default_manager.bulk_update(objs, fields)
    _bulk_history(objs, model=model, actor=actor, ip=ip, update=True)
    return updated


# -- record locks -------------------------------------------------------------------------


def record_lock_set(
    *,
    kind: str,
    obj: models.Model,
    organization_id: int,
    plan_id: int,
    start: Any,
    end: Any,
    registers: list[str],
) -> RecordLock:
    """Lock what `obj` (an approved report) covers: see `RecordLock`. Call it in the
    transaction that approves `obj`; the approval's own audit entry records it."""
    lock, _created = RecordLock.objects.update_or_create(
        kind=kind,
        object_id=obj.pk,
        defaults={
            "object_repr": str(obj)[:255],
            "organization_id": organization_id,
            "plan_id": plan_id,
            "start": start,
            "end": end,
            "registers": sorted(registers),
        },
    )
    return lock


def record_lock_release(*, kind: str, object_id: int) -> int:
    """Lift the lock of `object_id` (a report being reopened, with its reason recorded by
    the caller). Returns how many locks were lifted."""
    count, _detail = RecordLock.objects.filter(kind=kind, object_id=object_id).delete()
    return count


def record_lock_check(
    *, organization_id: int, day: Any, plan_ids: Iterable[int], register: str = ""
) -> None:
    """ValidationError (code `locked`) when a record of `organization_id` dated `day`,
    serving measures of `plan_ids` (or of register `register`), falls inside what an
    approval locked. Call it inside the writing transaction, just before the write: it first
    takes the lock of the organization's audit chain, which every approval holds until it
    commits, so a record cannot slip into a report's period while the report is being
    approved. Only the organization's own chain is locked: other organizations' writes go
    on."""
    _lock_chain_head(organization_id)
    plan_ids = set(plan_ids)
    for lock in RecordLock.objects.filter(
        organization_id=organization_id, start__lte=day, end__gte=day
    ).order_by("start", "id"):
        if lock.covers(day=day, plan_ids=plan_ids, register=register):
            raise ValidationError(
                _(
                    "The report “%(what)s” is approved and locked, and this record falls "
                    "inside it (dated %(day)s). Reopen the report, with a reason, to change it."
                )
                % {"what": lock.object_repr or lock.kind, "day": day},
                code="locked",
            )
