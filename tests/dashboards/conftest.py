"""Data shared by the dashboard tests: the seed plan with confirmed rules and a little
recorded work, and a parent body with children."""

from __future__ import annotations

import datetime as dt

import pytest

from shudarga.criteria.services import plan_confirm_proposed_rules
from shudarga.organizations.roles import Role
from shudarga.registers.models import BoardUpdate
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_save
from tests.factories import MembershipFactory, UserFactory


def board_update(org, measure, day: dt.date):
    return register_row_save(
        spec=REGISTERS["board-updates"],
        organization=org,
        row=BoardUpdate(date=day, content="Мэдээлэл"),
        measures=[measure],
        actor=None,
    )


@pytest.fixture
def worked_plan(seed_plan):
    """The seed plan (2023) with rules confirmed and board updates January–March for 1.3."""
    plan_confirm_proposed_rules(plan=seed_plan, actor=None)
    measure = seed_plan.measures.get(code="1.3")
    for month in (1, 2, 3):
        board_update(seed_plan.organization, measure, dt.date(2023, month, 5))
    return seed_plan


@pytest.fixture
def parent_auditor(parent_org):
    user = UserFactory(username="parent-auditor", email="pa@example.mn")
    MembershipFactory(user=user, organization=parent_org, role=Role.AUDITOR)
    return user
