"""Reads for the dashboards: one organization at a glance, every descendant of a parent body
in one table, and every dated obligation (the calendar, the iCalendar feed, reminders).

Numbers come from the other apps' selectors (criteria evaluation, report scores, petition
deadlines); this module only gathers and groups them, in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.models import AuditEntry
from shudarga.core.selectors import audit_entries_for_organization
from shudarga.criteria.rules import Status
from shudarga.criteria.selectors import plan_evaluate, plan_period
from shudarga.dashboards.models import CalendarFeed, OrganizationSummary
from shudarga.dashboards.summary import fresh_summaries, overdue_counts
from shudarga.dashboards.summary import goal_percents as summary_goal_percents
from shudarga.organizations.models import Membership, Organization
from shudarga.organizations.roles import Action, role_allows
from shudarga.petitions.models import Petition
from shudarga.petitions.selectors import petition_due_counts
from shudarga.plans.models import Goal, Measure, Plan
from shudarga.plans.schedule import EVERY_PERIOD
from shudarga.plans.selectors import plan_goals_for_page
from shudarga.reports.models import Report, ReportItem
from shudarga.reports.periods import PERIOD_CHOICES, PERIOD_KEYS, measure_is_due
from shudarga.reports.scale import format_percent, mean_percent, mean_percent_of_sum
from shudarga.reports.selectors import ReportSummary, report_list_for_organization

DEADLINE_DAYS = 30
RECENT_ACTIVITY = 10


def criteria_percent(*, met: int, not_met: int) -> Decimal | None:
    """Share of due criteria that are met, truncated to one decimal like report scores;
    None when no criterion is due yet. Criteria judged by people, those not yet due and
    those with nothing to check ("every contract…" without contracts) are left out: they
    are neither a success nor a failure, as ХБ is left out of a report's percent."""
    return mean_percent([100] * met + [0] * not_met)


def _latest_plans(organization_ids: list[int]) -> dict[int, Plan]:
    """Each organization's latest plan (latest year, newest import): one query."""
    latest: dict[int, Plan] = {}
    for plan in Plan.objects.filter(organization_id__in=organization_ids).order_by(
        "organization_id", "-year", "-created_at", "-id"
    ):
        latest.setdefault(plan.organization_id, plan)
    return latest


# -- one organization --------------------------------------------------------------------


@dataclass
class GoalProgress:
    goal: Goal
    met: int = 0
    not_met: int = 0
    not_yet_due: int = 0
    nothing_to_check: int = 0
    manual: int = 0

    @property
    def percent(self) -> Decimal | None:
        return criteria_percent(met=self.met, not_met=self.not_met)

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def total(self) -> int:
        return self.met + self.not_met + self.not_yet_due + self.nothing_to_check + self.manual


@dataclass
class Dashboard:
    organization: Organization
    today: dt.date
    plan: Plan | None = None
    counts: dict[str, int] = field(default_factory=dict)
    goals: list[GoalProgress] = field(default_factory=list)
    latest_report: ReportSummary | None = None
    idle_measures: list[Measure] = field(default_factory=list)
    measure_count: int = 0
    petitions: dict[str, int] = field(default_factory=dict)
    deadlines: list[Obligation] = field(default_factory=list)
    activity: list[AuditEntry] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return criteria_percent(
            met=self.counts.get(Status.MET, 0), not_met=self.counts.get(Status.NOT_MET, 0)
        )

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)


def organization_dashboard(*, organization: Organization, today: dt.date) -> Dashboard:
    """Where the organization's latest plan stands on `today`.

    Criteria statuses over the plan's year so far (`plan_evaluate`), per goal; the latest
    report that has scores; measures with nothing recorded; open petitions overdue and due
    soon; obligations of the next DEADLINE_DAYS days; the last RECENT_ACTIVITY audit entries.
    A fixed number of queries (the evaluation's, one per register, a few more).
    """
    board = Dashboard(organization=organization, today=today)
    board.petitions = petition_due_counts(organization=organization, today=today)
    board.deadlines = obligations(
        organizations=[organization],
        date_from=today,
        date_to=today + dt.timedelta(DEADLINE_DAYS),
    )
    board.activity = list(
        audit_entries_for_organization(organization_id=organization.pk)[:RECENT_ACTIVITY]
    )
    plan = _latest_plans([organization.pk]).get(organization.pk)
    if plan is None:
        return board
    plan.organization = organization
    board.plan = plan
    evaluation = plan_evaluate(plan=plan, today=today)
    board.counts = evaluation.counts()
    measures = [m for g in evaluation.goals for m in g.measures.all()]
    board.measure_count = len(measures)
    for goal in evaluation.goals:
        progress = GoalProgress(goal=goal)
        for measure in goal.measures.all():
            for criterion in measure.criteria.all():
                status = evaluation.by_criterion[criterion.pk].evaluation.status
                if status == Status.MET:
                    progress.met += 1
                elif status == Status.NOT_MET:
                    progress.not_met += 1
                elif status == Status.NOT_YET_DUE:
                    progress.not_yet_due += 1
                elif status == Status.NOTHING_TO_CHECK:
                    progress.nothing_to_check += 1
                else:
                    progress.manual += 1
        board.goals.append(progress)
    # "Nothing recorded" by the facts the criteria were evaluated on: rows linked to the
    # measure, the organization's rows its criteria count, its evidence.
    board.idle_measures = [m for m in measures if not evaluation.recorded(m)]
    for listed_plan, summaries in report_list_for_organization(organization=organization):
        if listed_plan.pk == plan.pk:
            scored = [s for s in summaries if s.percent is not None]
            board.latest_report = scored[-1] if scored else None
    return board


# -- the parent body's view ----------------------------------------------------------------


@dataclass
class ChildRow:
    organization: Organization
    plan: Plan | None = None
    reports: dict[str, Report] = field(default_factory=dict)
    latest: ReportSummary | None = None
    goal_percents: dict[int, Decimal | None] = field(default_factory=dict)
    overdue_measures: int = 0
    overdue_petitions: int = 0

    @property
    def score(self) -> Decimal | None:
        return self.latest.percent if self.latest else None

    @property
    def late(self) -> bool:
        return bool(self.overdue_measures or self.overdue_petitions)


@dataclass
class ParentOverview:
    organization: Organization
    today: dt.date
    rows: list[ChildRow]
    goal_numbers: list[int]
    periods: list[str]
    paginator: Paginator | None = None
    page_obj: Page | None = None

    @property
    def total(self) -> int:
        return self.paginator.count if self.paginator else len(self.rows)

    @property
    def period_columns(self) -> list[tuple[str, str]]:
        """(key, label) of each period column of the submission matrix."""
        labels = dict(PERIOD_CHOICES)
        return [(p, str(labels[p])) for p in self.periods]


def report_percents(reports: list[Report]) -> dict[int, tuple[Decimal | None, dict]]:
    """Per report with scored due items: its percent and the percent of each goal number,
    as `report_list_for_organization` counts them, summed by the database per report and
    goal. `reports` must have their `plan` set. A fixed number of queries."""
    # An item's `due` is fixed when its report is submitted, so scored items almost always
    # have it; the rare one without is judged here.
    sums: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    scored = ReportItem.objects.filter(report__in=reports, score__isnull=False)
    for report_id, goal_number, total, count in (
        scored.filter(due=True)
        .values("report_id", "measure__goal__number")
        .annotate(total=Sum("score"), count=Count("pk"))
        .values_list("report_id", "measure__goal__number", "total", "count")
        .order_by()
    ):
        pair = sums[report_id][goal_number]
        pair[0] += total
        pair[1] += count
    ends = {r.pk: plan_period(plan=r.plan, name=r.period).end for r in reports}
    year_of = {r.pk: r.plan.year for r in reports}
    for report_id, score, recurrence, due_date, dates, goal_number in scored.filter(
        due__isnull=True
    ).values_list(
        "report_id",
        "score",
        "measure__recurrence",
        "measure__due_date",
        "measure__scheduled_dates",
        "measure__goal__number",
    ):
        if measure_is_due(
            recurrence=recurrence,
            due_date=due_date,
            year=year_of[report_id],
            period_end=ends[report_id],
            dates=dates,
        ):
            pair = sums[report_id][goal_number]
            pair[0] += score
            pair[1] += 1
    result = {}
    for report_id, by_goal in sums.items():
        total = sum(t for t, _n in by_goal.values())
        count = sum(n for _t, n in by_goal.values())
        result[report_id] = (
            mean_percent_of_sum(total=total, count=count),
            {n: mean_percent_of_sum(total=t, count=c) for n, (t, c) in by_goal.items()},
        )
    return result


# The parent view's sorts: each row's key; ties keep the order by name.
SORTS = {
    "name": lambda r: r.name,
    "plan": lambda r: r.plan_status,
    "report": lambda r: r.latest_status,
    "score": lambda r: Decimal(-1) if r.percent is None else r.percent,
    "measures": lambda r: r.overdue_measures,
    "petitions": lambda r: r.overdue_petitions,
}


@dataclass
class _Line:
    """What sorting and filtering the parent view reads of one summary."""

    organization_id: int
    name: str
    plan_status: str
    latest_status: str
    percent: Decimal | None
    periods: str
    goals: str
    overdue_measures: int = 0
    overdue_petitions: int = 0


def parent_overview(
    *,
    organization: Organization,
    today: dt.date,
    q: str = "",
    plan_status: str = "",
    late_only: bool = False,
    sort: str = "name",
    descending: bool = False,
    page: int | str = 1,
    per_page: int | None = None,
) -> ParentOverview:
    """Every descendant of `organization` with its latest plan's status, the reports of that
    plan (status by period), the latest scored report and its score, overdue measures (a
    first due date passed and nothing recorded) and overdue open petitions; per goal number,
    the score of the latest scored report (the heat map).

    The rows come from the descendants' summaries (`dashboards.summary`: recomputed first
    for organizations that changed since): their sortable columns in one query, the day's
    overdue counts in two grouped ones, sorted and filtered here (a few milliseconds for
    3,000), then the chosen page's rows with their plans and reports. The query count does
    not depend on the number of descendants. With `per_page`, `rows` is one page
    (`paginator` and `page_obj` say which); without, every row (the XLSX export).
    """
    summaries, _recomputed = fresh_summaries(organization, q=q)
    if plan_status:
        summaries = summaries.filter(plan_status="" if plan_status == "none" else plan_status)
    lines = [
        _Line(*values)
        for values in summaries.values_list(
            "organization_id",
            "organization__name",
            "plan_status",
            "latest_status",
            "percent",
            "periods",
            "goals",
        )
    ]
    measures, petitions = overdue_counts(summaries, today)
    for line in lines:
        line.overdue_measures = measures.get(line.organization_id, 0)
        line.overdue_petitions = petitions.get(line.organization_id, 0)
    if late_only:
        lines = [x for x in lines if x.overdue_measures or x.overdue_petitions]
    lines.sort(key=lambda x: (x.name, x.organization_id))
    lines.sort(key=SORTS.get(sort, SORTS["name"]), reverse=descending)
    periods = {p for x in lines for p in x.periods.split(",") if p}
    goal_numbers = {int(n) for x in lines for n in x.goals.split(",") if n}
    paginator = page_obj = None
    chosen = lines
    if per_page is not None:
        paginator = Paginator(lines, per_page)
        page_obj = paginator.get_page(page)
        chosen = list(page_obj.object_list)
    return ParentOverview(
        organization=organization,
        today=today,
        rows=_child_rows(chosen),
        goal_numbers=sorted(goal_numbers),
        periods=sorted(periods or {"h1", "year"}, key=PERIOD_KEYS.index),
        paginator=paginator,
        page_obj=page_obj,
    )


def _child_rows(lines: list[_Line]) -> list[ChildRow]:
    """The rows of `lines`, with their organizations, plans and reports: three queries."""
    by_id = OrganizationSummary.objects.select_related("organization").in_bulk(
        [x.organization_id for x in lines]
    )
    summaries = [by_id[x.organization_id] for x in lines]
    plans = Plan.objects.in_bulk([s.plan_id for s in summaries if s.plan_id])
    reports: dict[int, dict[str, Report]] = defaultdict(dict)
    report_by_id = {}
    for report in Report.objects.filter(plan_id__in=list(plans)):
        report.plan = plans[report.plan_id]
        reports[report.plan_id][report.period] = report
        report_by_id[report.pk] = report
    rows = []
    for summary, line in zip(summaries, lines, strict=True):
        plan = plans.get(summary.plan_id)
        latest = report_by_id.get(summary.latest_report_id)
        rows.append(
            ChildRow(
                organization=summary.organization,
                plan=plan,
                reports=dict(reports[plan.pk]) if plan else {},
                latest=ReportSummary(report=latest, percent=summary.percent) if latest else None,
                goal_percents=summary_goal_percents(summary) if latest else {},
                overdue_measures=line.overdue_measures,
                overdue_petitions=line.overdue_petitions,
            )
        )
    return rows


# -- dated obligations ---------------------------------------------------------------------


# Days a reviewer has to score a submitted report, and a leader to approve a reviewed one:
# the review steps' dates in the calendar (REPORT_REVIEW_DAYS).
DEFAULT_REVIEW_DAYS = 10


def review_days() -> int:
    return int(getattr(settings, "REPORT_REVIEW_DAYS", DEFAULT_REVIEW_DAYS))


@dataclass(frozen=True)
class Obligation:
    day: dt.date
    kind: str  # "measure", "report", "review", "approval" or "petition"
    title: str
    organization: Organization
    url: str
    uid: str  # stable across runs, for the iCalendar feed and reminders


def obligations(
    *,
    organizations: list[Organization],
    date_from: dt.date,
    date_to: dt.date,
    person: Any = None,
) -> list[Obligation]:
    """Every dated obligation of `organizations` between `date_from` and `date_to` (both
    included), by date: each due date of each measure (from its recurrence; measures
    assessed in every period have no date of their own), the due date of each report not
    yet submitted, the review steps of reports under way (score a submitted report, approve
    a reviewed one, each REPORT_REVIEW_DAYS after the step before), deadlines of open
    petitions.

    With `person`, only theirs: measures they are responsible for, petitions assigned to
    them, and the report steps their roles in each organization take (writing and
    submitting, reviewing, approving). Four queries.
    """
    by_id = {o.pk: o for o in organizations}
    result: list[Obligation] = []
    # A measure carried out throughout the year or as things arise has no date of its own:
    # it is assessed in every report, whose due date is listed.
    measures = (
        Measure.objects.filter(
            plan__organization_id__in=list(by_id), plan__year__range=(date_from.year, date_to.year)
        )
        .exclude(recurrence__in=EVERY_PERIOD)
        .select_related("plan")
    )
    if person is not None:
        measures = measures.filter(responsible_person=person)
    for measure in measures.order_by("plan_id", "position"):
        org = by_id[measure.plan.organization_id]
        measure.plan.organization = org
        days = measure.due_dates()
        result.extend(
            Obligation(
                day=day,
                kind="measure",
                title=f"{measure.code} {measure.text[:120]}",
                organization=org,
                url=measure.plan.get_absolute_url(),
                uid=f"measure-{measure.pk}-{day:%Y%m%d}",
            )
            for day in days
            if date_from <= day <= date_to
        )
    result.extend(_report_steps(by_id, date_from, date_to, person))
    petitions = Petition.objects.filter(
        Q(resolved_on__isnull=True) | Q(resolved_on__gt=date_to),
        organization_id__in=list(by_id),
        due_on__range=(date_from, date_to),
    )
    if person is not None:
        petitions = petitions.filter(assigned_to=person)
    for petition in petitions.only("id", "organization_id", "year", "number", "subject", "due_on"):
        org = by_id[petition.organization_id]
        petition.organization = org
        result.append(
            Obligation(
                day=petition.due_on,
                kind="petition",
                title=f"{petition} {petition.subject[:100]}",
                organization=org,
                url=petition.get_absolute_url(),
                uid=f"petition-{petition.pk}-{petition.due_on:%Y%m%d}",
            )
        )
    result.sort(key=lambda o: (o.day, o.kind, o.title))
    return result


def _report_steps(
    by_id: dict[int, Organization], date_from: dt.date, date_to: dt.date, person: Any
) -> list[Obligation]:
    """Report steps of `by_id`'s organizations dated within the range: writing a draft (its
    due date), reviewing a submitted report and approving a reviewed one (REVIEW_DAYS after
    the step before). With `person`, only the steps their roles there take. Two queries."""
    step_actions = {
        "report": Action.EDIT_REPORT,
        "review": Action.REVIEW_REPORT,
        "approval": Action.APPROVE_REPORT,
    }
    allowed: dict[int, set[str]] | None = None
    if person is not None:
        allowed = {}
        for org_id, role in Membership.objects.filter(
            user=person, organization_id__in=list(by_id)
        ).values_list("organization_id", "role"):
            allowed.setdefault(org_id, set()).update(
                kind for kind, action in step_actions.items() if role_allows(role, action)
            )
    days = dt.timedelta(review_days())
    # A step is dated from the one before, which may lie before `date_from`.
    reports = Report.objects.filter(
        Q(status=Report.Status.DRAFT, due_date__range=(date_from, date_to))
        | Q(
            status=Report.Status.SUBMITTED,
            submitted_at__date__range=(date_from - days, date_to - days),
        )
        | Q(
            status=Report.Status.REVIEWED,
            reviewed_at__date__range=(date_from - days, date_to - days),
        ),
        plan__organization_id__in=list(by_id),
    ).select_related("plan")
    result = []
    for report in reports:
        org = by_id[report.plan.organization_id]
        report.plan.organization = org
        if report.status == Report.Status.DRAFT:
            kind, day = "report", report.due_date
            title = _("Report due: %(report)s") % {"report": report}
        elif report.status == Report.Status.SUBMITTED:
            kind, day = "review", timezone.localtime(report.submitted_at).date() + days
            title = _("Review and score: %(report)s") % {"report": report}
        else:
            kind, day = "approval", timezone.localtime(report.reviewed_at).date() + days
            title = _("Approve: %(report)s") % {"report": report}
        if allowed is not None and kind not in allowed.get(org.pk, set()):
            continue
        if not date_from <= day <= date_to:
            continue
        result.append(
            Obligation(
                day=day,
                kind=kind,
                title=title,
                organization=org,
                url=report.get_absolute_url(),
                uid=f"{kind}-{report.pk}-{day:%Y%m%d}",
            )
        )
    return result


def calendar_feed_for_token(*, token: str) -> CalendarFeed | None:
    """The live (not revoked) feed with `token`, with its user and organization; None
    otherwise."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeed.objects.select_related("user", "organization")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def calendar_feed_for_user(
    *, user: Any, organization: Organization | None = None
) -> CalendarFeed | None:
    """The user's live feed: their own (no `organization`) or that organization's."""
    return CalendarFeed.objects.filter(
        user=user, organization=organization, revoked_at__isnull=True
    ).first()


# -- year rollover -------------------------------------------------------------------------


def unfinished_measures(*, plan: Plan, today: dt.date) -> dict[int, str]:
    """Measures of `plan` not finished: with a criterion not met or nothing recorded. Maps
    the measure id to why."""
    evaluation = plan_evaluate(plan=plan, today=today)
    measures = [m for g in evaluation.goals for m in g.measures.all()]
    result = {}
    for measure in measures:
        statuses = [evaluation.by_criterion[c.pk].evaluation.status for c in measure.criteria.all()]
        if not evaluation.recorded(measure):
            result[measure.pk] = str(_("nothing recorded"))
        elif Status.NOT_MET in statuses:
            result[measure.pk] = str(_("a criterion not met"))
    return result


_YEAR_RE = re.compile(r"(?<!\d)(19[9]\d|2[01]\d\d)(?!\d)")


def years_written(texts: Iterable[str], *, before: int) -> list[int]:
    """Years before `before` written in `texts` ("2023 оны 1-р улиралд"): in a plan rolled
    into `before`, each is most likely last year's and needs changing."""
    found = {int(m) for text in texts for m in _YEAR_RE.findall(text or "")}
    return sorted(year for year in found if year < before)


def measure_years(measure: Measure, *, before: int) -> list[int]:
    """`years_written` in a measure's text and criteria (prefetched)."""
    return years_written([measure.text, *(c.text for c in measure.criteria.all())], before=before)


@dataclass
class RolloverRow:
    code: str
    old: Measure | None
    new: Measure | None
    unfinished: str = ""
    years: list[int] = field(default_factory=list)  # earlier years written in the new text

    @property
    def changed(self) -> bool:
        if self.old is None or self.new is None:
            return True
        return (
            self.old.text != self.new.text
            or [c.text for c in self.old.criteria.all()]
            != [c.text for c in self.new.criteria.all()]
            or self.old.target != self.new.target
        )


def rollover_comparison(*, old: Plan, new: Plan, today: dt.date) -> list[RolloverRow]:
    """The measures of two years side by side by code, with what was left unfinished in
    `old`. A fixed number of queries (two plans' goals, the old plan's evaluation)."""
    unfinished = unfinished_measures(plan=old, today=today)
    olds = {m.code: m for g in plan_goals_for_page(plan=old) for m in g.measures.all()}
    news = {m.code: m for g in plan_goals_for_page(plan=new) for m in g.measures.all()}
    codes = list(olds) + [c for c in news if c not in olds]
    return [
        RolloverRow(
            code=code,
            old=olds.get(code),
            new=news.get(code),
            unfinished=unfinished.get(olds[code].pk, "") if code in olds else "",
            years=measure_years(news[code], before=new.year) if code in news else [],
        )
        for code in codes
    ]


def previous_year_plan(*, plan: Plan) -> Plan | None:
    """The same organization's plan of the year before `plan` (the newest import)."""
    return (
        Plan.objects.filter(organization_id=plan.organization_id, year=plan.year - 1)
        .order_by("-created_at", "-id")
        .first()
    )
