"""Evaluate every criterion of a plan in a fixed number of queries.

The period's facts come from `facts.period_facts` (the one source the report text and the
dashboards read too); each criterion is then evaluated with the pure functions of `rules`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language

from shudarga.core.memo import AuditMemo, change_stamp
from shudarga.criteria.facts import measure_recorded, measure_rows, period_facts
from shudarga.criteria.models import CriterionRule
from shudarga.criteria.rules import (
    Evaluation,
    Facts,
    Period,
    RowFact,
    Rule,
    Status,
    evaluate,
    propose_rule,
)
from shudarga.petitions.models import SurveyResponse
from shudarga.plans.models import Criterion, Goal, Measure, Plan
from shudarga.plans.selectors import plan_goals_for_page

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
    facts: Facts = field(
        default_factory=lambda: Facts(Period(dt.date.min, dt.date.min), dt.date.min)
    )

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Status.ALL, 0)
        for status in self.by_criterion.values():
            counts[status.evaluation.status] += 1
        return counts

    def rules_of(self, measure: Measure) -> list[Rule]:
        return [self.by_criterion[c.pk].rule for c in measure.criteria.all()]

    def rows_of(self, measure: Measure) -> dict[str, list[RowFact]]:
        """The period's rows that speak of `measure` (see `facts.measure_rows`)."""
        return measure_rows(measure_id=measure.pk, rules=self.rules_of(measure), facts=self.facts)

    def recorded(self, measure: Measure) -> bool:
        """Whether anything of the period speaks of `measure` (rows or evidence)."""
        return measure_recorded(
            measure_id=measure.pk, rules=self.rules_of(measure), facts=self.facts
        )


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


# Evaluations of plans, shared by every process until the organization's next change (see
# `core.memo`).
_EVALUATIONS = AuditMemo("plan-evaluation")


def survey_stamp(*, organization_id: int) -> int | None:
    """The newest survey answer of the organization: answers are not audited, so results
    that count them carry this beside the organization's change stamp. One query."""
    return SurveyResponse.objects.filter(survey__organization_id=organization_id).aggregate(
        last=Max("pk")
    )["last"]


def plan_evaluate(
    *,
    plan: Plan,
    period: Period | None = None,
    today: dt.date | None = None,
    goals: list[Goal] | None = None,
) -> PlanEvaluation:
    """Every criterion of `plan` evaluated for `period` (the plan's year by default), with
    the facts it was evaluated on. `goals`: the plan's goals as `plan_goals_for_page` gives
    them, when the caller has them already."""
    period = period or plan_period(plan=plan)
    today = today or timezone.localdate()
    goals = goals if goals is not None else plan_goals_for_page(plan=plan)
    measures: list[Measure] = [m for g in goals for m in g.measures.all()]
    criteria = [c for m in measures for c in m.criteria.all()]
    for measure in measures:
        for criterion in measure.criteria.all():
            criterion.measure = measure  # already fetched; avoids a query per criterion
    rules = rules_for_criteria(criteria)

    def evaluate_all() -> tuple[Facts, dict[int, Any]]:
        facts = period_facts(
            plan=plan,
            period=period,
            today=today,
            measures=measures,
            rules=[rule for rule, _confirmed in rules.values()],
        )
        return facts, {
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
            plan.status,
            repr(period),
            today,
            get_language(),  # the explanations are written in the reader's language
            repr(sorted((pk, rule, confirmed) for pk, (rule, confirmed) in rules.items())),
            change_stamp(organization_id=plan.organization_id),
            survey_stamp(organization_id=plan.organization_id),
        )

    facts, evaluations = _EVALUATIONS.get(make_key, evaluate_all)
    result = PlanEvaluation(goals=goals, period=period, today=today, facts=facts)
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
