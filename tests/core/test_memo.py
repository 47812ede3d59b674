"""The audit memo serves a result again only while no audited change happened."""

from __future__ import annotations

import datetime as dt

import pytest

from shudarga.core.memo import AuditMemo, audit_stamp
from shudarga.criteria.selectors import plan_evaluate
from shudarga.registers.models import BoardUpdate
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_save

pytestmark = pytest.mark.django_db


def test_a_key_with_the_stamp_changes_with_every_audited_change(org, seed_plan, settings):
    settings.AUDIT_MEMO = True
    memo = AuditMemo(size=2)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first = memo.get(lambda: ("x", audit_stamp(organization_id=org.pk)), compute)
    assert memo.get(lambda: ("x", audit_stamp(organization_id=org.pk)), compute) == first == 1
    measure = seed_plan.measures.get(code="1.3")
    register_row_save(
        spec=REGISTERS["board-updates"],
        organization=org,
        row=BoardUpdate(date=dt.date(2023, 5, 2), content="Мэдээлэл"),
        measures=[measure],
        actor=None,
    )
    assert memo.get(lambda: ("x", audit_stamp(organization_id=org.pk)), compute) == 2


def test_memoised_evaluations_follow_new_records(
    org, seed_plan, settings, django_assert_max_num_queries
):
    """With the memo on, evaluating again is cheap, and a new record is seen at once."""
    settings.AUDIT_MEMO = True
    today = dt.date(2023, 12, 31)
    before = plan_evaluate(plan=seed_plan, today=today)
    with django_assert_max_num_queries(9):  # the plan's structure and rules, two stamps
        again = plan_evaluate(plan=seed_plan, today=today)
    assert {k: v.evaluation for k, v in again.by_criterion.items()} == {
        k: v.evaluation for k, v in before.by_criterion.items()
    }
    measure = seed_plan.measures.get(code="1.3")
    register_row_save(
        spec=REGISTERS["board-updates"],
        organization=org,
        row=BoardUpdate(date=dt.date(2023, 5, 2), content="Мэдээлэл"),
        measures=[measure],
        actor=None,
    )
    after = plan_evaluate(plan=seed_plan, today=today)
    changed = [
        k
        for k, v in after.by_criterion.items()
        if v.evaluation != before.by_criterion[k].evaluation
    ]
    assert changed, "a new board update must change the evaluation of measure 1.3"


def test_off_in_tests_by_default(settings):
    assert settings.AUDIT_MEMO is False
