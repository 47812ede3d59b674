"""Report tests: files in a temporary MEDIA_ROOT, the seed plan's reports, and a helper that
takes a report through submission and scoring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from shudarga.reports import services
from shudarga.reports.selectors import report_page
from tests.factories import CriterionFactory, GoalFactory, MeasureFactory, PlanFactory

AFTER_THE_YEAR = dt.date(2024, 1, 15)


@pytest.fixture(autouse=True)
def english(client):
    """Messages in English (the source), so the tests hold once they are translated; the
    documents stay Mongolian whatever the language."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def seed_plan(seed_plan):
    """The seed plan with every measure due by year end, as a coordinator may schedule it:
    the half-year report then has measures not yet due (ХБ) to score around. (Imported as
    it is, the seed has no deadlines and every measure is due in every period.)"""
    seed_plan.measures.update(recurrence="year_end")
    return seed_plan


@pytest.fixture
def year_report(seed_plan, coordinator):
    return services.report_create(
        plan=seed_plan, period="year", actor=coordinator, today=AFTER_THE_YEAR
    )


@pytest.fixture
def h1_report(seed_plan, coordinator):
    return services.report_create(
        plan=seed_plan, period="h1", actor=coordinator, today=AFTER_THE_YEAR
    )


def score_all(report, reviewer, scores=None, default=100):
    """Submit `report` if it is a draft, then score every due measure: `scores[code]` or
    `default`. Returns the report as stored."""
    if report.status == "draft":
        report = services.report_submit(report=report, actor=None, today=AFTER_THE_YEAR)
    for row in report_page(report=report, with_evidence=False).rows:
        if row.due:
            services.report_item_score(
                report=report,
                measure=row.measure,
                actor=reviewer,
                score=(scores or {}).get(row.measure.code, default),
            )
    return report


def plan_with_measures(org, n, *, year=2023, goals=5, criteria=2, **measure_fields):
    """A plan of `org` with `n` measures spread over `goals` goals, `criteria` each, due by
    year end unless `measure_fields` say otherwise."""
    measure_fields.setdefault("recurrence", "year_end")
    plan = PlanFactory(organization=org, year=year)
    goal_rows = [GoalFactory(plan=plan, number=i + 1, position=i + 1) for i in range(goals)]
    for i in range(n):
        goal = goal_rows[i % goals]
        measure = MeasureFactory(
            goal=goal, plan=plan, code=f"{goal.number}.{i // goals + 1}", position=i + 1,
            **measure_fields,
        )  # fmt: skip
        for j in range(criteria):
            CriterionFactory(measure=measure, text=f"Шалгуур {j + 1}", position=j + 1)
    return plan
