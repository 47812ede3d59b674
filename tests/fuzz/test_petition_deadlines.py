"""Property-based tests of the petition deadlines: a deadline always falls after receipt,
and an extension never brings it closer."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shudarga.petitions import services
from shudarga.petitions.deadlines import DEADLINE_RULES, DeadlineRule, Kind, rule_in_force
from tests.factories import OrganizationFactory, PetitionFactory
from tests.fuzz.profiles import examples

FIRST_LAW = min(rule.valid_from for rule in DEADLINE_RULES)
# Any day a petition can be received: from the first law on, and far enough from the last
# date Python knows that a deadline still has a date (9999-12-31 minus the longest term).
received_days = st.dates(min_value=FIRST_LAW, max_value=dt.date(9999, 6, 30))
kinds = st.sampled_from(Kind.ALL)


@given(received_on=received_days, kind=kinds)
def test_the_deadline_falls_after_receipt(received_on, kind):
    rule = rule_in_force(received_on)
    due = rule.due_on(kind=kind, received_on=received_on)
    assert due > received_on
    assert (due - received_on).days == rule.days_for(kind)


@given(received_on=received_days, kind=kinds, extension=st.integers(min_value=1, max_value=30))
def test_an_allowed_extension_never_shortens_the_deadline(received_on, kind, extension):
    rule = rule_in_force(received_on)
    extension = min(extension, rule.max_extension_days)
    due = rule.due_on(kind=kind, received_on=received_on)
    # petition_extend counts the extension from the original deadline
    assert due + dt.timedelta(days=extension) > due > received_on


@given(received_on=st.dates(max_value=FIRST_LAW - dt.timedelta(days=1)))
def test_a_day_before_every_law_is_refused_clearly(received_on):
    with pytest.raises(ValueError, match="no deadline rule"):
        rule_in_force(received_on)


_rules = st.lists(
    st.builds(
        DeadlineRule,
        key=st.text(min_size=1, max_size=6),
        valid_from=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
        days=st.fixed_dictionaries({k: st.integers(min_value=1, max_value=365) for k in Kind.ALL}),
        max_extension_days=st.integers(min_value=0, max_value=60),
        legal_basis=st.just("law"),
    ),
    min_size=1,
    max_size=5,
)


@given(rules=_rules, on=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 1, 1)))
def test_the_rule_in_force_is_the_latest_that_started(rules, on):
    """When the law changes (a new rule), the day decides which rule a petition keeps."""
    started = [r for r in rules if r.valid_from <= on]
    if not started:
        with pytest.raises(ValueError):
            rule_in_force(on, tuple(rules))
        return
    chosen = rule_in_force(on, tuple(rules))
    assert chosen.valid_from == max(r.valid_from for r in started)


TODAY = dt.date(2025, 3, 14)


@pytest.mark.django_db
@settings(max_examples=examples(25), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    age=st.integers(min_value=0, max_value=120),  # days since receipt
    kind=kinds,
    days=st.integers(min_value=-5, max_value=40),
    extended_after=st.integers(min_value=0, max_value=120),  # days after receipt
)
def test_extending_a_registered_petition_never_shortens_its_deadline(
    age, kind, days, extended_after
):
    """Through the services, as a clerk does it: any extension the law allows moves the
    deadline later; one it does not allow is refused and changes nothing."""
    with time_machine.travel(dt.datetime(2025, 3, 14, 4, 0, tzinfo=dt.UTC), tick=False):
        received_on = TODAY - dt.timedelta(days=age)
        petition = PetitionFactory(
            organization=OrganizationFactory(), received_on=received_on, kind=kind
        )
        assert petition.due_on > received_on
        before = petition.due_on
        on = min(received_on + dt.timedelta(days=extended_after), TODAY)
        try:
            services.petition_extend(
                petition=petition,
                days=days,
                reason="Нэмэлт шалгалт",
                decided_by="Дарга Б.Бат",
                petitioner_informed=True,
                actor=None,
                on=on,
            )
        except ValidationError:
            petition.refresh_from_db()
            assert petition.due_on == before
            assert not 1 <= days <= 30 or on > before  # refused only for a reason
        else:
            petition.refresh_from_db()
            assert 1 <= days <= 30
            assert petition.due_on == before + dt.timedelta(days=days) > before
