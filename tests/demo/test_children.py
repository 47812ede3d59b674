"""`load_demo_children`: children with different stories under the demo parent."""

from __future__ import annotations

import datetime as dt

import pytest

from shudarga.dashboards.selectors import parent_overview
from shudarga.demo.children import load_demo_children

pytestmark = pytest.mark.django_db


def test_it_creates_children_with_different_numbers(parent_org):
    children = load_demo_children(parent=parent_org, count=4)
    assert [c.code for c in children] == [f"PARENT-C{i}" for i in range(1, 5)]
    rows = {
        r.organization.code: r
        for r in parent_overview(organization=parent_org, today=dt.date(2024, 2, 1)).rows
    }
    full, half, drafts, bare = (rows[c.code] for c in children)
    assert full.score is not None and half.score is not None
    assert str(half.score) == "70.0"
    assert drafts.score is None and drafts.reports["h1"].status == "draft"
    assert bare.reports == {}
    assert full.overdue_measures < half.overdue_measures <= bare.overdue_measures
    assert load_demo_children(parent=parent_org, count=4) == children  # safe to run again
