"""Reads shared by every app."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from shudarga.core.audit_chain import ChainReport, Head, check_chain
from shudarga.core.models import AuditChainHead, AuditEntry


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
    entries = AuditEntry.objects.filter(organization_id=organization_id).select_related("actor")
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


def audit_chain_check(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the whole audit chain in id order, `chunk_size` entries in memory at a time, and
    report the first entry where it breaks (see `audit_chain.check_chain`)."""

    def read_head() -> Head | None:
        head = AuditChainHead.objects.filter(pk=1).values("last_entry_id", "digest").first()
        return Head(**head) if head else None

    entries = AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size)
    return check_chain(entries, read_head=read_head)
