"""Fixtures of the public portal tests: a clean rate-limit cache and a published plan."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from shudarga.plans.services import plan_change_status


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published_plan(seed_plan):
    plan_change_status(plan=seed_plan, transition="approve", actor=None)
    return plan_change_status(plan=seed_plan, transition="publish", actor=None)
