"""What waits for one person, by role, across the organizations where they hold a role:
reports to review, score or approve, reports sent back, petitions they handle (due soon
or overdue), plans to approve or publish, and their own measures due, criteria not met and
evidence missing. The start page ("My work") lists it first.

Organizations are those where the person holds a role themselves: a parent body's leader
sees its agencies' pages but is not handed their work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.criteria.rules import Kind, Status
from shudarga.criteria.selectors import MyMeasure, measures_of_person
from shudarga.organizations.access import Access
from shudarga.organizations.models import Membership, Organization
from shudarga.petitions.models import Petition
from shudarga.petitions.selectors import due_soon_days
from shudarga.plans.models import Plan
from shudarga.registers.registry import REGISTERS
from shudarga.reports.models import Report, ReportEvent

# Measures and reports due within this many days are listed as waiting.
SOON_DAYS = 14

# Groups of the start page, in the order they are shown (most pressing first).
GROUPS = {
    "review": gettext_lazy("Reports to review and score"),
    "approve": gettext_lazy("Reports to approve"),
    "in_review": gettext_lazy("Reports under review, then yours to approve"),
    "parent": gettext_lazy("Subordinate organizations' reports to evaluate"),
    "returned": gettext_lazy("Reports sent back to you"),
    "report_due": gettext_lazy("Reports to write and submit"),
    "petition": gettext_lazy("Petitions"),
    "plan": gettext_lazy("Plans to approve or publish"),
    "measure": gettext_lazy("Your measures due soon"),
    "criterion": gettext_lazy("Criteria not met"),
    "evidence": gettext_lazy("Evidence missing"),
}


@dataclass
class Waiting:
    group: str
    title: str
    url: str
    organization: Organization
    day: dt.date | None = None
    detail: str = ""
    overdue: bool = False
    soon: bool = False


@dataclass
class Inbox:
    today: dt.date
    items: list[Waiting] = field(default_factory=list)
    measures: list[MyMeasure] = field(default_factory=list)
    overdue_petitions: list[Petition] = field(default_factory=list)
    overdue_reports: list[Report] = field(default_factory=list)
    # Whether the person holds a role that is given measures (coordinator, officer).
    holds_measures: bool = False

    @property
    def groups(self) -> list[tuple[str, str, list[Waiting]]]:
        """(key, label, items) of every group that has items, in `GROUPS` order."""
        result = []
        for key, label in GROUPS.items():
            rows = [i for i in self.items if i.group == key]
            if rows:
                rows.sort(key=lambda i: (i.day or dt.date.max, i.title))
                result.append((key, str(label), rows))
        return result

    @property
    def count(self) -> int:
        return len(self.items)


def _own_organizations(user: Any) -> dict[int, tuple[Organization, Access]]:
    """Organizations where `user` holds a role themselves, each with their `Access` there.
    One query."""
    roles: dict[int, set[str]] = {}
    organizations: dict[int, Organization] = {}
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        organizations[membership.organization_id] = membership.organization
        roles.setdefault(membership.organization_id, set()).add(membership.role)
    result = {}
    for pk, organization in organizations.items():
        access = Access(organization_id=pk, roles=frozenset(roles[pk]))
        organization.access = access
        result[pk] = (organization, access)
    return result


def _report_items(inbox: Inbox, orgs: dict[int, tuple[Organization, Access]]) -> None:
    """Reports waiting for a step of this person. Two queries: the reports, then the last
    "sent back" step of the drafts."""
    today = inbox.today
    relevant = [
        pk
        for pk, (_o, a) in orgs.items()
        if a.writes_reports or a.reviews_reports or a.approves_reports
    ]
    if not relevant:
        return
    reports = list(
        Report.objects.filter(
            plan__organization_id__in=relevant,
            status__in=[Report.Status.DRAFT, Report.Status.SUBMITTED, Report.Status.REVIEWED],
        ).select_related("plan")
    )
    returned: dict[int, ReportEvent] = {}
    drafts = [r.pk for r in reports if r.status == Report.Status.DRAFT]
    if drafts:
        for event in ReportEvent.objects.filter(report_id__in=drafts).order_by("at", "id"):
            if event.action == ReportEvent.Action.REOPENED:
                returned[event.report_id] = event
            else:
                returned.pop(event.report_id, None)
    for report in reports:
        organization, access = orgs[report.plan.organization_id]
        report.plan.organization = organization
        title = f"{report.plan.year} · {report.get_period_display()}"
        common = {"url": report.get_absolute_url(), "organization": organization}
        if report.status == Report.Status.SUBMITTED:
            if access.reviews_reports:
                inbox.items.append(
                    Waiting(
                        "review",
                        title,
                        detail=_("Score each due measure, then mark it reviewed."),
                        **common,
                    )
                )
            elif access.approves_reports:
                inbox.items.append(
                    Waiting("in_review", title, detail=_("The reviewer scores it first."), **common)
                )
        elif report.status == Report.Status.REVIEWED and access.approves_reports:
            inbox.items.append(
                Waiting("approve", title, detail=_("Reviewed and scored: approve it."), **common)
            )
        elif report.status == Report.Status.DRAFT and access.writes_reports:
            event = returned.get(report.pk)
            if event is not None:
                inbox.items.append(
                    Waiting(
                        "returned",
                        title,
                        detail=_("Sent back: %(reason)s") % {"reason": event.reason},
                        day=report.due_date,
                        overdue=report.due_date < today,
                        **common,
                    )
                )
            elif report.due_date <= today + dt.timedelta(SOON_DAYS):
                inbox.items.append(
                    Waiting(
                        "report_due",
                        title,
                        detail=_("Due on %(day)s.") % {"day": f"{report.due_date:%Y-%m-%d}"},
                        day=report.due_date,
                        overdue=report.due_date < today,
                        soon=report.due_date >= today,
                        **common,
                    )
                )
            if report.due_date < today:
                inbox.overdue_reports.append(report)


def _parent_items(inbox: Inbox, orgs: dict[int, tuple[Organization, Access]]) -> None:
    """Reports of the organizations directly below one where the person reviews or approves
    reports, sent and waiting for that parent body's evaluation (none yet, or being
    evaluated): the parent body scores them (issue 18). One query, none without such a
    role."""
    from shudarga.reports.evaluation import EVALUABLE
    from shudarga.reports.models import ParentEvaluation

    parents = [pk for pk, (_o, a) in orgs.items() if a.reviews_reports or a.approves_reports]
    if not parents:
        return
    waiting = (
        Report.objects.filter(plan__organization__parent_id__in=parents, status__in=EVALUABLE)
        .exclude(
            parent_evaluation__status__in=[
                ParentEvaluation.Status.APPROVED,
                ParentEvaluation.Status.RETURNED,
            ]
        )
        .select_related("plan__organization")
        .order_by("due_date", "id")
    )
    for report in waiting:
        organization = report.plan.organization
        inbox.items.append(
            Waiting(
                "parent",
                f"{organization.name} · {report.plan.year} · {report.get_period_display()}",
                url=report.get_absolute_url(),
                organization=organization,
                day=report.due_date,
                detail=_("Score each due measure for the parent body, then approve or return."),
            )
        )


def _petition_items(inbox: Inbox, user: Any, orgs: dict[int, tuple[Organization, Access]]) -> None:
    """Open petitions given to this person, and those nobody handles yet in organizations
    where they handle petitions. One query."""
    handling = [pk for pk, (_o, a) in orgs.items() if a.handles_petitions]
    if not handling:
        return
    soon = inbox.today + dt.timedelta(due_soon_days())
    petitions = Petition.objects.filter(
        Q(assigned_to=user) | Q(assigned_to__isnull=True),
        organization_id__in=handling,
        resolved_on__isnull=True,
    ).only("id", "organization_id", "year", "number", "subject", "due_on", "assigned_to_id")
    for petition in petitions.order_by("due_on", "id"):
        organization, _access = orgs[petition.organization_id]
        petition.organization = organization
        overdue = petition.due_on < inbox.today
        if overdue and petition.assigned_to_id:
            inbox.overdue_petitions.append(petition)
        detail = (
            _("Nobody handles it yet: assign it.")
            if not petition.assigned_to_id
            else _("Answer by %(day)s.") % {"day": f"{petition.due_on:%Y-%m-%d}"}
        )
        inbox.items.append(
            Waiting(
                "petition",
                f"№ {petition.registration_no} {petition.subject[:80]}",
                url=petition.get_absolute_url(),
                organization=organization,
                day=petition.due_on,
                detail=detail,
                overdue=overdue,
                soon=not overdue and petition.due_on <= soon,
            )
        )


def _plan_items(inbox: Inbox, orgs: dict[int, tuple[Organization, Access]]) -> None:
    """Draft plans of this year or later for those who approve plans; approved ones for
    those who publish them. One query."""
    wanted = Q()
    approvers = [pk for pk, (_o, a) in orgs.items() if a.may("plan.approve")]
    publishers = [pk for pk, (_o, a) in orgs.items() if a.may("plan.publish")]
    if approvers:
        wanted |= Q(organization_id__in=approvers, status=Plan.Status.DRAFT)
    if publishers:
        wanted |= Q(organization_id__in=publishers, status=Plan.Status.APPROVED)
    if not wanted:
        return
    for plan in Plan.objects.filter(wanted, year__gte=inbox.today.year).order_by("year", "id"):
        organization, access = orgs[plan.organization_id]
        plan.organization = organization
        if plan.status == Plan.Status.DRAFT and access.may("plan.approve"):
            detail = _("A draft: read it and approve it.")
        elif plan.status == Plan.Status.APPROVED and access.may("plan.publish"):
            detail = _("Approved: publish it on the public portal.")
        else:
            continue
        inbox.items.append(
            Waiting(
                "plan",
                plan.title,
                url=plan.get_absolute_url(),
                organization=organization,
                detail=detail,
            )
        )


def _measure_items(inbox: Inbox, user: Any, orgs: dict[int, tuple[Organization, Access]]) -> None:
    """This person's own measures: due within SOON_DAYS, criteria not met, evidence
    missing. `measures_of_person`'s queries (a fixed number per plan)."""
    inbox.measures = measures_of_person(user=user, today=inbox.today)
    horizon = inbox.today + dt.timedelta(SOON_DAYS)
    for mine in inbox.measures:
        organization, access = orgs.get(mine.plan.organization_id, (mine.plan.organization, None))
        # What the start page offers next to the measure: record a register row of the
        # register that usually serves it, or attach evidence.
        mine.may_record = access is not None and access.may("records.edit")
        spec = next((s for s in REGISTERS.values() if mine.measure.code in s.measure_codes), None)
        mine.record_url = (
            reverse("registers:create", args=[organization.code, spec.key])
            + f"?measure={mine.measure.pk}"
            if spec is not None
            else ""
        )
        url = (
            reverse("criteria:progress", args=[organization.code, mine.plan.pk])
            + f"#m-{mine.measure.code}"
        )
        title = f"{mine.measure.code}. {mine.measure.text[:90]}"
        if mine.next_due is not None and mine.next_due <= horizon:
            inbox.items.append(
                Waiting(
                    "measure",
                    title,
                    url=url,
                    organization=organization,
                    day=mine.next_due,
                    detail=_("Due on %(day)s.") % {"day": f"{mine.next_due:%Y-%m-%d}"},
                    soon=True,
                )
            )
        not_met = [s for s in mine.open_criteria if s.evaluation.status == Status.NOT_MET]
        evidence = [s for s in not_met if s.rule.kind == Kind.EVIDENCE]
        others = [s for s in not_met if s.rule.kind != Kind.EVIDENCE]
        if others:
            inbox.items.append(
                Waiting(
                    "criterion",
                    title,
                    url=url,
                    organization=organization,
                    detail="; ".join(s.criterion.text[:70] for s in others[:2])
                    + (f" (+{len(others) - 2})" if len(others) > 2 else ""),
                )
            )
        if evidence:
            inbox.items.append(
                Waiting(
                    "evidence",
                    title,
                    organization=organization,
                    url=reverse("evidence:add", args=[organization.code])
                    + f"?plan={mine.plan.pk}&measure={mine.measure.pk}",
                    detail=_("Attach the evidence the criterion asks for."),
                )
            )


def inbox_for_user(*, user: Any, today: dt.date) -> Inbox:
    """Everything waiting for `user` on `today` (see the module's docstring). A fixed number
    of queries for any number of reports and petitions; the person's measures cost
    `plan_evaluate`'s queries per plan they have measures in."""
    inbox = Inbox(today=today)
    orgs = _own_organizations(user)
    if not orgs:
        return inbox
    inbox.holds_measures = any(a.may("records.edit") for _o, a in orgs.values())
    _report_items(inbox, orgs)
    _parent_items(inbox, orgs)
    _petition_items(inbox, user, orgs)
    _plan_items(inbox, orgs)
    _measure_items(inbox, user, orgs)
    return inbox
