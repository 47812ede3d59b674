"""The one source of a period's facts: what the criteria count, the report's drafted text
tells, the dashboard shows and the parent body's view sums up.

`period_facts` fetches, for one organization's plan and one period, every register's rows
(with the measures each serves, the fields its spec declares, a training's attendees), the
evidence, the petitions gone overdue, the satisfaction surveys answered, the plan's and its
reports' state. `measure_rows` says which of those rows belong to one measure — its own
rows, and the whole organization's rows of a register one of its criteria counts across
the organization — so a measure with 11 board updates is never "nothing recorded"
somewhere else. `measures_with_records` is the same notion for many plans at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from shudarga.criteria.rules import (
    SCOPE_ORGANIZATION,
    EvidenceFact,
    Facts,
    Kind,
    Period,
    ReportFact,
    RowFact,
    Rule,
    SurveyFact,
    propose_rule,
)
from shudarga.evidence.models import Evidence
from shudarga.evidence.selectors import evidence_for_measures
from shudarga.petitions.selectors import (
    petition_deadline_counts,
    survey_response_count,
    surveys_answered,
)
from shudarga.plans.models import Criterion, Measure, Plan
from shudarga.registers.fields import is_choice_list
from shudarga.registers.registry import REGISTERS, RegisterSpec

# Coverage looks past the period's end: an appointee of 20 December has until March.
TRAINING_LOOKAHEAD = dt.timedelta(days=366)

# The reports of a plan, as (label, start, end, due_date, submitted_on) keyword sets. The
# reports app sits above this one and provides them when it is ready (`reports.apps`):
# a lower app never imports a higher one.
_report_provider: Callable[[Plan], list[dict[str, Any]]] | None = None


def provide_reports(provider: Callable[[Plan], list[dict[str, Any]]]) -> None:
    """Called once by the reports app: how to list a plan's reports for the criteria."""
    global _report_provider  # one provider, set at start-up
    _report_provider = provider


def _label(spec: RegisterSpec, values: dict[str, Any]) -> str:
    """The row's name, and for a material its channels: «Poster» (Facebook, Website)."""
    label = spec.label_of(values)
    for name in spec.fields:
        model_field = spec.field(name)
        if is_choice_list(model_field) and values.get(name):
            label += f" ({', '.join(model_field.labels(values[name]))})"
    return label


def register_facts(
    *, organization_id: int, period: Period, keys: Iterable[str] | None = None
) -> dict[str, list[RowFact]]:
    """Rows of every register (or of `keys`) of the organization dated in the period, each
    with the measures it serves and every field its spec declares; trainings also after
    the period (see TRAINING_LOOKAHEAD), with their attendees.

    One query per register (its rows joined with the measures they serve), one more for
    training attendees: eleven, whatever the rows.
    """
    result: dict[str, list[RowFact]] = {}
    for key, spec in REGISTERS.items():
        if keys is not None and key not in keys:
            continue
        end = period.end + TRAINING_LOOKAHEAD if key == "trainings" else period.end
        in_period = {
            "organization_id": organization_id,
            f"{spec.date_field}__range": (period.start, end),
        }
        columns = list(dict.fromkeys(["id", spec.date_field, *spec.fields]))
        # One query a register: each row once per measure it serves (joined), so the
        # count does not depend on which registers have rows.
        rows: dict[int, dict[str, Any]] = {}
        links: dict[int, set[int]] = defaultdict(set)
        for values in (
            spec.model.objects.filter(**in_period)
            .order_by(spec.date_field, "id")
            .values(*columns, "measures")
        ):
            measure_id = values.pop("measures")
            rows.setdefault(values["id"], values)
            if measure_id is not None:
                links[values["id"]].add(measure_id)
        if key == "trainings":
            attendees: dict[int, set[int]] = defaultdict(set)
            for training_id, staff_id in spec.model.attendees.through.objects.filter(
                **{f"training__{name}": value for name, value in in_period.items()}
            ).values_list("training_id", "staffmember_id"):
                attendees[training_id].add(staff_id)
            for row in rows.values():
                row["attendees"] = frozenset(attendees[row["id"]])
        result[key] = [
            RowFact(
                id=row["id"],
                date=row[spec.date_field],
                measure_ids=frozenset(links[row["id"]]),
                values=row,
                label=_label(spec, row),
            )
            for row in rows.values()
        ]
    return result


def period_facts(
    *,
    plan: Plan,
    period: Period,
    today: dt.date,
    measures: list[Measure],
    rules: Iterable[Rule] = (),
) -> Facts:
    """Everything the plan's criteria, its report text and its dashboard may count, for
    `period` as it stands on `today`. A fixed number of queries: two per register, one for
    training attendees, one for evidence, and one each for petitions, surveys and reports
    when a rule asks for them."""
    rules = list(rules)
    measure_ids = [m.pk for m in measures]
    kinds = {r.kind for r in rules}
    facts = Facts(period=period, today=today)
    facts.rows = register_facts(organization_id=plan.organization_id, period=period)
    facts.evidence = [
        EvidenceFact(
            id=e.pk,
            measure_id=e.measure_id,
            criterion_id=e.criterion_id,
            relates_to=e.relates_to,
            label=e.title or e.original_name or e.link,
            kind=e.kind,
        )
        for e in evidence_for_measures(
            measure_ids=measure_ids, date_from=period.start, date_to=period.end
        )
        .select_related(None)
        .only(
            "id",
            "measure_id",
            "criterion_id",
            "relates_to",
            "title",
            "original_name",
            "link",
            "kind",
        )
    ]
    if Kind.NO_OVERDUE_PETITIONS in kinds:
        facts.petitions_received, facts.petitions_overdue = petition_deadline_counts(
            organization_id=plan.organization_id,
            date_from=period.start,
            date_to=period.end,
            today=today,
        )
    if Kind.SURVEY_RESPONSES in kinds:
        facts.survey_responses = survey_response_count(
            organization_id=plan.organization_id, date_from=period.start, date_to=period.end
        )
    if Kind.SURVEY_RESULTS in kinds:
        facts.surveys = [
            SurveyFact(
                id=s.pk,
                title=s.title,
                responses=s.period_responses,
                result=s.result,
                actions=s.actions_taken,
            )
            for s in surveys_answered(
                organization_id=plan.organization_id, date_from=period.start, date_to=period.end
            )
        ]
    facts.plan_published = plan.status == Plan.Status.PUBLISHED
    if Kind.REPORT_SUBMITTED in kinds and _report_provider is not None:
        facts.reports = [ReportFact(**values) for values in _report_provider(plan)]
    # Measures due every month ("Сар бүр"): their counts are checked month by month.
    facts.monthly_measures = frozenset(
        m.pk for m in measures if m.recurrence == Measure.Recurrence.MONTHLY
    )
    return facts


def organization_wide_registers(rules: Iterable[Rule]) -> set[str]:
    """Registers the rules count across the organization (the board, contracts, staff…)."""
    return {r.register for r in rules if counts_organization_wide(r.register, r.scope)}


def counts_organization_wide(register: str, scope: str) -> bool:
    """Whether a rule of `register` and `scope` counts every row of the organization."""
    return bool(register) and scope == SCOPE_ORGANIZATION


def measure_rows(
    *, measure_id: int, rules: Iterable[Rule], facts: Facts
) -> dict[str, list[RowFact]]:
    """The rows of the period that speak of one measure, by register: rows linked to it,
    and every row of a register one of its criteria counts across the organization. What
    its report text tells, and what makes it "recorded"."""
    org_wide = organization_wide_registers(rules)
    result = {}
    for key in REGISTERS:
        rows = facts.in_period(key)
        if key not in org_wide:
            rows = [row for row in rows if measure_id in row.measure_ids]
        if rows:
            result[key] = rows
    return result


def measure_recorded(*, measure_id: int, rules: Iterable[Rule], facts: Facts) -> bool:
    """Whether anything of the period speaks of the measure: rows (see `measure_rows`) or
    evidence attached to it."""
    return bool(measure_rows(measure_id=measure_id, rules=rules, facts=facts)) or any(
        e.measure_id == measure_id for e in facts.evidence
    )


def measures_with_records(
    *, measure_ids: list[int] | None = None, plan_ids: list[int] | None = None
) -> set[int]:
    """Which of `measure_ids` (or of the measures of `plan_ids`) have anything recorded in
    their plan's year, by the notion of `measure_recorded`: a register row linked to them,
    evidence attached, or a row of a register one of their criteria counts across the
    organization.

    For many plans at once (the parent body's view, the year rollover), read as values:
    the criteria and their stored rules (two queries; proposals are cached by text), per
    register counted across the organization the (organization, year) pairs that have a
    row (one query each), then one query whose EXISTS probes stop at the first row found,
    so thousands of measures cost milliseconds.
    """
    if not measure_ids and not plan_ids:
        return set()
    measures = (
        Measure.objects.filter(pk__in=measure_ids)
        if measure_ids
        else Measure.objects.filter(plan_id__in=plan_ids)
    )
    from shudarga.criteria.models import CriterionRule

    stored = {
        criterion_id: (register, scope)
        for criterion_id, register, scope in CriterionRule.objects.filter(
            criterion__measure__in=measures.values("pk")
        ).values_list("criterion_id", "register", "scope")
    }
    org_wide: dict[str, set[int]] = defaultdict(set)  # register -> measures counting it
    for criterion_id, measure_id, text, measure_text in Criterion.objects.filter(
        measure__in=measures.values("pk")
    ).values_list("id", "measure_id", "text", "measure__text"):
        if criterion_id in stored:
            register, scope = stored[criterion_id]
        else:
            rule = propose_rule(text, measure_text)
            register, scope = rule.register, rule.scope
        if counts_organization_wide(register, scope):
            org_wide[register].add(measure_id)

    # Measures counting a register across the organization: recorded when the
    # organization has any row of it in the plan's year.
    found: set[int] = set()
    if org_wide:
        place = {
            pk: (organization_id, year)
            for pk, organization_id, year in measures.values_list(
                "pk", "plan__organization_id", "plan__year"
            )
        }
        organizations = {organization_id for organization_id, _year in place.values()}
        for key, measure_set in org_wide.items():
            spec = REGISTERS[key]
            having = set(
                spec.model.objects.filter(organization_id__in=organizations)
                .values_list("organization_id", f"{spec.date_field}__year")
                .distinct()
                .order_by()
            )
            found.update(m for m in measure_set if place.get(m) in having)
    year = OuterRef("plan__year")
    recorded = Q(
        Exists(
            Evidence.objects.filter(
                measure_id=OuterRef("pk"), is_current=True, relates_to__year=year
            )
        )
    )
    for spec in REGISTERS.values():
        through = spec.model.measures.through
        row = spec.model._meta.model_name
        recorded |= Q(
            Exists(
                through.objects.filter(
                    measure_id=OuterRef("pk"), **{f"{row}__{spec.date_field}__year": year}
                )
            )
        )
    return found | set(measures.filter(recorded).values_list("pk", flat=True))
