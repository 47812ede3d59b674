"""Reads for reports: who may do what, the report page, drafts' facts, documents, and
comparisons across periods and years."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shudarga.core.text import fold
from shudarga.criteria.rules import SCOPE_ORGANIZATION, Kind, Period, SurveyFact, coverage
from shudarga.criteria.selectors import plan_evaluate, plan_period, rules_for_criteria
from shudarga.evidence.models import Evidence
from shudarga.evidence.selectors import (
    evidence_for_measures,
    evidence_kinds_by_measure,
    evidence_listing_for_measures,
    evidence_sample_for_measures,
)
from shudarga.organizations.models import Organization, WorkflowPolicy
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import (
    four_eyes_on,
    get_organization_for_user,
    workflow_policy,
)
from shudarga.petitions.selectors import survey_summary, surveys_answered
from shudarga.petitions.statistics import petition_quarter_stats
from shudarga.plans.models import Criterion, Goal, Measure, Plan
from shudarga.plans.selectors import plan_goals_for_page
from shudarga.reports.documents.model import (
    EVIDENCE_ALL,
    EVIDENCE_FIRST,
    EVIDENCE_LISTED,
    EVIDENCE_NEWEST,
    EVIDENCE_RECENT,
    DocEvidence,
    DocEvidenceSummary,
    DocGoal,
    DocItem,
    DocParent,
    DocParentGoal,
    DocParentItem,
    DocSigner,
    ReportDocument,
)
from shudarga.reports.drafting import MeasureFacts, PetitionFigures
from shudarga.reports.models import (
    ParentEvaluation,
    Report,
    ReportBundle,
    ReportComment,
    ReportEvent,
    ReportItem,
)
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


# -- four eyes ----------------------------------------------------------------------------


def report_policy(*, organization_id: int) -> WorkflowPolicy | None:
    """The organization's workflow policy row (`organizations.selectors.workflow_policy`:
    the four-eyes rule of its plans and reports); None means the defaults. One query."""
    return workflow_policy(organization_id=organization_id)


def four_eyes_refusal(*, report: Report, user: Any, step: str) -> str | None:
    """Why `user` may not take `step` ("score", "review" or "approve") on `report` under
    the four-eyes rule, or None when they may. The system itself (no user) always may.

    Who submitted the report may not score, mark it reviewed or approve it; who marked it
    reviewed or scored any of its measures (scores kept from before a reopening count) may
    not approve it. One or two queries when the rule is on.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if not four_eyes_on(organization_id=report.plan.organization_id):
        return None
    if report.submitted_by_id == user.pk:
        if step == "approve":
            return _("You submitted this report, so someone else must approve it (four-eyes rule).")
        return _("You submitted this report, so someone else must review it (four-eyes rule).")
    if step == "approve" and (
        report.reviewed_by_id == user.pk
        or ReportItem.objects.filter(report_id=report.pk, scored_by=user).exists()
    ):
        return _("You reviewed this report, so someone else must approve it (four-eyes rule).")
    return None


def parent_four_eyes_refusal(
    *, report: Report, evaluation: ParentEvaluation, user: Any
) -> str | None:
    """Why `user` may not approve the parent body's `evaluation` of `report` under the
    parent body's four-eyes rule, or None: who submitted the report, or scored any of its
    measures for the parent body, may not approve the evaluation. One or two queries."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not four_eyes_on(organization_id=evaluation.organization_id):
        return None
    if report.submitted_by_id == user.pk or (
        ReportItem.objects.filter(report_id=report.pk, parent_scored_by=user).exists()
    ):
        return _(
            "You scored this report for the parent body, so someone else must approve the "
            "evaluation (four-eyes rule)."
        )
    return None


def registers_counted_organization_wide(*, plan: Plan) -> list[str]:
    """The registers whose every row of the organization counts for one of `plan`'s
    criteria, whatever measure the row serves (the board, contracts, staff…): an approved
    report of the plan locks their rows of its period too. Two queries."""
    criteria = list(Criterion.objects.filter(measure__plan=plan).select_related("measure"))
    return sorted(
        {
            rule.register
            for rule, _confirmed in rules_for_criteria(criteria).values()
            if rule.register and rule.scope == SCOPE_ORGANIZATION
        }
    )


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


def report_facts(plan: Plan) -> list[dict[str, Any]]:
    """The plan's reports as the criteria read them ("the report was submitted"): label,
    the days covered, due date, submission day. One query."""
    result = []
    for report in Report.objects.filter(plan=plan).order_by("due_date", "id"):
        report.plan = plan
        period = report_period(report=report)
        result.append(
            {
                "label": str(report.get_period_display()),
                "start": period.start,
                "end": period.end,
                "due_date": report.due_date,
                # A report sent back to draft is not submitted any more.
                "submitted_on": (
                    timezone.localdate(report.submitted_at)
                    if report.submitted_at and report.status != Report.Status.DRAFT
                    else None
                ),
            }
        )
    return result


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
    def parent_score(self) -> int | None:
        """The parent body's score, only for a due measure (issue 18)."""
        return self.item.parent_score if self.item is not None and self.due else None

    def score_by(self, scorer: str) -> int | None:
        """`score` (scorer "own") or `parent_score` (scorer "parent")."""
        return self.parent_score if scorer == PARENT else self.score

    @property
    def unscored(self) -> bool:
        return self.due and self.score is None

    @property
    def parent_unscored(self) -> bool:
        return self.due and self.parent_score is None

    @property
    def text(self) -> str:
        return self.item.text if self.item is not None else ""


OWN, PARENT = "own", "parent"  # who scored: the organization's reviewer, the parent body


def rows_percent(rows: list[MeasureRow], *, scorer: str = OWN) -> Decimal | None:
    """The percent of `rows` by one scorer: `scale.mean_percent` of the due measures' scores
    (ХБ and unscored left out). The organization's and the parent body's percents, per goal
    and for the plan, are all this one computation."""
    return mean_percent(s for row in rows if (s := row.score_by(scorer)) is not None)


@dataclass
class GoalBlock:
    goal: Goal
    rows: list[MeasureRow]
    percent: Decimal | None
    parent_percent: Decimal | None = None

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def parent_percent_text(self) -> str:
        return format_percent(self.parent_percent)


@dataclass
class ReportPage:
    report: Report
    period: Period
    scale: Scale
    goals: list[GoalBlock]
    percent: Decimal | None
    parent_percent: Decimal | None = None
    # The parent body's evaluation (with its organization), None until it starts one.
    evaluation: ParentEvaluation | None = None

    @property
    def rows(self) -> list[MeasureRow]:
        return [row for goal in self.goals for row in goal.rows]

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def parent_percent_text(self) -> str:
        return format_percent(self.parent_percent)

    @property
    def parent_unscored(self) -> list[MeasureRow]:
        return [row for row in self.rows if row.parent_unscored]

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
    `plan_goals_for_page`); items; evidence of the period (one); comment counts (one); the
    parent body's evaluation (one). Percents are the organization's and the parent body's.
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
                percent=rows_percent(rows),
                parent_percent=rows_percent(rows, scorer=PARENT),
            )
        )
    every_row = [r for b in blocks for r in b.rows]
    return ReportPage(
        report=report,
        period=period,
        scale=get_scale(),
        goals=blocks,
        percent=rows_percent(every_row),
        parent_percent=rows_percent(every_row, scorer=PARENT),
        evaluation=parent_evaluation_of(report=report),
    )


def parent_evaluation_of(*, report: Report) -> ParentEvaluation | None:
    """The parent body's evaluation of `report` with its organization, or None. One query."""
    return (
        ParentEvaluation.objects.filter(report_id=report.pk)
        .select_related("organization", "approved_by", "returned_by")
        .first()
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

    The period's facts are the criteria's (`criteria.selectors.plan_evaluate`, from
    `criteria.facts.period_facts`): the same rows, counted the same way, so the report names
    the people and counts the progress page shows. For each measure: the rows that speak of
    it (its own, and the whole organization's of a register its criteria count across the
    organization), the coverage of new appointees as its criterion counts it, its evidence;
    petition statistics for a measure about petitions and the survey for one about it.

    Queries: the evaluation's (a fixed number), petitions (one, only when a measure speaks
    of them), surveys (three, only when one speaks of them).
    """
    today = today or timezone.localdate()
    period = report_period(report=report)
    organization = report.plan.organization
    evaluation = plan_evaluate(plan=report.plan, period=period, today=today, goals=goals)
    measures = [m for g in goals for m in g.measures.all()]
    facts = {}
    for measure in measures:
        rules = evaluation.rules_of(measure)
        rows = evaluation.rows_of(measure)
        found = None
        if "staff" in rows or any(r.kind == Kind.COVERAGE for r in rules):
            rule = next((r for r in rules if r.kind == Kind.COVERAGE), None)
            found = coverage(
                evaluation.facts,
                days=(rule.days if rule and rule.days else 90),
                kinds=(rule.filters.get("kind", ["anti_corruption"]) if rule else
                       ["anti_corruption"]),
            )  # fmt: skip
            rows.setdefault("staff", evaluation.facts.in_period("staff"))
        facts[measure.pk] = MeasureFacts(
            period_start=period.start,
            period_end=period.end,
            today=today,
            rows=rows,
            coverage=found,
            evidence=[e for e in evaluation.facts.evidence if e.measure_id == measure.pk],
        )
    about_petitions = [m for m in measures if any(w in fold(m.text) for w in _PETITION_WORDS)]
    if about_petitions:
        # The statistics as of the period's cut-off, as the petitions page shows them.
        stats = petition_quarter_stats(
            organization_id=organization.pk,
            date_from=period.start,
            date_to=period.end,
            today=today,
        ).total
        figures = PetitionFigures(
            received=stats.received,
            answered=stats.answered,
            transferred=stats.transferred,
            on_time=stats.on_time,
            late=stats.late,
            overdue=stats.overdue_at_end,
            open=stats.not_yet_due_at_end,
            carried_over=stats.carried_over,
        )
        for measure in about_petitions:
            facts[measure.pk].petitions = figures
    about_surveys = [m for m in measures if any(w in fold(m.text) for w in _SURVEY_WORDS)]
    if about_surveys:
        summary = survey_summary(
            organization_id=organization.pk, date_from=period.start, date_to=period.end
        )
        surveys = list(
            surveys_answered(
                organization_id=organization.pk, date_from=period.start, date_to=period.end
            )
        )
        summaries = [
            SurveyFact(
                id=s.pk,
                title=s.title,
                responses=s.period_responses,
                result=s.result,
                actions=s.actions_taken,
            )
            for s in surveys
        ]
        for measure in about_surveys:
            facts[measure.pk].survey = summary
            facts[measure.pk].surveys = summaries
    return facts


# -- documents ----------------------------------------------------------------------------


def report_title(*, year: int) -> str:
    return f"{year} ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨНИЙ ХЭРЭГЖИЛТИЙН ТАЙЛАН"


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def report_to_document(
    *,
    report: Report,
    page: ReportPage | None = None,
    layout: str = "official",
    evidence: str = EVIDENCE_ALL,
) -> ReportDocument:
    """The report as the document every export format writes, in Mongolian.

    Signature blocks are the plan's (the same officials sign its report); a plan without
    them gets "ХЯНАСАН" (the reviewer) and "БОЛОВСРУУЛСАН" (who submitted). `layout`
    "national" is the template of Government resolution 2017/89, annex 3. `evidence` is
    how much of each measure's evidence it holds (`EVIDENCE_ALL`, or the first or newest
    few with their counts): a given `page`'s evidence when all, else read here as plain rows.
    Queries: `report_page`'s, the report's people (one), the plan's signatures (one); when
    only some evidence: its counts (one) and the items (one).
    """
    if page is None:
        page = report_page(report=report, with_evidence=False)
        evidence_of = _evidence_listing(page=page, mode=evidence)
    elif evidence == EVIDENCE_ALL:
        evidence_of = {
            row.measure.pk: ([_doc_evidence(e) for e in row.evidence], None) for row in page.rows
        }
    else:
        evidence_of = _evidence_listing(page=page, mode=evidence)
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
            mark, label = _mark(scale, row.due, row.score), _mark_label(scale, row.due, row.score)
            items.append(
                DocItem(
                    code=m.code,
                    text=m.text,
                    criteria=[c.text for c in m.criteria.all()],
                    implementation=item.text if item else "",
                    evidence=evidence_of.get(m.pk, ([], None))[0],
                    evidence_summary=evidence_of.get(m.pk, ([], None))[1],
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
    evaluation = page.evaluation
    parent = None
    if evaluation is not None:
        parent = DocParent(
            organization=evaluation.organization.name,
            status=evaluation.status,
            percent=page.parent_percent,
            goals=[
                DocParentGoal(number=b.goal.number, percent=b.parent_percent) for b in page.goals
            ],
            items=[
                DocParentItem(
                    code=row.measure.code,
                    score=row.parent_score,
                    score_mark=_mark(scale, row.due, row.parent_score),
                    score_label=_mark_label(scale, row.due, row.parent_score),
                    comment=row.item.parent_comment if row.item else "",
                )
                for row in page.rows
            ],
        )
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
        parent=parent,
        layout=layout,
        # Only the national template names the parent body when it has not scored yet.
        parent_name=_parent_name(report.plan.organization) if layout == "national" else "",
    )


def _doc_evidence(e: Evidence) -> DocEvidence:
    return DocEvidence(
        title=e.title,
        name=e.original_name if e.is_file else e.link,
        is_file=e.is_file,
        relates_to=e.relates_to,
        sha256=e.sha256,
        size=e.size,
        evidence_id=e.pk,
    )


def _evidence_listing(
    *, page: ReportPage, mode: str
) -> dict[int, tuple[list[DocEvidence], DocEvidenceSummary | None]]:
    """Each measure's evidence of the page's period for a document, read as plain rows:
    every item (one query), or the first `EVIDENCE_LISTED` / newest `EVIDENCE_RECENT` with
    the counts by kind and register (two queries)."""
    if mode not in (EVIDENCE_ALL, EVIDENCE_FIRST, EVIDENCE_NEWEST):
        raise ValueError(mode)
    measure_ids = [row.measure.pk for row in page.rows]
    period = {"date_from": page.period.start, "date_to": page.period.end}
    if mode == EVIDENCE_ALL:
        listing = evidence_listing_for_measures(measure_ids=measure_ids, **period)
        kinds = None
    else:
        newest = mode == EVIDENCE_NEWEST
        listing = evidence_listing_for_measures(
            measure_ids=measure_ids,
            per_measure=EVIDENCE_RECENT if newest else EVIDENCE_LISTED,
            newest_first=newest,
            **period,
        )
        kinds = evidence_kinds_by_measure(measure_ids=measure_ids, **period)
    result: dict[int, tuple[list[DocEvidence], DocEvidenceSummary | None]] = {}
    for measure_id in measure_ids:
        items = [
            DocEvidence(
                title=row["title"],
                name=row["original_name"] if row["kind"] == Evidence.Kind.FILE else row["link"],
                is_file=row["kind"] == Evidence.Kind.FILE,
                relates_to=row["relates_to"],
                sha256=row["sha256"],
                size=row["size"],
                evidence_id=row["id"],
            )
            for row in listing.get(measure_id, [])
        ]
        summary = None
        if kinds is not None:
            tally = kinds.get(measure_id)
            summary = DocEvidenceSummary(
                files=tally.files if tally else 0,
                links=tally.links if tally else 0,
                registers=[
                    (_register_name(key), n)
                    for key, n in (tally.registers if tally else {}).items()
                ],
            )
        result[measure_id] = (items, summary)
    return result


def _register_name(key: str) -> str:
    """A register's name as the Mongolian documents print it ("сургалт")."""
    from shudarga.registers.registry import REGISTERS

    with translation.override("mn"):
        return str(REGISTERS[key].model._meta.verbose_name)


def _parent_name(organization: Organization) -> str:
    """The parent body's name (fetched with the organization by the lookups), or ""."""
    if organization.parent_id is None:
        return ""
    return organization.parent.name


def _mark(scale: Scale, due: bool, score: int | None) -> str:
    """A score as documents print it: "100", "ХБ" when not due, "" when unscored."""
    if not due:
        return scale.not_due_mark
    return "" if score is None else str(score)


def _mark_label(scale: Scale, due: bool, score: int | None) -> str:
    if not due:
        return scale.not_due_label
    return "" if score is None else scale.label(score)


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


def due_row(*, report: Report, measure: Any, scale: Any) -> Any:
    """`measure`'s row of the report page, for scoring it (by the organization's reviewer
    or the parent body): ValidationError when the measure is not in the report's plan or is
    not due in its period."""
    page = report_page(report=report, with_evidence=False)
    row = next((r for r in page.rows if r.measure.pk == measure.pk), None)
    if row is None:
        raise ValidationError(_("The measure is not part of this report's plan."))
    if not row.due:
        raise ValidationError(
            _("Measure %(code)s is not yet due in this period; it is marked %(mark)s.")
            % {"code": measure.code, "mark": scale.not_due_mark},
            code="not_due",
        )
    return row
