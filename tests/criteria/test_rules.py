"""The pure rule evaluation and the proposals read from Mongolian criterion text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from shudarga.criteria.rules import (
    SCOPE_MEASURE,
    SCOPE_ORGANIZATION,
    EvidenceFact,
    Facts,
    Kind,
    Period,
    RowFact,
    Rule,
    Status,
    evaluate,
    propose_rule,
)
from shudarga.plans.documents.reading import read_plan_document

YEAR = Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
AFTER = dt.date(2024, 2, 1)
DURING = dt.date(2023, 7, 15)
M, C = 10, 100  # measure and criterion ids


def _row(i, date, measures=(M,), **values):
    return RowFact(id=i, date=date, measure_ids=frozenset(measures), values=values, label=f"r{i}")


def StaffFact(i, name, appointed_on, left_on=None):
    values = {"name": name, "appointed_on": appointed_on, "left_on": left_on}
    return RowFact(id=i, date=appointed_on, measure_ids=frozenset(), values=values, label=name)


def TrainingFact(i, date, kind, attendees):
    values = {"kind": kind, "attendees": frozenset(attendees)}
    return RowFact(id=i, date=date, measure_ids=frozenset(), values=values, label=f"t{i}")


def _facts(today=AFTER, staff=(), trainings=(), rows=None, **kwargs):
    rows = dict(rows or {})
    if staff:
        rows["staff"] = list(staff)
    if trainings:
        rows["trainings"] = list(trainings)
    return Facts(period=YEAR, today=today, rows=rows, **kwargs)


def _eval(rule, facts):
    with translation.override("en"):
        return evaluate(rule, measure_id=M, criterion_id=C, facts=facts)


AT_LEAST_2 = Rule(kind=Kind.AT_LEAST, register="events", n=2, filters={"kind": ["outreach"]})


def test_at_least_is_met_with_enough_rows_of_the_type():
    rows = [
        _row(1, dt.date(2023, 3, 1), kind="outreach"),
        _row(2, dt.date(2023, 5, 1), kind="outreach"),
    ]
    result = _eval(AT_LEAST_2, _facts(rows={"events": rows}))
    assert result.status == Status.MET
    assert (result.count, result.target, result.row_ids) == (2, 2, [1, 2])


def test_at_least_ignores_other_types_other_measures_and_other_years():
    rows = [
        _row(1, dt.date(2023, 3, 1), kind="outreach"),
        _row(2, dt.date(2023, 5, 1), kind="meeting"),
        _row(3, dt.date(2023, 5, 1), measures=(99,), kind="outreach"),
        _row(4, dt.date(2022, 12, 31), kind="outreach"),
    ]
    result = _eval(AT_LEAST_2, _facts(rows={"events": rows}))
    assert result.status == Status.NOT_MET
    assert result.row_ids == [1]
    assert "1 recorded" in result.message


def test_at_least_counts_every_row_of_the_organization_when_scoped_so():
    rule = Rule(kind=Kind.AT_LEAST, register="events", n=2, scope=SCOPE_ORGANIZATION)
    rows = [_row(1, dt.date(2023, 3, 1), measures=()), _row(2, dt.date(2023, 4, 1), measures=(5,))]
    assert _eval(rule, _facts(rows={"events": rows})).status == Status.MET


def test_at_least_is_not_yet_due_while_the_period_runs():
    rows = [_row(1, dt.date(2023, 3, 1), kind="outreach")]
    assert (
        _eval(AT_LEAST_2, _facts(today=DURING, rows={"events": rows})).status == Status.NOT_YET_DUE
    )


def test_nothing_is_due_before_the_period_starts():
    assert _eval(AT_LEAST_2, _facts(today=dt.date(2022, 6, 1))).status == Status.NOT_YET_DUE


EVERY_MONTH = Rule(kind=Kind.EVERY_MONTH, register="board-updates", scope=SCOPE_ORGANIZATION)


def test_every_month_names_the_missing_months():
    rows = [_row(m, dt.date(2023, m, 5)) for m in range(1, 13) if m not in (3, 7)]
    result = _eval(EVERY_MONTH, _facts(rows={"board-updates": rows}))
    assert result.status == Status.NOT_MET
    assert result.missing == ["March 2023", "July 2023"]
    with translation.override("mn"):
        result = evaluate(
            EVERY_MONTH, measure_id=M, criterion_id=C, facts=_facts(rows={"board-updates": rows})
        )
    assert result.missing == ["2023 оны 3 дугаар сар", "2023 оны 7 дугаар сар"]


def test_every_month_is_met_when_each_month_has_a_row():
    rows = [_row(m, dt.date(2023, m, 28)) for m in range(1, 13)]
    result = _eval(EVERY_MONTH, _facts(rows={"board-updates": rows}))
    assert (result.status, result.count, result.target) == (Status.MET, 12, 12)


def test_every_month_does_not_count_the_month_still_running():
    rows = [_row(m, dt.date(2023, m, 1)) for m in range(1, 7)]
    result = _eval(EVERY_MONTH, _facts(today=DURING, rows={"board-updates": rows}))
    assert (result.status, result.target) == (Status.MET, 6)


ALL_CLAUSES = Rule(
    kind=Kind.ALL_ROWS,
    register="contracts",
    require={"clause_damages": True},
    scope=SCOPE_ORGANIZATION,
)


def test_all_rows_names_the_rows_that_lack_the_condition():
    rows = [
        _row(1, dt.date(2023, 2, 1), clause_damages=True),
        _row(2, dt.date(2023, 3, 1), clause_damages=False),
    ]
    result = _eval(ALL_CLAUSES, _facts(rows={"contracts": rows}))
    assert result.status == Status.NOT_MET
    assert result.missing == ["r2"]


def test_all_rows_is_met_when_every_row_has_it():
    rows = [_row(1, dt.date(2023, 2, 1), clause_damages=True)]
    assert _eval(ALL_CLAUSES, _facts(rows={"contracts": rows})).status == Status.MET


def test_it_has_nothing_to_check_for_every_contract_without_contracts():
    for today in (DURING, AFTER):
        result = _eval(ALL_CLAUSES, _facts(today=today))
        assert (result.status, result.count) == (Status.NOTHING_TO_CHECK, 0)
        assert "Nothing to check" in result.message


COVERAGE = Rule(
    kind=Kind.COVERAGE,
    register="staff",
    filters={"kind": ["anti_corruption"]},
    days=60,
    scope=SCOPE_ORGANIZATION,
)


def test_coverage_needs_every_new_appointee_trained_in_time():
    staff = [
        StaffFact(1, "Бат", dt.date(2023, 2, 1)),
        StaffFact(2, "Дулмаа", dt.date(2023, 5, 1)),
        StaffFact(3, "Old", dt.date(2020, 1, 1)),
    ]
    trainings = [
        TrainingFact(1, dt.date(2023, 3, 1), "anti_corruption", frozenset({1})),
        TrainingFact(2, dt.date(2023, 9, 1), "anti_corruption", frozenset({2})),  # too late
        TrainingFact(3, dt.date(2023, 5, 10), "procurement", frozenset({2})),  # wrong kind
    ]
    result = _eval(COVERAGE, _facts(staff=staff, trainings=trainings))
    assert result.status == Status.NOT_MET
    assert (result.count, result.target, result.missing) == (1, 2, ["Дулмаа"])


def test_coverage_waits_for_appointees_whose_time_has_not_run_out():
    staff = [StaffFact(1, "Бат", dt.date(2023, 7, 1))]
    result = _eval(COVERAGE, _facts(today=DURING, staff=staff))
    assert result.status == Status.NOT_YET_DUE
    staff = [StaffFact(1, "Бат", dt.date(2023, 2, 1))]
    trainings = [TrainingFact(1, dt.date(2023, 2, 20), "anti_corruption", frozenset({1}))]
    assert _eval(COVERAGE, _facts(staff=staff, trainings=trainings)).status == Status.MET


EVIDENCE = Rule(kind=Kind.EVIDENCE, n=1)


def test_evidence_counts_items_of_the_measure_for_this_or_no_criterion():
    items = [
        EvidenceFact(1, M, None, dt.date(2023, 4, 1)),
        EvidenceFact(2, M, 555, dt.date(2023, 4, 1)),
        EvidenceFact(3, 99, None, dt.date(2023, 4, 1)),
    ]
    result = _eval(EVIDENCE, _facts(evidence=items))
    assert (result.status, result.row_ids) == (Status.MET, [1])
    assert _eval(EVIDENCE, _facts(evidence=items[1:])).status == Status.NOT_MET
    assert _eval(EVIDENCE, _facts(today=DURING)).status == Status.NOT_YET_DUE


def test_manual_rules_are_judged_by_people():
    assert _eval(Rule(kind=Kind.MANUAL), _facts()).status == Status.MANUAL


# -- proposals ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    from tests.conftest import SEED_PATH

    return {m.code: m for m in read_plan_document(SEED_PATH.read_bytes()).measures}


def _propose(seed, code, index):
    measure = seed[code]
    return propose_rule(measure.criteria[index], measure.text)


def test_it_proposes_at_least_two_events_for_1_2(seed):
    rule = _propose(seed, "1.2", 0)
    assert (rule.kind, rule.register, rule.n, rule.scope) == (
        Kind.AT_LEAST,
        "events",
        2,
        SCOPE_MEASURE,
    )
    assert rule.filters == {"kind": ["awareness_day", "outreach"]}
    assert rule.source == "2-оос доошгүй"


def test_it_proposes_every_month_board_updates_for_1_3(seed):
    rule = _propose(seed, "1.3", 0)
    assert (rule.kind, rule.register) == (Kind.EVERY_MONTH, "board-updates")


def test_it_proposes_own_publications_for_1_4(seed):
    assert _propose(seed, "1.4", 0) == Rule(
        kind=Kind.AT_LEAST,
        register="publications",
        n=2,
        filters={"produced_by": ["own"]},
        scope=SCOPE_MEASURE,
        source="2-оос доошгүй",
    )
    hotline = _propose(seed, "1.4", 2)
    assert (hotline.kind, hotline.require) == (Kind.ALL_ROWS, {"shows_hotline": True})


def test_it_proposes_full_coverage_for_2_1(seed):
    rule = _propose(seed, "2.1", 0)
    assert (rule.kind, rule.register, rule.days) == (Kind.COVERAGE, "staff", 90)


def test_it_proposes_the_three_contract_clauses_for_3_1(seed):
    assert [_propose(seed, "3.1", i).require for i in range(3)] == [
        {"clause_anti_corruption": True},
        {"clause_duty_to_report": True},
        {"clause_damages": True},
    ]


def test_it_proposes_sector_meetings_for_4_2(seed):
    rule = _propose(seed, "4.2", 0)
    assert (rule.kind, rule.register, rule.filters) == (
        Kind.AT_LEAST,
        "events",
        {"kind": ["discussion", "meeting"]},
    )


def test_it_proposes_evidence_attached_wherever_the_text_says_so(seed):
    with_evidence = [
        (code, i)
        for code, m in seed.items()
        for i, text in enumerate(m.criteria)
        if "нотломж" in text.lower() and "хавсарга" in text
    ]
    assert len(with_evidence) == 10
    for code, i in with_evidence:
        assert _propose(seed, code, i).kind == Kind.EVIDENCE, code


def test_it_leaves_the_rest_to_people(seed):
    assert _propose(seed, "1.1", 2).kind == Kind.MANUAL  # Харьяа газар, нэгжүүдийг хамруулсан
    assert _propose(seed, "3.2", 0).kind == Kind.MANUAL


def test_no_overdue_petitions_is_met_only_with_none_overdue():
    rule = Rule(kind=Kind.NO_OVERDUE_PETITIONS, scope=SCOPE_ORGANIZATION)
    assert _eval(rule, _facts(petitions_overdue=0)).status == Status.MET
    result = _eval(rule, _facts(petitions_overdue=2))
    assert (result.status, result.count) == (Status.NOT_MET, 2)


def test_survey_responses_count_against_the_target():
    rule = Rule(kind=Kind.SURVEY_RESPONSES, n=10, scope=SCOPE_ORGANIZATION)
    assert _eval(rule, _facts(survey_responses=12)).status == Status.MET
    assert _eval(rule, _facts(survey_responses=3)).status == Status.NOT_MET
    assert _eval(rule, _facts(today=DURING, survey_responses=3)).status == Status.NOT_YET_DUE


def test_it_proposes_petition_deadlines_for_5_5_and_the_survey_for_4_3(seed):
    assert _propose(seed, "5.5", 0).kind == Kind.NO_OVERDUE_PETITIONS
    assert _propose(seed, "4.3", 0).kind == Kind.SURVEY_RESULTS


# -- the seed's 43 criteria, each with its rule ------------------------------------------
# (measure, criterion index, kind, register, n, filters, require, per). The note of issue 14
# carries the same table with the reasons.
A_, E_, P_ = Kind.AT_LEAST, Kind.EVIDENCE, Kind.MANUAL  # at least, evidence, people
SEED_RULES = [
    ("1.1", 0, A_, "publications", 1, {"produced_by": ["authority"]}, {}, ""),
    ("1.1", 1, Kind.ALL_ROWS, "publications", None, {"produced_by": ["authority"]},
     {"reach_counted": True}, ""),
    ("1.1", 2, P_, "", None, {}, {}, ""),
    ("1.2", 0, A_, "events", 2, {"kind": ["awareness_day", "outreach"]}, {}, ""),
    ("1.2", 1, E_, "", 1, {}, {}, ""),
    ("1.3", 0, Kind.EVERY_MONTH, "board-updates", None, {}, {}, ""),
    ("1.3", 1, E_, "", 1, {}, {}, "month"),
    ("1.4", 0, A_, "publications", 2, {"produced_by": ["own"]}, {}, ""),
    ("1.4", 1, Kind.ALL_ROWS, "publications", None, {"produced_by": ["own"]},
     {"published": True}, ""),
    ("1.4", 2, Kind.ALL_ROWS, "publications", None, {"produced_by": ["own"]},
     {"shows_hotline": True}, ""),
    ("2.1", 0, Kind.COVERAGE, "staff", None, {"kind": ["anti_corruption"]}, {}, ""),
    ("2.1", 1, E_, "", 1, {}, {}, ""),
    ("2.2", 0, P_, "", None, {}, {}, ""),
    ("2.2", 1, E_, "", 1, {}, {}, ""),
    ("3.1", 0, Kind.ALL_ROWS, "contracts", None, {}, {"clause_anti_corruption": True}, ""),
    ("3.1", 1, Kind.ALL_ROWS, "contracts", None, {}, {"clause_duty_to_report": True}, ""),
    ("3.1", 2, Kind.ALL_ROWS, "contracts", None, {}, {"clause_damages": True}, ""),
    ("3.1", 3, P_, "", None, {}, {}, ""),
    ("3.1", 4, E_, "", 1, {}, {}, ""),
    ("3.2", 0, P_, "", None, {}, {}, ""),
    ("3.2", 1, P_, "", None, {}, {}, ""),
    ("3.2", 2, Kind.ALL_ROWS, "oversight", 1, {"kind": ["public_oversight"]},
     {"acted_on": True}, ""),
    ("4.1", 0, Kind.ALL_ROWS, "risks", 1, {}, {"mitigated": True}, ""),
    ("4.1", 1, E_, "", 1, {}, {}, ""),
    ("4.2", 0, A_, "events", 2, {"kind": ["discussion", "meeting"]}, {}, ""),
    ("4.2", 1, Kind.ALL_ROWS, "events", 1, {"kind": ["discussion", "meeting"]},
     {"followed_up": True}, ""),
    ("4.2", 2, E_, "", 1, {}, {}, ""),
    ("4.3", 0, Kind.SURVEY_RESULTS, "", 1, {}, {}, ""),
    ("4.3", 1, E_, "", 1, {}, {}, ""),
    ("5.1", 0, A_, "events", 1, {"kind": ["briefing"]}, {}, ""),
    ("5.1", 1, P_, "", None, {}, {}, ""),
    ("5.1", 2, P_, "", None, {}, {}, ""),
    ("5.1", 3, E_, "", 1, {}, {}, ""),
    ("5.2", 0, Kind.ALL_ROWS, "oversight", None, {"kind": ["recommendation"]},
     {"acted_on": True}, ""),
    ("5.2", 1, E_, "", 1, {}, {}, ""),
    ("5.3", 0, Kind.PLAN_PUBLISHED, "", None, {}, {}, ""),
    ("5.3", 1, P_, "", None, {}, {}, ""),
    ("5.3", 2, Kind.REPORT_SUBMITTED, "", None, {}, {}, ""),
    ("5.4", 0, A_, "document-reviews", 1, {"kind": ["internal_rule"]}, {}, ""),
    ("5.5", 0, Kind.NO_OVERDUE_PETITIONS, "", None, {}, {}, ""),
    ("5.6", 0, A_, "document-reviews", 1, {"kind": ["management_order"]}, {}, ""),
    ("5.7", 0, A_, "trainings", 1, {"kind": ["procurement"]}, {}, ""),
    ("5.8", 0, A_, "audits", 1, {}, {}, ""),
]  # fmt: skip


def test_the_table_covers_the_seeds_43_criteria(seed):
    assert sorted((code, i) for code, i, *_rest in SEED_RULES) == sorted(
        (code, i) for code, m in seed.items() for i in range(len(m.criteria))
    )
    kinds = [kind for _c, _i, kind, *_rest in SEED_RULES]
    assert len(SEED_RULES) == 43
    assert kinds.count(Kind.MANUAL) == 8  # 35 evaluate themselves


@pytest.mark.parametrize(
    ("code", "index", "kind", "register", "n", "filters", "require", "per"), SEED_RULES
)
def test_each_seed_criterion_gets_its_rule(seed, code, index, kind, register, n, filters,
                                           require, per):  # fmt: skip
    rule = _propose(seed, code, index)
    assert (rule.kind, rule.register, rule.n, rule.filters, rule.require, rule.per) == (
        kind,
        register,
        n,
        filters,
        require,
        per,
    )
