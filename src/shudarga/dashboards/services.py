"""Writes of the dashboards: calendar feed tokens, notifications, the daily reminder digest,
and starting next year's plan from this year's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.services import audit_record
from shudarga.criteria.models import CriterionRule
from shudarga.criteria.services import criterion_rule_save
from shudarga.dashboards.inbox import Inbox
from shudarga.dashboards.models import CalendarFeed, ReminderDigest
from shudarga.dashboards.selectors import (
    Obligation,
    measure_years,
    obligations,
    unfinished_measures,
)
from shudarga.notifications.events import labels
from shudarga.notifications.services import notify
from shudarga.organizations.selectors import organizations_for_user
from shudarga.petitions.models import Petition
from shudarga.petitions.notices import petition_overdue_notify
from shudarga.plans.models import Criterion, Measure, Plan
from shudarga.plans.selectors import plan_to_document
from shudarga.plans.services import measure_assign, plan_create_from_document

REMIND_DAYS = 7  # what falls due within this many days is in the digest
OVERDUE_DAYS = 90  # overdue petitions and reports are repeated for this long


# -- calendar feeds ------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(
    *, user: Any, organization: Any = None, ip: str | None = None
) -> CalendarFeed:
    """A new secret feed URL for `user`: their own deadlines, or with `organization` (one
    they see) everything of that organization. Any earlier feed of the same kind is
    revoked (one live feed each); `replaced` on the result says whether there was one."""
    replaced = calendar_feed_revoke(user=user, organization=organization, ip=ip)
    feed = CalendarFeed(user=user, organization=organization, token=secrets.token_urlsafe(32))
    feed.full_clean()
    feed.save()
    audit_record(
        actor=user,
        action="calendar_feed.created",
        obj=feed,
        organization_id=organization.pk if organization else None,
        ip=ip,
    )
    feed.replaced = bool(replaced)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: Any, organization: Any = None, ip: str | None = None) -> int:
    """Revoke `user`'s live feeds of that kind (theirs, or `organization`'s); returns how
    many were live."""
    live = list(
        CalendarFeed.objects.select_for_update().filter(
            user=user, organization=organization, revoked_at__isnull=True
        )
    )
    now = timezone.now()
    for feed in live:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        audit_record(
            actor=user,
            action="calendar_feed.revoked",
            obj=feed,
            organization_id=feed.organization_id,
            ip=ip,
        )
    return len(live)


# -- notifications and reminders ---------------------------------------------------------


def overdue_notify(*, inbox: Inbox, user: Any) -> None:
    """Tell `user` (once per deadline) of the petitions and reports their `inbox` found
    overdue: the event of a deadline passing has no request of its own, so it is noticed
    at the person's next look, or by the daily reminders, whichever comes first."""
    petition_overdue_notify(petitions=inbox.overdue_petitions, today=inbox.today)
    for report in inbox.overdue_reports:
        notify(
            users=[user],
            event="report.overdue",
            key=f"report.overdue:{report.pk}:{report.due_date:%Y-%m-%d}",
            params={
                "title": labels(lambda report=report: str(report)),
                "due": report.due_date.isoformat(),
            },
            url=report.get_absolute_url(),
            organization_id=report.plan.organization_id,
        )


def reminder_items(*, user: Any, today: dt.date) -> list[Obligation]:
    """What `user` is reminded of on `today`: their obligations due in the next REMIND_DAYS
    days, and their petitions and reports already overdue (they stay until done)."""
    items = obligations(
        organizations=list(organizations_for_user(user=user)),
        date_from=today - dt.timedelta(OVERDUE_DAYS),
        date_to=today + dt.timedelta(REMIND_DAYS),
        person=user,
    )
    return [o for o in items if o.day >= today or o.kind != "measure"]


def _digest_text(items: list[Obligation], today: dt.date, base_url: str) -> str:
    lines = [_("What is due soon or overdue, as of %(day)s:") % {"day": f"{today:%Y-%m-%d}"}, ""]
    for item in items:
        mark = _("OVERDUE") + " " if item.day < today else ""
        lines.append(f"- {mark}{item.day:%Y-%m-%d} · {item.organization.name} · {item.title}")
        lines.append(f"  {base_url}{item.url}")
    return "\n".join(lines)


def reminders_send(*, today: dt.date, base_url: str = "") -> dict[str, int]:
    """Send each active person with something due one digest e-mail for `today`, and the
    same as an in-app notification.

    At most one digest per person and day, across reruns and app servers: the digest row
    is inserted first, under a unique (user, day) constraint, in the same transaction as
    the notification and the e-mail; a second run hits the constraint and skips. If the
    e-mail fails the transaction rolls back, so the next run tries again.

    Petitions that went overdue since are notified to their handlers first (once per
    deadline), for those who do not open Shudarga that day.
    """
    with transaction.atomic():
        petition_overdue_notify(
            petitions=list(
                Petition.objects.filter(resolved_on__isnull=True, due_on__lt=today).select_related(
                    "organization", "assigned_to"
                )
            ),
            today=today,
        )
    sent = skipped = 0
    users = get_user_model().objects.filter(is_active=True, memberships__isnull=False).distinct()
    for user in users.order_by("pk"):
        if not user.email:
            continue
        if ReminderDigest.objects.filter(user=user, day=today).exists():
            skipped += 1
            continue
        items = reminder_items(user=user, today=today)
        if not items:
            continue
        try:
            with transaction.atomic():
                digest = ReminderDigest.objects.create(user=user, day=today, items=len(items))
                overdue = sum(1 for i in items if i.day < today)
                text = _("%(n)s deadlines soon, %(overdue)s overdue") % {
                    "n": len(items) - overdue,
                    "overdue": overdue,
                }
                notify(
                    users=[user],
                    event="reminder.digest",
                    key=f"reminder.digest:{today:%Y-%m-%d}",
                    params={"soon": len(items) - overdue, "overdue": overdue},
                    url=items[0].url if items else "",
                    email=False,  # the digest below is the e-mail
                )
                send_mail(
                    subject=_("Shudarga: %(text)s") % {"text": text},
                    message=_digest_text(items, today, base_url),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[user.email],
                )
                digest.sent_at = timezone.now()
                digest.save(update_fields=["sent_at"])
                audit_record(
                    actor=None,
                    action="reminder.sent",
                    obj=digest,
                    organization_id=None,
                    changes={"items": len(items)},
                )
        except IntegrityError:  # another process sent it a moment ago
            skipped += 1
            continue
        sent += 1
    return {"sent": sent, "skipped": skipped}


# -- year rollover -------------------------------------------------------------------------


def _same_day(day: dt.date | None, year: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


@transaction.atomic
def plan_rollover(
    *, plan: Plan, year: int, actor: Any, today: dt.date, ip: str | None = None
) -> Plan:
    """Start `year`'s plan from `plan`: goals, activities, measures and criteria as a draft
    (through `plan_create_from_document`), then each measure's assignment (dates moved to the
    new year) and each confirmed criterion rule. Measures not finished in `plan` are listed
    in the new plan's warnings."""
    if year <= plan.year:
        raise ValidationError(_("The new plan must be for a later year."))
    if Plan.objects.filter(organization_id=plan.organization_id, year=year).exists():
        raise ValidationError(
            _("The organization already has a plan for %(year)s.") % {"year": year}
        )
    unfinished = unfinished_measures(plan=plan, today=today)
    old_measures = list(
        Measure.objects.filter(plan=plan)
        .select_related("responsible_person")
        .prefetch_related("units", "criteria")
    )
    document = plan_to_document(plan=plan)
    warnings = [
        _("Measure %(code)s was not finished in %(year)s: %(why)s.")
        % {"code": m.code, "year": plan.year, "why": unfinished[m.pk]}
        for m in old_measures
        if m.pk in unfinished
    ]
    # "2023 оны 1-р улиралд" copied into 2024's plan: the coordinator changes it.
    warnings += [
        _("Measure %(code)s writes the year %(years)s: change it for %(year)s.")
        % {"code": m.code, "years": ", ".join(map(str, years)), "year": year}
        for m in old_measures
        if (years := measure_years(m, before=year))
    ]
    document = dataclasses.replace(
        document,
        year=year,
        title=document.title.replace(str(plan.year), str(year)),
        approved_on=None,
        warnings=warnings,
    )
    new_plan = plan_create_from_document(
        organization=plan.organization,
        document=document,
        actor=actor,
        source_name=f"{plan.title} ({plan.year})",
        ip=ip,
    )
    new_measures = {m.code: m for m in Measure.objects.filter(plan=new_plan).select_related("plan")}
    for old in old_measures:
        new = new_measures.get(old.code)
        if new is None:
            continue
        measure_assign(
            measure=new,
            actor=actor,
            units=list(old.units.all()),
            responsible_person=old.responsible_person,
            due_date=_same_day(old.due_date, year),
            recurrence=old.recurrence,
            scheduled_dates=[
                d
                for d in (_same_day(dt.date.fromisoformat(x), year) for x in old.scheduled_dates)
                if d is not None
            ],
            ip=ip,
        )
    new_criteria = {
        (c.measure.code, c.position): c
        for c in Criterion.objects.filter(measure__plan=new_plan).select_related("measure")
    }
    for stored in CriterionRule.objects.filter(criterion__measure__plan=plan).select_related(
        "criterion__measure"
    ):
        target = new_criteria.get((stored.criterion.measure.code, stored.criterion.position))
        if target is not None:
            criterion_rule_save(
                criterion=target,
                rule=stored.as_rule(),
                actor=actor,
                organization_id=plan.organization_id,
                ip=ip,
            )
    audit_record(
        actor=actor,
        action="plan.rolled_over",
        obj=new_plan,
        organization_id=plan.organization_id,
        changes={"from_plan": plan.pk, "unfinished": len(unfinished)},
        ip=ip,
    )
    return new_plan
