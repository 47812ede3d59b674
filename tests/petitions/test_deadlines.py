"""The dated deadline rules: one place, and a petition keeps the rule in force on receipt."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from shudarga.petitions import deadlines, services
from shudarga.petitions.deadlines import DeadlineRule, Kind, rule_in_force
from tests.factories import PetitionFactory

NEW_LAW = DeadlineRule(
    key="2024-06",
    valid_from=dt.date(2024, 6, 1),
    days={Kind.PETITION: 15, Kind.COMPLAINT: 15, Kind.REQUEST: 15, Kind.PROPOSAL: 60},
    max_extension_days=10,
    legal_basis="A new law",
)


def test_it_picks_the_latest_rule_in_force():
    rules = (*deadlines.DEADLINE_RULES, NEW_LAW)
    assert rule_in_force(dt.date(2024, 5, 31), rules).key == "1995"
    assert rule_in_force(dt.date(2024, 6, 1), rules).key == "2024-06"
    with pytest.raises(ValueError):
        rule_in_force(dt.date(1990, 1, 1), rules)


def test_the_law_in_force_gives_30_and_90_days():
    rule = rule_in_force(dt.date(2024, 1, 1))
    assert rule.days_for(Kind.PETITION) == 30
    assert rule.days_for(Kind.PROPOSAL) == 90
    assert rule.max_extension_days == 30
    assert rule.due_on(kind=Kind.COMPLAINT, received_on=dt.date(2024, 1, 31)) == dt.date(2024, 3, 1)


@pytest.mark.django_db
def test_a_petition_keeps_the_rule_in_force_when_it_was_received(org, coordinator, monkeypatch):
    monkeypatch.setattr(deadlines, "DEADLINE_RULES", (*deadlines.DEADLINE_RULES, NEW_LAW))
    with time_machine.travel(dt.datetime(2024, 6, 5, 3, tzinfo=dt.UTC), tick=False):
        old = PetitionFactory(organization=org, received_on=dt.date(2024, 5, 31))
        new = PetitionFactory(organization=org, received_on=dt.date(2024, 6, 2))
        assert (old.rule_key, old.base_days, old.due_on) == ("1995", 30, dt.date(2024, 6, 30))
        assert (new.rule_key, new.base_days, new.due_on) == ("2024-06", 15, dt.date(2024, 6, 17))
        args = {"reason": "r", "decided_by": "h", "petitioner_informed": True, "actor": coordinator}
        services.petition_extend(petition=old, days=30, **args)  # the old law's 30 days
        with pytest.raises(ValidationError):
            services.petition_extend(petition=new, days=11, **args)  # the new law allows 10
        services.petition_extend(petition=new, days=10, **args)
    assert new.due_on == dt.date(2024, 6, 27)
