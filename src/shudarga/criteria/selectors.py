"""Evaluate every criterion of a plan in a fixed number of queries.

Fetch once per register the plan's rules use (rows of the organization in the period,
with the measures each row serves), once for staff and trainings, once for evidence; then
evaluate each criterion with the pure functions of `rules`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language

from shudarga.core.memo import AuditMemo, audit_stamp
from shudarga.criteria.models import CriterionRule
from shudarga.criteria.rules import (
    Evaluation,
    EvidenceFact,
    Facts,
    Kind,
    Period,
    RowFact,
    Rule,
    StaffFact,
    Status,
    TrainingFact,
    evaluate,
    propose_rule,
)
from shudarga.evidence.selectors import evidence_for_measures
from shudarga.petitions.models import SurveyResponse
from shudarga.petitions.selectors import petition_overdue_count, survey_response_count
from shudarga.plans.models import Criterion, Goal, Measure, Plan
from shudarga.plans.selectors import plan_goals_for_page
from shudarga.registers.models import StaffMember, Training
from shudarga.registers.registry import REGISTERS

PERIODS = {
    "year": ((1, 1), (12, 31)),
    "h1": ((1, 1), (6, 30)),
    "h2": ((7, 1), (12, 31)),
    "q1": ((1, 1), (3, 31)),
    "q2": ((4, 1), (6, 30)),
    "q3": ((7, 1), (9, 30)),
    "q4": ((10, 1), (12, 31)),
    "9m": ((1, 1), (9, 30)),
}


def plan_period(*, plan: Plan, name: str = "year") -> Period:
    """The named part of the plan's year (`year`, `h1`, `q3`, `9m`, …); the year if unknown."""
    (m1, d1), (m2, d2) = PERIODS.get(name, PERIODS["year"])
    return Period(dt.date(plan.year, m1, d1), dt.date(plan.year, m2, d2))


@dataclass
class CriterionStatus:
    criterion: Criterion
    rule: Rule
    confirmed: bool
    evaluation: Evaluation


@dataclass
class PlanEvaluation:
    goals: list[Goal]
    period: Period
    today: dt.date
    by_criterion: dict[int, CriterionStatus] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = {Status.MET: 0, Status.NOT_MET: 0, Status.NOT_YET_DUE: 0, Status.MANUAL: 0}
        for status in self.by_criterion.values():
            counts[status.evaluation.status] += 1
        return counts


def rules_for_criteria(criteria: list[Criterion]) -> dict[int, tuple[Rule, bool]]:
    """Each criterion's rule and whether a person confirmed it (else it is the proposal).

    One query for the confirmed rules; proposals are computed, not stored.
    """
    stored = {
        r.criterion_id: r
        for r in CriterionRule.objects.filter(criterion__in=[c.pk for c in criteria])
    }
    result = {}
    for criterion in criteria:
        if criterion.pk in stored:
            result[criterion.pk] = (stored[criterion.pk].as_rule(), True)
        else:
            result[criterion.pk] = (propose_rule(criterion.text, criterion.measure.text), False)
    return result


def gather_facts(
    *,
    organization_id: int,
    rules: list[Rule],
    measure_ids: list[int],
    period: Period,
    today: dt.date,
) -> Facts:
    """Rows, staff, trainings and evidence the rules need — nothing more.

    Two queries per register used (rows, then the measures they serve), three for
    coverage (staff, trainings, attendance), one for evidence.
    """
    facts = Facts(period=period, today=today)
    registers = {
        r.register
        for r in rules
        if r.kind in (Kind.AT_LEAST, Kind.EVERY_MONTH, Kind.ALL_ROWS) and r.register
    }
    for key in sorted(registers):
        spec = REGISTERS.get(key)
        if spec is None:
            continue
        wanted = {name for r in rules if r.register == key for name in (*r.filters, *r.require)}
        wanted = {name for name in wanted if name in spec.fields}
        columns = ["id", spec.date_field, spec.sort_field, *sorted(wanted)]
        rows = list(
            spec.model.objects.filter(
                organization_id=organization_id,
                **{f"{spec.date_field}__range": (period.start, period.end)},
            ).values(*dict.fromkeys(columns))
        )
        through = spec.model.measures.through
        fk = f"{spec.model._meta.model_name}_id"
        links: dict[int, set[int]] = defaultdict(set)
        for row_id, measure_id in through.objects.filter(
            **{f"{fk}__in": [row["id"] for row in rows]}
        ).values_list(fk, "measure_id"):
            links[row_id].add(measure_id)
        facts.rows[key] = [
            RowFact(
                id=row["id"],
                date=row[spec.date_field],
                measure_ids=frozenset(links[row["id"]]),
                values={name: row[name] for name in wanted},
                label=f"{row[spec.sort_field]}"[:80],
            )
            for row in rows
        ]
    if any(r.kind == Kind.COVERAGE for r in rules):
        facts.staff = [
            StaffFact(
                id=s["id"], name=s["name"], appointed_on=s["appointed_on"], left_on=s["left_on"]
            )
            for s in StaffMember.objects.filter(
                organization_id=organization_id, appointed_on__range=(period.start, period.end)
            ).values("id", "name", "appointed_on", "left_on")
        ]
        trainings = list(
            Training.objects.filter(organization_id=organization_id, date__gte=period.start).values(
                "id", "date", "kind"
            )
        )
        attendees: dict[int, set[int]] = defaultdict(set)
        for training_id, staff_id in Training.attendees.through.objects.filter(
            training_id__in=[t["id"] for t in trainings]
        ).values_list("training_id", "staffmember_id"):
            attendees[training_id].add(staff_id)
        facts.trainings = [
            TrainingFact(
                id=t["id"],
                date=t["date"],
                kind=t["kind"],
                attendee_ids=frozenset(attendees[t["id"]]),
            )
            for t in trainings
        ]
    if any(r.kind == Kind.NO_OVERDUE_PETITIONS for r in rules):
        facts.petitions_overdue = petition_overdue_count(
            organization_id=organization_id,
            date_from=period.start,
            date_to=period.end,
            today=today,
        )
    if any(r.kind == Kind.SURVEY_RESPONSES for r in rules):
        facts.survey_responses = survey_response_count(
            organization_id=organization_id, date_from=period.start, date_to=period.end
        )
    if any(r.kind == Kind.EVIDENCE for r in rules):
        facts.evidence = [
            EvidenceFact(id=pk, measure_id=measure, criterion_id=criterion, relates_to=day)
            for pk, measure, criterion, day in evidence_for_measures(
                measure_ids=measure_ids, date_from=period.start, date_to=period.end
            )
            .order_by()
            .values_list("id", "measure_id", "criterion_id", "relates_to")
        ]
    return facts


# Evaluations of recent plans in this process (see `core.memo`).
_EVALUATIONS = AuditMemo(size=64)


def plan_evaluate(
    *, plan: Plan, period: Period | None = None, today: dt.date | None = None
) -> PlanEvaluation:
    """Every criterion of `plan` evaluated for `period` (the plan's year by default)."""
    period = period or plan_period(plan=plan)
    today = today or timezone.localdate()
    goals = plan_goals_for_page(plan=plan)
    measures: list[Measure] = [m for g in goals for m in g.measures.all()]
    criteria = [c for m in measures for c in m.criteria.all()]
    for measure in measures:
        for criterion in measure.criteria.all():
            criterion.measure = measure  # already fetched; avoids a query per criterion
    rules = rules_for_criteria(criteria)

    def evaluate_all() -> dict[int, Any]:
        facts = gather_facts(
            organization_id=plan.organization_id,
            rules=[rule for rule, _confirmed in rules.values()],
            measure_ids=[m.pk for m in measures],
            period=period,
            today=today,
        )
        facts.monthly_measures = frozenset(
            m.pk for m in measures if m.recurrence == Measure.Recurrence.MONTHLY
        )
        return {
            c.pk: evaluate(rules[c.pk][0], measure_id=c.measure_id, criterion_id=c.pk, facts=facts)
            for c in criteria
        }

    # Facts and evaluations change only with audited changes of the organization (its
    # records, rules, measures) and with survey answers, which are not audited: both stamps
    # are in the key, so a busy organization's page is evaluated once per change.
    def make_key() -> tuple:
        return (
            get_language(),  # the evaluations' messages are worded in it
            plan.pk,
            repr(period),
            today,
            repr(sorted((pk, rule, confirmed) for pk, (rule, confirmed) in rules.items())),
            audit_stamp(organization_id=plan.organization_id),
            SurveyResponse.objects.filter(survey__organization_id=plan.organization_id).aggregate(
                last=Max("pk")
            )["last"],
        )

    evaluations = _EVALUATIONS.get(make_key, evaluate_all)
    result = PlanEvaluation(goals=goals, period=period, today=today)
    for criterion in criteria:
        rule, confirmed = rules[criterion.pk]
        result.by_criterion[criterion.pk] = CriterionStatus(
            criterion=criterion,
            rule=rule,
            confirmed=confirmed,
            evaluation=evaluations[criterion.pk],
        )
    return result


@dataclass
class MyMeasure:
    measure: Measure
    plan: Plan
    next_due: dt.date | None
    open_criteria: list[CriterionStatus]


def measures_of_person(*, user: object, today: dt.date | None = None) -> list[MyMeasure]:
    """The measures `user` is responsible for, in the latest plan of each organization
    where they have any, with the next due date and the criteria not yet met.

    Queries: one for the plans, then `plan_evaluate`'s fixed number per plan (a person is
    responsible in one or two organizations' plans, not hundreds).
    """
    from shudarga.plans.schedule import next_due

    today = today or timezone.localdate()
    plans = list(
        Plan.objects.filter(measures__responsible_person=user)
        .select_related("organization")
        .distinct()
        .order_by("organization_id", "-year", "-id")
    )
    latest: dict[int, Plan] = {}
    for plan in plans:
        latest.setdefault(plan.organization_id, plan)
    result = []
    for plan in latest.values():
        evaluation = plan_evaluate(plan=plan, today=today)
        for goal in evaluation.goals:
            for measure in goal.measures.all():
                if measure.responsible_person_id != getattr(user, "pk", None):
                    continue
                statuses = [evaluation.by_criterion[c.pk] for c in measure.criteria.all()]
                result.append(
                    MyMeasure(
                        measure=measure,
                        plan=plan,
                        next_due=next_due(
                            recurrence=measure.recurrence,
                            year=plan.year,
                            due_date=measure.due_date,
                            today=today,
                            dates=measure.scheduled_dates,
                        ),
                        open_criteria=[
                            s
                            for s in statuses
                            if s.evaluation.status in (Status.NOT_MET, Status.NOT_YET_DUE)
                        ],
                    )
                )
    result.sort(key=lambda m: (m.next_due or dt.date.max, m.plan.pk, m.measure.position))
    return result
