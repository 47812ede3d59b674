"""Reads shared by every app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import groupby, islice
from operator import attrgetter
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.audit_chain import (
    ROTATION_ACTION,
    ChainBreak,
    ChainReport,
    Head,
    check_chain,
)
from shudarga.core.audit_keys import known_keys
from shudarga.core.history import ACTION_PREFIX, historical_models, version_digest
from shudarga.core.models import AuditAnchor, AuditChainHead, AuditEntry, RecordLock, Seal
from shudarga.core.sealing import Difference, content_digest, digest_of_seal, seal_fault


def audit_entries_for_object(*, object_type: str, object_id: int | str) -> QuerySet[AuditEntry]:
    """Audit entries about one object, newest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id))


def audit_entries_for_organization(
    *,
    organization_id: int,
    action_prefix: str = "",
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The history of one organization, newest first, with the actor joined for display.

    `action_prefix` keeps actions that start with it (`plan.` for every plan action);
    `object_type` is a model label (`plans.plan`); `date_from`/`date_to` are inclusive days
    in the current time zone. The caller checks that the user may see the organization.
    """
    # The seals of historical rows, and a chain's move to a new key, are the chain's
    # business, not a person's action.
    entries = (
        AuditEntry.objects.filter(organization_id=organization_id)
        .exclude(action__startswith=ACTION_PREFIX)
        .exclude(action=ROTATION_ACTION)
        .select_related("actor")
    )
    if action_prefix:
        entries = entries.filter(action__startswith=action_prefix)
    if object_type:
        entries = entries.filter(object_type=object_type)
    # Days in the current time zone, compared as instants so the index on `at` is used.
    if date_from is not None:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        entries = entries.filter(at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return entries.order_by("-at", "-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


_HEAD_FIELDS = ("last_entry_id", "digest", "key_id", "mac")


def _chain_label(*, chain_id: int, organization_id: int | None, legacy: bool) -> str:
    """Which chain, in words, for `verify_audit`'s messages."""
    if legacy:
        return "the legacy chain (entries from before chains per organization)"
    if organization_id is None:
        return f"the country-wide chain (#{chain_id})"
    return f"the chain of organization id {organization_id} (#{chain_id})"


def _read_head(chain_id: int) -> Head | None:
    head = AuditChainHead.objects.filter(pk=chain_id).values(*_HEAD_FIELDS).first()
    return Head(**head) if head else None


def _check_one_chain(
    chain_id: int, head: dict[str, Any] | None, entries: Iterator[AuditEntry], keys: dict
) -> ChainReport:
    """Check the chain `chain_id` (its head row `head`, as read before the walk; None when
    there is none) and name it in the break."""
    first_read = [Head(**{f: head[f] for f in _HEAD_FIELDS})] if head else []

    def read_head() -> Head | None:
        return first_read.pop() if first_read else _read_head(chain_id)

    legacy = bool(head and head["legacy"])
    organization = None if head is None or legacy else (head["organization_id"],)
    report = check_chain(entries, read_head=read_head, keys=keys, organization=organization)
    if report.first_break is None:
        return report
    organization_id = head["organization_id"] if head else None
    found = replace(
        report.first_break,
        chain_id=chain_id,
        organization_id=organization_id,
        chain=_chain_label(chain_id=chain_id, organization_id=organization_id, legacy=legacy),
    )
    return ChainReport(report.checked, found, (found,))


def audit_chain_check(*, chunk_size: int = 2000) -> ChainReport:
    """Walk every audit chain (one per organization, the country-wide one and the legacy
    one) in id order, `chunk_size` entries in memory at a time, and report each chain's
    first break (see `audit_chain.check_chain`): `first_break` is the first of them,
    `breaks` all. Two queries (the heads, then every entry by chain) and a head read when a
    chain grew while it was walked."""
    keys = known_keys()
    # The heads are read before the entries: each chain must reach its head (entries cut
    # off the end), and entries appended meanwhile are told by a second read of their head.
    heads = {
        row["id"]: row
        for row in AuditChainHead.objects.values("id", "organization_id", "legacy", *_HEAD_FIELDS)
    }
    entries = AuditEntry.objects.order_by("chain_id", "id").iterator(chunk_size=chunk_size)
    checked, breaks, seen = 0, [], set()
    for chain_id, chain_entries in groupby(entries, key=attrgetter("chain_id")):
        seen.add(chain_id)
        report = _check_one_chain(chain_id, heads.get(chain_id), chain_entries, keys)
        checked += report.checked
        breaks += report.breaks
    for chain_id in sorted(set(heads) - seen):  # a chain whose entries were all deleted
        report = _check_one_chain(chain_id, heads[chain_id], iter(()), keys)
        breaks += report.breaks
    return ChainReport(
        checked, breaks[0] if breaks else None, tuple(breaks), chains=len(set(heads) | seen)
    )


def audit_anchors_published() -> QuerySet[AuditAnchor]:
    """Every anchor of the audit chains, newest first (the public transparency page)."""
    return AuditAnchor.objects.order_by("-at", "-id")


def audit_chain_check_since(
    *, anchor: AuditAnchor | None, chain_id: int, chunk_size: int = 2000
) -> ChainReport:
    """Check the audit chain `chain_id` from `anchor` (its last anchor) on, or the whole
    chain when None: the anchored entry must still have the anchored digest, and every entry
    after it must chain onto it, up to the head. What the daily anchor checks before it
    vouches for the head."""
    head = (
        AuditChainHead.objects.filter(pk=chain_id)
        .values("id", "organization_id", "legacy", *_HEAD_FIELDS)
        .first()
    )
    entries = AuditEntry.objects.filter(chain_id=chain_id)
    if anchor is None:
        return _check_one_chain(
            chain_id, head, entries.order_by("id").iterator(chunk_size), known_keys()
        )
    found = AuditEntry.objects.filter(pk=anchor.last_entry_id).values("digest", "key_id").first()
    if found is None or found["digest"] != anchor.digest:
        what = "is gone" if found is None else "no longer has the anchored digest"
        return ChainReport(
            0,
            ChainBreak(anchor.last_entry_id, f"the entry the last anchor recorded {what}"),
        )
    first_read = [Head(**{f: head[f] for f in _HEAD_FIELDS})] if head else []
    return check_chain(
        entries.filter(pk__gt=anchor.last_entry_id).order_by("id").iterator(chunk_size=chunk_size),
        read_head=lambda: first_read.pop() if first_read else _read_head(chain_id),
        keys=known_keys(),
        after=(anchor.last_entry_id, anchor.digest, found["key_id"]),
        organization=None if head is None or head["legacy"] else (head["organization_id"],),
    )


# -- seals --------------------------------------------------------------------------------


def seal_latest(*, kind: str, object_id: int) -> Seal | None:
    """The seal in force for one plan or report (its newest), with the sealer. One query."""
    return (
        Seal.objects.filter(kind=kind, object_id=object_id)
        .select_related("sealed_by")
        .order_by("-sealed_at", "-id")
        .first()
    )


def seal_exists(*, kind: str, object_id: int) -> bool:
    """Whether the plan or report was ever sealed. One query."""
    return Seal.objects.filter(kind=kind, object_id=object_id).exists()


def seals_of_object(*, kind: str, object_id: int) -> QuerySet[Seal]:
    """Every seal of one plan or report, newest first: its history of approvals."""
    return (
        Seal.objects.filter(kind=kind, object_id=object_id)
        .select_related("sealed_by")
        .order_by("-sealed_at", "-id")
    )


def seals_to_verify(
    *, seal_ids: list[int] | None = None, organization_ids: list[int] | None = None
) -> QuerySet[Seal]:
    """Seals by id, or of some organizations, or all of them; oldest first."""
    seals = Seal.objects.select_related("sealed_by").order_by("sealed_at", "id")
    if seal_ids is not None:
        seals = seals.filter(pk__in=seal_ids)
    if organization_ids is not None:
        seals = seals.filter(organization_id__in=organization_ids)
    return seals


def seal_newer_id(*, seal: Seal) -> int | None:
    """The id of the newest seal of the same object when `seal` is not the newest."""
    newest = seal_latest(kind=seal.kind, object_id=seal.object_id)
    return newest.pk if newest is not None and newest.pk != seal.pk else None


def seal_row_faults(*, seal: Seal) -> list[Difference]:
    """What is wrong with the seal row itself: its content does not hash to its content
    digest, or its fields to its digest (the row was edited). No query."""
    faults = []
    if content_digest(seal.content) != seal.content_digest:
        faults.append(seal_fault(_("the sealed content does not match its digest: it was edited")))
    if digest_of_seal(seal) != seal.digest:
        faults.append(seal_fault(_("the seal's fields do not match its digest: it was edited")))
    return faults


def seal_audit_faults(*, seal: Seal) -> list[Difference]:
    """Whether the audit log (whose chain `verify_audit` checks) recorded this seal with
    this digest. A seal rewritten with a fresh digest, or slipped in, is caught here. One
    query."""
    entries = AuditEntry.objects.filter(
        action=f"{seal.kind}.sealed", object_id=str(seal.object_id)
    ).values_list("changes", flat=True)
    recorded = [c.get("digest") for c in entries if c.get("seal") == seal.pk]
    if not recorded:
        return [seal_fault(_("the audit log has no record of this seal"))]
    if seal.digest not in recorded:
        return [
            seal_fault(
                _("the audit log recorded another digest for this seal: it was rewritten"),
                before=str(recorded[0])[:12],
                after=seal.digest[:12],
            )
        ]
    return []


def audit_action_since(
    *, object_type: str, object_id: int, actions: tuple[str, ...], since: dt.datetime
) -> bool:
    """Whether the audit log has one of `actions` on the object at or after `since`. One
    query."""
    return AuditEntry.objects.filter(
        object_type=object_type, object_id=str(object_id), action__in=actions, at__gte=since
    ).exists()


@dataclass(frozen=True)
class VersionBreak:
    """A historical row that does not match the audit chain, and why."""

    model: str  # the historical model's label, `plans.historicalmeasure`
    history_id: int
    reason: str


@dataclass(frozen=True)
class HistoryReport:
    checked: int
    first_break: VersionBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def history_check(*, chunk_size: int = 2000) -> HistoryReport:
    """Check every historical row against the digest its audit entry sealed (see
    `core.history`), `chunk_size` rows in memory at a time, and report the first row that
    was edited, deleted, or added without a seal. Trust it only when `audit_chain_check`
    passes: the seals are as good as the chain that holds them.
    """
    checked = 0
    for model in historical_models():
        label = model._meta.label_lower
        rows = model._default_manager
        seals = (
            AuditEntry.objects.filter(object_type=label, action__startswith=ACTION_PREFIX)
            .order_by("id")
            .values_list("id", "object_id", "changes")
        )
        # Every seal has its row, with the content it sealed.
        for chunk in _chunks(seals.iterator(chunk_size=chunk_size), chunk_size):
            found = rows.in_bulk([int(object_id) for _id, object_id, _c in chunk])
            for entry_id, object_id, changes in chunk:
                row = found.get(int(object_id))
                if row is None:
                    reason = f"is gone, though audit entry #{entry_id} sealed it: it was deleted"
                    return HistoryReport(checked, VersionBreak(label, int(object_id), reason))
                if version_digest(row) != (changes or {}).get("digest"):
                    reason = (
                        f"does not match the digest audit entry #{entry_id} sealed: it was edited"
                    )
                    return HistoryReport(checked, VersionBreak(label, row.pk, reason))
                checked += 1
        # Every row has a seal.
        ids = rows.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=chunk_size)
        for chunk in _chunks(ids, chunk_size):
            sealed = set(
                AuditEntry.objects.filter(
                    object_type=label,
                    action__startswith=ACTION_PREFIX,
                    object_id__in=[str(pk) for pk in chunk],
                ).values_list("object_id", flat=True)
            )
            for pk in chunk:
                if str(pk) not in sealed:
                    reason = "has no audit entry: it was added behind the application's back"
                    return HistoryReport(checked, VersionBreak(label, pk, reason))
    return HistoryReport(checked, None)


# -- record locks -------------------------------------------------------------------------


def record_locks_of(*, organization_id: int) -> list[RecordLock]:
    """The organization's locks (one per approved report), oldest period first: read once
    per page, then asked per record with `lock_covering`. One query."""
    return list(RecordLock.objects.filter(organization_id=organization_id).order_by("start", "id"))


def lock_covering(
    locks: Iterable[RecordLock], *, day: Any, plan_ids: Iterable[int], register: str = ""
) -> RecordLock | None:
    """The first of `locks` that holds a record dated `day` serving measures of `plan_ids`
    (or in register `register`); None when the record may change. No query."""
    plan_ids = set(plan_ids)
    return next(
        (lock for lock in locks if lock.covers(day=day, plan_ids=plan_ids, register=register)),
        None,
    )
