"""Property-based tests of the criteria rules: any facts give one of the four statuses, and
any text gives a rule proposal; neither ever raises."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from shudarga.criteria.rules import (
    SCOPE_MEASURE,
    SCOPE_ORGANIZATION,
    Evaluation,
    EvidenceFact,
    Facts,
    Kind,
    Period,
    ReportFact,
    RowFact,
    Rule,
    Status,
    SurveyFact,
    evaluate,
    propose_rule,
)

STATUSES = set(Status.ALL)
REGISTERS = ["events", "board-updates", "contracts", "publications", "trainings", "staff", ""]
FIELDS = ["kind", "produced_by", "clause_anti_corruption", "shows_hotline", "x"]
# The years plans, registers and staff records have; the rule's own numbers within what its
# form allows (n 1-10,000, days 1-366), widened by 0 and a little beyond.
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 12, 31))
ids = st.integers(min_value=1, max_value=50)
values = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=5)
    | st.sampled_from(["discussion", "outreach", "own", "awareness_day"])
)

rules = st.builds(
    Rule,
    kind=st.sampled_from([*Kind.ALL, "unknown"]),
    register=st.sampled_from(REGISTERS),
    n=st.none() | st.integers(min_value=0, max_value=10_500),
    filters=st.dictionaries(
        st.sampled_from(FIELDS), st.lists(st.text(max_size=5) | st.integers(), max_size=3)
    ),
    require=st.dictionaries(st.sampled_from(FIELDS), st.booleans()),
    scope=st.sampled_from([SCOPE_MEASURE, SCOPE_ORGANIZATION]),
    days=st.none() | st.integers(min_value=0, max_value=400),
    per=st.sampled_from(["", "month"]),
)
row_facts = st.builds(
    RowFact,
    id=ids,
    date=dates,
    measure_ids=st.frozensets(ids, max_size=3),
    values=st.dictionaries(st.sampled_from(FIELDS), values, max_size=4),
    label=st.text(max_size=10),
)
staff_rows = st.builds(
    RowFact,
    id=ids,
    date=dates,
    measure_ids=st.just(frozenset()),
    label=st.text(max_size=8),
    values=st.fixed_dictionaries(
        {"name": st.text(max_size=8), "appointed_on": dates, "left_on": st.none() | dates}
    ),
)
training_rows = st.builds(
    RowFact,
    id=ids,
    date=dates,
    measure_ids=st.just(frozenset()),
    label=st.just("t"),
    values=st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["anti_corruption", "x"]),
            "attendees": st.frozensets(ids, max_size=5),
        }
    ),
)
facts = st.builds(
    Facts,
    period=st.builds(Period, start=dates, end=dates),  # even an end before the start
    today=dates,
    rows=st.dictionaries(st.sampled_from(REGISTERS), st.lists(row_facts, max_size=8), max_size=3)
    | st.fixed_dictionaries({"staff": st.lists(staff_rows, max_size=6),
                             "trainings": st.lists(training_rows, max_size=4)}),
    surveys=st.lists(
        st.builds(SurveyFact, id=ids, title=st.text(max_size=8),
                  responses=st.integers(min_value=0, max_value=50), result=st.text(max_size=5),
                  actions=st.text(max_size=5)),
        max_size=3,
    ),
    reports=st.lists(
        st.builds(ReportFact, label=st.text(max_size=5), start=dates, end=dates,
                  due_date=dates, submitted_on=st.none() | dates),
        max_size=3,
    ),
    plan_published=st.booleans(),
    petitions_received=st.none() | st.integers(min_value=0, max_value=1000),
    evidence=st.lists(
        st.builds(EvidenceFact, id=ids, measure_id=ids, criterion_id=st.none() | ids,
                  relates_to=dates),
        max_size=6,
    ),
    petitions_overdue=st.integers(min_value=0, max_value=1000),
    survey_responses=st.integers(min_value=0, max_value=1000),
)  # fmt: skip


@given(
    rule=rules,
    facts=facts,
    measure_id=ids,
    criterion_id=ids,
    language=st.sampled_from(["mn", "en"]),
)
def test_any_facts_evaluate_to_one_of_the_statuses(rule, facts, measure_id, criterion_id, language):
    with translation.override(language):
        result = evaluate(rule, measure_id=measure_id, criterion_id=criterion_id, facts=facts)
    assert isinstance(result, Evaluation)
    assert result.status in STATUSES
    assert isinstance(result.message, str) and result.message
    if rule.kind not in Kind.ALL or rule.kind == Kind.MANUAL:
        assert result.status in {Status.MANUAL, Status.NOT_YET_DUE}


@given(rule=rules, facts=facts)
def test_nothing_is_due_before_the_period_starts(rule, facts):
    facts.today = min(facts.today, facts.period.start - dt.timedelta(days=1))
    result = evaluate(rule, measure_id=1, criterion_id=1, facts=facts)
    assert result.status == Status.NOT_YET_DUE


_words = st.sampled_from([
    "2-оос доошгүй", "сар бүр", "нотломжийг хавсаргасан", "бүрэн хамруулсан", "томилогдсон",
    "өргөдөл", "хугацаа хэтрүүлэхгүй", "сэтгэл ханамжийн судалгаа", "үр дүн", "гэрээ",
    "авлигаас ангид", "110", "самбар", "сургалт", "өдөрлөг", "сурталчилгаа", "өөрсдийн",
    "99999999999999999999-ээс доошгүй", "0-оос доошгүй",
])  # fmt: skip
texts = st.lists(_words | st.text(max_size=20), max_size=6).map(" ".join)


@given(criterion=texts | st.text(), measure=texts | st.text())
def test_any_text_gets_a_rule_proposal(criterion, measure):
    rule = propose_rule(criterion, measure)
    assert isinstance(rule, Rule)
    assert rule.kind in Kind.ALL
    assert rule.n is None or rule.n >= 0
