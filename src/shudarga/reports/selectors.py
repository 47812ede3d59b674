"""Reads for reports: who may do what, the report page, drafts' facts, documents, and
comparisons across periods and years."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from shudarga.core.text import fold
from shudarga.criteria.rules import SCOPE_ORGANIZATION, Period
from shudarga.criteria.selectors import plan_period, rules_for_criteria
from shudarga.evidence.models import Evidence
from shudarga.evidence.selectors import evidence_for_measures, evidence_sample_for_measures
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.petitions.selectors import petition_stats, survey_summary
from shudarga.plans.models import Goal, Measure, Plan
from shudarga.plans.selectors import plan_goals_for_page
from shudarga.registers.registry import REGISTERS
from shudarga.registers.selectors import register_rows
from shudarga.reports.documents.model import (
    DocEvidence,
    DocGoal,
    DocItem,
    DocSigner,
    ReportDocument,
)
from shudarga.reports.drafting import MeasureFacts, PetitionFigures
from shudarga.reports.models import Report, ReportBundle, ReportComment, ReportEvent, ReportItem
from shudarga.reports.periods import DOCUMENT_LABELS, PERIOD_KEYS, measure_is_due
from shudarga.reports.scale import Scale, format_percent, get_scale, mean_percent

# -- who may do what ----------------------------------------------------------------------

# The report rule lives in the permission table (`organizations.roles`), asked through the
# organization's `access`: coordinators and officers write the implementation text and
# self-assessment and submit; the reviewer scores and marks the report reviewed; the
# reviewer or the leader approves (and reopens an approved report); auditors read.
REPORT_ACTIONS: dict[str, str] = {
    "edit": Action.EDIT_REPORT,
    "review": Action.REVIEW_REPORT,
    "approve": Action.APPROVE_REPORT,
}


def report_may(*, organization: Organization, what: str) -> bool:
    """Whether the user `organization` was fetched for may `what`: "edit" (text,
    self-assessment, submit), "review" (score, mark reviewed, send back), "approve"
    (approve, reopen), or "comment" (edit or review). `organization.access` answers."""
    wanted = ("edit", "review") if what == "comment" else (what,)
    return organization.access.may_any(*(REPORT_ACTIONS[w] for w in wanted))


def report_permissions(*, organization: Organization) -> dict[str, bool]:
    """`report_may` for every action, for templates."""
    return {
        what: report_may(organization=organization, what=what)
        for what in (*REPORT_ACTIONS, "comment")
    }


# -- lookups ------------------------------------------------------------------------------


def get_report_for_user(*, user: Any, code: str, report_id: int) -> Report:
    """Report `report_id` of a plan of organization `code` if `user` may see that
    organization; 404 otherwise, also for another organization's report under one's own code.

    The report's `plan.organization` carries `access` for `report_may`.
    """
    organization = get_organization_for_user(user=user, code=code)
    try:
        report = Report.objects.select_related("plan").get(
            pk=report_id, plan__organization=organization
        )
    except Report.DoesNotExist:
        raise Http404 from None
    report.plan.organization = organization
    return report


def get_report_measure(*, report: Report, measure_id: int) -> Measure:
    """Measure `measure_id` of the report's plan, with its criteria; 404 for any other."""
    try:
        measure = (
            Measure.objects.select_related("goal", "responsible_person")
            .prefetch_related("criteria")
            .get(pk=measure_id, plan_id=report.plan_id)
        )
    except Measure.DoesNotExist:
        raise Http404 from None
    measure.plan = report.plan
    return measure


def report_period(*, report: Report) -> Period:
    """The days the report covers (`h1`: 1 January to 30 June of the plan's year, …)."""
    return plan_period(plan=report.plan, name=report.period)


def plans_for_reports(*, organization: Organization) -> QuerySet[Plan]:
    """The organization's plans a report can be made for, newest year first."""
    return organization.plans.order_by("-year", "-created_at")


# -- the report page ----------------------------------------------------------------------


def _due(*, report: Report, measure: Measure, item: ReportItem | None, end: dt.date) -> bool:
    """Whether `measure` is due in the report's period: as fixed at submission, else by the
    plan's schedule (a draft follows changes to the schedule)."""
    if item is not None and item.due is not None:
        return item.due
    return measure_is_due(
        recurrence=measure.recurrence,
        due_date=measure.due_date,
        year=report.plan.year,
        period_end=end,
        dates=measure.scheduled_dates,
    )


@dataclass
class MeasureRow:
    measure: Measure
    item: ReportItem | None
    due: bool
    evidence: list[Evidence] = field(default_factory=list)
    comments: int = 0
    evidence_count: int | None = None  # when `evidence` is only the first few

    @property
    def evidence_more(self) -> int:
        """How many evidence items of the period `evidence` leaves out."""
        return (self.evidence_count or len(self.evidence)) - len(self.evidence)

    @property
    def score(self) -> int | None:
        """The score that counts: the reviewer's, and only for a due measure."""
        return self.item.score if self.item is not None and self.due else None

    @property
    def unscored(self) -> bool:
        return self.due and self.score is None

    @property
    def text(self) -> str:
        return self.item.text if self.item is not None else ""


@dataclass
class GoalBlock:
    goal: Goal
    rows: list[MeasureRow]
    percent: Decimal | None

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)


@dataclass
class ReportPage:
    report: Report
    period: Period
    scale: Scale
    goals: list[GoalBlock]
    percent: Decimal | None

    @property
    def rows(self) -> list[MeasureRow]:
        return [row for goal in self.goals for row in goal.rows]

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def unscored(self) -> list[MeasureRow]:
        return [row for row in self.rows if row.unscored]

    @property
    def due_count(self) -> int:
        return sum(1 for row in self.rows if row.due)

    @property
    def not_due_count(self) -> int:
        return sum(1 for row in self.rows if not row.due)

    def level_counts(self) -> list[tuple[int, str, int]]:
        scores = [row.score for row in self.rows if row.score is not None]
        return [(lv.value, lv.ui_label, scores.count(lv.value)) for lv in self.scale.levels]

    def chart(self) -> list[tuple[str, Decimal | None]]:
        """(goal number, percent) for the chart of scores per goal."""
        return [(str(block.goal.number), block.percent) for block in self.goals]


def report_page(
    *, report: Report, with_evidence: bool = True, evidence_per_measure: int | None = None
) -> ReportPage:
    """Every goal and measure of the report's plan with its item, due flag, evidence of the
    period and comment count, and the percents per goal and for the plan.

    Queries: goals, activities, measures (+ responsible person), criteria (four, from
    `plan_goals_for_page`); items; evidence of the period (one); comment counts (one).
    Measures added to the plan after the report was made simply have no item yet.
    """
    period = report_period(report=report)
    goals = plan_goals_for_page(plan=report.plan)
    items = {
        item.measure_id: item
        for item in ReportItem.objects.filter(report=report).select_related("scored_by")
    }
    measure_ids = [m.pk for g in goals for m in g.measures.all()]
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    evidence_counts: dict[int, int] | None = None
    if with_evidence and evidence_per_measure is not None:
        # The page lists a few per measure: at national scale a busy organization has
        # thousands in a period, which are not worth loading to show four.
        evidence, evidence_counts = evidence_sample_for_measures(
            measure_ids=measure_ids,
            date_from=period.start,
            date_to=period.end,
            per_measure=evidence_per_measure,
        )
        for items_of_measure in evidence.values():
            for e in items_of_measure:
                e.organization = report.plan.organization
    elif with_evidence:
        for e in evidence_for_measures(
            measure_ids=measure_ids, date_from=period.start, date_to=period.end
        ):
            e.organization = report.plan.organization  # its links need the code: no query
            evidence[e.measure_id].append(e)
    comments = dict(
        ReportComment.objects.filter(item__report=report)
        .values_list("item__measure_id")
        .annotate(n=Count("id"))
        .values_list("item__measure_id", "n")
    )
    blocks = []
    for goal in goals:
        rows = []
        for measure in goal.measures.all():
            item = items.get(measure.pk)
            rows.append(
                MeasureRow(
                    measure=measure,
                    item=item,
                    due=_due(report=report, measure=measure, item=item, end=period.end),
                    evidence=evidence.get(measure.pk, []),
                    comments=comments.get(measure.pk, 0),
                    evidence_count=(
                        None if evidence_counts is None else evidence_counts.get(measure.pk, 0)
                    ),
                )
            )
        blocks.append(
            GoalBlock(
                goal=goal,
                rows=rows,
                percent=mean_percent(r.score for r in rows if r.score is not None),
            )
        )
    return ReportPage(
        report=report,
        period=period,
        scale=get_scale(),
        goals=blocks,
        percent=mean_percent(r.score for b in blocks for r in b.rows if r.score is not None),
    )


def report_history(*, report: Report) -> QuerySet[ReportEvent]:
    """The report's workflow steps, oldest first (who, when, why). One query."""
    return report.events.select_related("actor").order_by("at", "id")


def report_item_comments(*, report: Report, measure: Measure) -> QuerySet[ReportComment]:
    """Comments on one measure of the report, oldest first."""
    return ReportComment.objects.filter(item__report=report, item__measure=measure).order_by(
        "created_at", "id"
    )


def report_latest_bundle(*, report: Report) -> ReportBundle | None:
    """The report's newest evidence bundle (being built, ready or failed), if any."""
    return report.bundles.order_by("-created_at", "-id").first()


# -- the organization's reports -----------------------------------------------------------


@dataclass
class ReportSummary:
    report: Report
    percent: Decimal | None

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)


def report_list_for_organization(*, organization: Organization) -> list[tuple[Plan, list]]:
    """The organization's plans, newest first, each with its reports in period order and
    their percents. Three queries: plans, reports, the scores of their items."""
    plans = list(plans_for_reports(organization=organization))
    reports = list(
        Report.objects.filter(plan__in=plans).select_related(
            "submitted_by", "reviewed_by", "approved_by"
        )
    )
    by_id = {p.pk: p for p in plans}
    for report in reports:
        report.plan = by_id[report.plan_id]  # fetched already
    scores: dict[int, list[int]] = defaultdict(list)
    year_of = {p.pk: p.year for p in plans}
    ends = {r.pk: plan_period(plan=r.plan, name=r.period).end for r in reports}
    for report_id, plan_id, score, due, recurrence, due_date, dates in ReportItem.objects.filter(
        report__in=reports, score__isnull=False
    ).values_list(
        "report_id",
        "report__plan_id",
        "score",
        "due",
        "measure__recurrence",
        "measure__due_date",
        "measure__scheduled_dates",
    ):
        if due is None:
            due = measure_is_due(
                recurrence=recurrence,
                due_date=due_date,
                year=year_of[plan_id],
                period_end=ends[report_id],
                dates=dates,
            )
        if due:
            scores[report_id].append(score)
    by_plan: dict[int, list[ReportSummary]] = defaultdict(list)
    for report in sorted(reports, key=lambda r: PERIOD_KEYS.index(r.period)):
        by_plan[report.plan_id].append(
            ReportSummary(report=report, percent=mean_percent(scores.get(report.pk, [])))
        )
    return [(plan, by_plan.get(plan.pk, [])) for plan in plans]


# -- facts for drafting -------------------------------------------------------------------

_PETITION_WORDS = ("өргөдөл", "гомдол")
_SURVEY_WORDS = ("сэтгэл ханамжийн судалгаа",)


def draft_facts(
    *, report: Report, goals: list[Goal], today: dt.date | None = None
) -> dict[int, MeasureFacts]:
    """What each measure's draft may speak about, for the report's period.

    Register rows linked to the measure; for a register one of its criteria counts across
    the organization (the board, contracts, staff, risks, audits), every row of the
    organization. Evidence of the period; petition statistics for a measure about petitions.

    Queries: stored rules (one), rows and their measures per register (two per register with
    rows, one without), training attendees (one), evidence (one), petitions (one, only when a
    measure speaks of them). A fixed number whatever the plan's size.
    """
    today = today or timezone.localdate()
    period = report_period(report=report)
    organization = report.plan.organization
    measures = [m for g in goals for m in g.measures.all()]
    criteria = []
    for measure in measures:
        for criterion in measure.criteria.all():
            criterion.measure = measure  # fetched already; the rules read its text
            criteria.append(criterion)
    org_wide: dict[int, set[str]] = defaultdict(set)  # measure id -> registers counted whole
    rules = rules_for_criteria(criteria)
    for criterion in criteria:
        rule, _confirmed = rules[criterion.pk]
        if rule.register and rule.scope == SCOPE_ORGANIZATION:
            org_wide[criterion.measure_id].add(rule.register)

    facts = {
        m.pk: MeasureFacts(period_start=period.start, period_end=period.end, today=today)
        for m in measures
    }
    trained_staff: set[int] = set()
    for key, spec in REGISTERS.items():
        rows = list(
            register_rows(
                spec=spec, organization=organization, date_from=period.start, date_to=period.end
            ).order_by(spec.date_field, "id")
        )
        if not rows:
            continue
        attendees: dict[int, set[int]] = defaultdict(set)
        if key == "trainings":
            through = spec.model.attendees.through
            for training_id, staff_id in through.objects.filter(
                training_id__in=[r.pk for r in rows]
            ).values_list("training_id", "staffmember_id"):
                attendees[training_id].add(staff_id)
            trained_staff = {
                staff_id
                for row in rows
                if row.kind == "anti_corruption"
                for staff_id in attendees[row.pk]
            }
        linked: dict[int, list[Any]] = defaultdict(list)  # measure id -> its rows
        for row in rows:
            for linked_measure in row.measures.all():
                linked[linked_measure.pk].append(row)
        for measure in measures:
            chosen = rows if key in org_wide[measure.pk] else linked.get(measure.pk, [])
            if chosen:
                facts[measure.pk].rows[key] = chosen
                if attendees:
                    facts[measure.pk].attendees = attendees
    for item in evidence_for_measures(
        measure_ids=[m.pk for m in measures], date_from=period.start, date_to=period.end
    ):
        facts[item.measure_id].evidence.append(item)
    about_petitions = [m for m in measures if any(w in fold(m.text) for w in _PETITION_WORDS)]
    if about_petitions:
        stats = petition_stats(
            organization_id=organization.pk,
            date_from=period.start,
            date_to=period.end,
            today=min(today, period.end),  # as the period left them
        ).total
        figures = PetitionFigures(
            received=stats.received,
            answered=stats.answered,
            transferred=stats.transferred,
            on_time=stats.on_time,
            late=stats.late,
            overdue=stats.overdue,
            open=stats.not_yet_due,
        )
        for measure in about_petitions:
            facts[measure.pk].petitions = figures
    about_surveys = [m for m in measures if any(w in fold(m.text) for w in _SURVEY_WORDS)]
    if about_surveys:
        summary = survey_summary(
            organization_id=organization.pk, date_from=period.start, date_to=period.end
        )
        for measure in about_surveys:
            facts[measure.pk].survey = summary
    for fact in facts.values():
        fact.trained_staff = trained_staff
    return facts


# -- documents ----------------------------------------------------------------------------


def report_title(*, year: int) -> str:
    return f"{year} ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨНИЙ ХЭРЭГЖИЛТИЙН ТАЙЛАН"


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def report_to_document(*, report: Report, page: ReportPage | None = None) -> ReportDocument:
    """The report as the document every export format writes, in Mongolian.

    Signature blocks are the plan's (the same officials sign its report); a plan without
    them gets "ХЯНАСАН" (the reviewer) and "БОЛОВСРУУЛСАН" (who submitted).
    Queries: `report_page`'s, the report's people (one), the plan's signatures (one).
    """
    page = page or report_page(report=report)
    scale = page.scale
    people = (
        Report.objects.filter(pk=report.pk)
        .select_related("submitted_by", "reviewed_by", "approved_by")
        .first()
    )
    goals = []
    has_levels = False
    for block in page.goals:
        items = []
        for row in block.rows:
            m, item = row.measure, row.item
            has_levels = has_levels or bool(m.baseline or m.target)
            if not row.due:
                mark, label = scale.not_due_mark, scale.not_due_label
            elif row.score is not None:
                mark, label = str(row.score), scale.label(row.score)
            else:
                mark, label = "", ""
            items.append(
                DocItem(
                    code=m.code,
                    text=m.text,
                    criteria=[c.text for c in m.criteria.all()],
                    implementation=item.text if item else "",
                    evidence=[
                        DocEvidence(
                            title=e.title,
                            name=e.original_name if e.is_file else e.link,
                            is_file=e.is_file,
                            relates_to=e.relates_to,
                            sha256=e.sha256,
                            size=e.size,
                            evidence_id=e.pk,
                        )
                        for e in row.evidence
                    ],
                    due=row.due,
                    score=row.score,
                    score_mark=mark,
                    score_label=label,
                    comment=item.score_comment if item else "",
                    self_score=item.self_score if item else None,
                    baseline=m.baseline,
                    target=m.target,
                    achieved=item.achieved if item else "",
                    target_reached=item.target_reached if item else None,
                    shortfall_reason=item.shortfall_reason if item else "",
                    responsible=m.responsible_unit or m.responsible_text,
                )
            )
        goals.append(
            DocGoal(
                number=block.goal.number, text=block.goal.text, items=items, percent=block.percent
            )
        )
    signers = [
        DocSigner(label=s.label, title=s.title, name=s.name)
        for s in report.plan.signatures.order_by("position")
    ]
    if not signers and people is not None:
        signers = [
            DocSigner(label="ХЯНАСАН", title="", name=_person(people.reviewed_by)),
            DocSigner(label="БОЛОВСРУУЛСАН", title="", name=_person(people.submitted_by)),
        ]
    approved_at = people.approved_at if people is not None else None
    return ReportDocument(
        organization=report.plan.organization.name,
        year=report.plan.year,
        title=report_title(year=report.plan.year),
        period_key=report.period,
        period_label=DOCUMENT_LABELS[report.period],
        period_start=page.period.start,
        period_end=page.period.end,
        date=timezone.localdate(approved_at) if approved_at else timezone.localdate(),
        place=report.plan.place,
        status=report.status,
        goals=goals,
        percent=page.percent,
        scale=[(level.value, level.label) for level in scale.levels],
        not_due_mark=scale.not_due_mark,
        not_due_label=scale.not_due_label,
        signers=signers,
        has_levels=has_levels,
    )


# -- comparisons --------------------------------------------------------------------------


@dataclass
class CompareCell:
    report: Report
    due: bool
    score: int | None
    text: str

    @property
    def mark(self) -> str:
        if not self.due:
            return get_scale().not_due_mark
        return "" if self.score is None else str(self.score)


@dataclass
class CompareRow:
    code: str
    text: str
    goal_number: int
    cells: list[CompareCell | None]  # one per compared report; None: no such measure there


@dataclass
class Comparison:
    reports: list[Report]
    percents: list[Decimal | None]
    rows: list[CompareRow]

    @property
    def percent_texts(self) -> list[str]:
        return [format_percent(p) for p in self.percents]


def _cells_by_code(report: Report) -> tuple[dict[str, tuple[Measure, CompareCell]], Decimal | None]:
    """Each measure of the report's plan by code, with its cell; and the report's percent.
    Queries: measures (with goals), items."""
    end = report_period(report=report).end
    measures = list(
        Measure.objects.filter(plan_id=report.plan_id).select_related("goal").order_by("position")
    )
    items = {i.measure_id: i for i in ReportItem.objects.filter(report=report)}
    cells = {}
    for m in measures:
        item = items.get(m.pk)
        due = _due(report=report, measure=m, item=item, end=end)
        cells[m.code] = (
            m,
            CompareCell(
                report=report,
                due=due,
                score=item.score if item is not None and due else None,
                text=item.text if item is not None else "",
            ),
        )
    percent = mean_percent(c.score for _m, c in cells.values() if c.score is not None)
    return cells, percent


def compare_reports(*, reports: list[Report]) -> Comparison:
    """Reports side by side, measures matched by code (`1.2` this year is `1.2` last year).
    Rows follow the first report's plan; measures only the others have come after.
    Two queries per report."""
    columns = [_cells_by_code(r) for r in reports]
    rows: dict[str, CompareRow] = {}
    for index, (cells, _percent) in enumerate(columns):
        for code, (measure, cell) in cells.items():
            row = rows.get(code)
            if row is None:
                row = rows[code] = CompareRow(
                    code=code,
                    text=measure.text,
                    goal_number=measure.goal.number,
                    cells=[None] * len(reports),
                )
            row.cells[index] = cell
    return Comparison(
        reports=reports, percents=[percent for _cells, percent in columns], rows=list(rows.values())
    )


def reports_of_plan(*, report: Report) -> list[Report]:
    """Every report of the report's plan, in period order (Q1, H1, 9 months, year)."""
    reports = list(Report.objects.filter(plan_id=report.plan_id).select_related("plan"))
    for r in reports:
        r.plan = report.plan
    return sorted(reports, key=lambda r: PERIOD_KEYS.index(r.period))


def last_year_report(*, report: Report) -> Report | None:
    """The same period's report of the organization's plan for the year before, if any (the
    newest such plan when there are two)."""
    return (
        Report.objects.filter(
            plan__organization_id=report.plan.organization_id,
            plan__year=report.plan.year - 1,
            period=report.period,
        )
        .select_related("plan__organization")
        .order_by("-plan__created_at")
        .first()
    )
