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


def test_the_parent_ranks_the_demo_children_as_a_hand_count_does(parent_org):
    """Issue 18 on the demo's data: the parent body evaluated the full story's half-year
    report (approved) and the half story's (under way); the other two are not submitted."""
    from shudarga.reports.models import ReportItem
    from shudarga.reports.ranking import descendant_ranking

    children = load_demo_children(parent=parent_org, count=4)
    full, half, drafts, bare = children

    def by_hand(org):
        scores = list(
            ReportItem.objects.filter(
                report__plan__organization=org, report__period="h1", due=True
            ).values_list("parent_score", flat=True)
        )
        assert None not in scores and scores
        return f"{sum(scores) * 10 // len(scores) / 10:.1f}"

    ranking = descendant_ranking(organization=parent_org, year=2023, period="h1")
    rows = {r.code: r for r in ranking.rows}
    assert rows[full.code].percent_text == by_hand(full)
    assert rows[half.code].percent_text == by_hand(half)
    assert rows[full.code].approved and not rows[half.code].approved
    assert {rows[drafts.code].state, rows[bare.code].state} == {"not_submitted"}
    ranked = sorted([rows[full.code], rows[half.code]], key=lambda r: -r.percent)
    assert [r.rank for r in ranked] == ([1, 1] if ranked[0].percent == ranked[1].percent
                                        else [1, 2])  # fmt: skip
    assert [r.code for r in ranking.rows[2:]] == sorted(
        [drafts.code, bare.code], key=lambda code: rows[code].name
    )
