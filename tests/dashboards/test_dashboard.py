"""The organization dashboard: numbers recomputed here from the sources, charts, access."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from shudarga.core.activity import action_label
from shudarga.criteria.selectors import plan_evaluate
from shudarga.dashboards.selectors import organization_dashboard
from shudarga.registers.registry import REGISTERS
from tests.dashboards.conftest import board_update
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2023, 7, 15)


def _percent_by_hand(statuses: list[str]) -> str:
    met, not_met = statuses.count("met"), statuses.count("not_met")
    if not met + not_met:
        return "—"
    tenths = met * 1000 // (met + not_met)
    return f"{tenths // 10}.{tenths % 10}"


@time_machine.travel(dt.datetime(2023, 7, 15, 10, tzinfo=dt.UTC), tick=False)
def test_it_shows_the_criteria_percent_recomputed_from_the_evaluation(client, leader, worked_plan):
    statuses = [
        s.evaluation.status
        for s in plan_evaluate(plan=worked_plan, today=TODAY).by_criterion.values()
    ]
    client.force_login(leader)
    response = client.get(reverse("dashboards:dashboard", args=["HOME"]))
    assert response.status_code == 200
    board = response.context["fragment"].data["board"]
    assert board.percent_text == _percent_by_hand(statuses)
    assert sum(g.met for g in board.goals) == statuses.count("met")
    assert sum(g.not_met for g in board.goals) == statuses.count("not_met")
    assert sum(g.not_yet_due for g in board.goals) == statuses.count("not_yet_due")
    html = response.content.decode()
    assert f'data-test="criteria-percent">{_percent_by_hand(statuses)}' in html
    assert "<svg" in html


def test_it_counts_measures_with_nothing_recorded(worked_plan):
    measures = list(worked_plan.measures.all())
    recorded = set()
    for spec in REGISTERS.values():
        recorded |= set(spec.model.measures.through.objects.values_list("measure_id", flat=True))
    expected = [m.code for m in measures if m.pk not in recorded]
    board = organization_dashboard(organization=worked_plan.organization, today=TODAY)
    assert [m.code for m in board.idle_measures] == expected
    assert "1.3" not in expected and len(expected) == len(measures) - 1


def test_it_counts_overdue_petitions_and_lists_their_deadlines(org, worked_plan):
    today = timezone.localdate()
    late = PetitionFactory(organization=org, received_on=today - dt.timedelta(days=60))
    soon = PetitionFactory(organization=org, received_on=today)
    board = organization_dashboard(organization=org, today=today)
    assert board.petitions["overdue"] == 1
    assert late.due_on < today <= soon.due_on
    assert any(o.kind == "petition" and o.day == soon.due_on for o in board.deadlines) == (
        soon.due_on <= today + dt.timedelta(days=30)
    )


def test_it_lists_measure_due_dates_of_the_next_30_days(worked_plan):
    from shudarga.plans.services import measure_assign

    measure = worked_plan.measures.get(code="1.3")
    measure_assign(
        measure=measure, actor=None, responsible_unit="", responsible_person=None,
        due_date=None, recurrence="monthly",
    )  # fmt: skip
    board = organization_dashboard(organization=worked_plan.organization, today=TODAY)
    days = [o.day for o in board.deadlines if o.title.startswith("1.3 ")]
    assert days == [dt.date(2023, 7, 31)]


def test_it_shows_recent_activity(client, leader, worked_plan):
    client.force_login(leader)
    response = client.get(reverse("dashboards:dashboard", args=["HOME"]))
    activity = response.context["fragment"].data["board"].activity
    assert 0 < len(activity) <= 10
    html = response.content.decode()
    assert action_label(activity[0].action) in html  # in words,
    assert f"> {activity[0].action} <" not in html and "<code>" not in html  # not its key


def test_it_says_what_to_do_without_a_plan(client, leader):
    client.force_login(leader)
    response = client.get(reverse("dashboards:dashboard", args=["HOME"]))
    assert response.status_code == 200
    assert response.context["fragment"].data["board"].plan is None


@pytest.mark.parametrize("name", ["chart_goals", "chart_criteria"])
def test_it_downloads_the_charts_as_svg_and_png(client, leader, worked_plan, name):
    client.force_login(leader)
    svg = client.get(reverse(f"dashboards:{name}", args=["HOME", "svg"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    png = client.get(reverse(f"dashboards:{name}", args=["HOME", "png"]))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(reverse(f"dashboards:{name}", args=["HOME", "gif"])).status_code == 404


def test_it_answers_404_to_an_outsider(client, outsider, worked_plan):
    client.force_login(outsider)
    assert client.get(reverse("dashboards:dashboard", args=["HOME"])).status_code == 404


@pytest.mark.parametrize("n_petitions", [1, 25])
def test_dashboard_queries_do_not_grow(
    client, leader, worked_plan, django_assert_num_queries, n_petitions
):
    for _ in range(n_petitions):
        PetitionFactory(organization=worked_plan.organization)
    client.force_login(leader)
    client.get(reverse("dashboards:dashboard", args=["HOME"]))  # warm the session
    cache.clear()  # the evaluation computed again, not read from the memo
    # session, user, memberships, organization; petition counts; deadlines (measures,
    # reports, petitions); audit entries; latest plan; evaluation (goals, activities,
    # measures, criteria, rules, the memo's key: the organization's newest change and
    # survey answer; rows of each of the ten registers joined with their measures,
    # training attendees, evidence, petitions); "nothing recorded" from those facts (no
    # query); reports list (plans, reports, scores); children; the page body's key
    # (`core.fragments`): the organization's newest change and survey answer.
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("dashboards:dashboard", args=["HOME"]))
    assert response.status_code == 200
    # The page body from the memo: session, user, memberships, organization, children, the
    # body's key (newest change, newest survey answer), the top bar's organizations.
    with django_assert_num_queries(QUERIES_MEMOISED):
        response = client.get(reverse("dashboards:dashboard", args=["HOME"]))
    assert response.status_code == 200
    # An audited change: the body is computed again (the evaluation too: its key moved).
    board_update(worked_plan.organization, worked_plan.measures.first(), dt.date(2023, 4, 2))
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("dashboards:dashboard", args=["HOME"]))
    assert response.status_code == 200


QUERIES = 38
QUERIES_MEMOISED = 8
