"""The plan's progress page: criteria evaluate themselves from the registers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shudarga.criteria.models import CriterionRule
from shudarga.criteria.selectors import plan_evaluate
from shudarga.criteria.services import plan_confirm_proposed_rules
from shudarga.registers.models import BoardUpdate, Event
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_delete, register_row_save
from tests.factories import CriterionFactory, GoalFactory, MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _criterion(plan, code, index=0):
    return plan.measures.get(code=code).criteria.order_by("position")[index]


def _event(plan, date, kind="awareness_day", codes=("1.2",)):
    return register_row_save(
        spec=REGISTERS["events"],
        organization=plan.organization,
        row=Event(date=date, kind=kind, title=f"Өдөрлөг {date}"),
        measures=list(plan.measures.filter(code__in=codes)),
        actor=None,
    )


def test_two_outreach_events_make_1_2_met_and_deleting_one_does_not(client, officer, seed_plan):
    criterion = _criterion(seed_plan, "1.2")
    first = _event(seed_plan, dt.date(2023, 3, 5))
    _event(seed_plan, dt.date(2023, 9, 9), kind="outreach")
    _event(seed_plan, dt.date(2023, 9, 10), kind="meeting")  # another type: not counted
    status = plan_evaluate(plan=seed_plan).by_criterion[criterion.pk]
    assert status.evaluation.status == "met"
    assert status.evaluation.count == 2

    client.force_login(officer)
    url = reverse("criteria:detail", args=[seed_plan.organization.code, seed_plan.pk, criterion.pk])
    html = client.get(url).content.decode()
    assert "Өдөрлөг 2023-03-05" in html and "Өдөрлөг 2023-09-09" in html
    assert "Өдөрлөг 2023-09-10" not in html

    register_row_delete(spec=REGISTERS["events"], row=first, actor=None)
    status = plan_evaluate(plan=seed_plan).by_criterion[criterion.pk]
    assert status.evaluation.status == "not_met"
    assert status.evaluation.count == 1


def test_a_month_without_a_board_update_makes_1_3_not_met_and_names_it(client, officer, seed_plan):
    for month in range(1, 13):
        if month != 8:
            register_row_save(
                spec=REGISTERS["board-updates"],
                organization=seed_plan.organization,
                row=BoardUpdate(date=dt.date(2023, month, 10), content="Мэдээлэл"),
                measures=[],
                actor=None,
            )
    criterion = _criterion(seed_plan, "1.3")
    status = plan_evaluate(plan=seed_plan).by_criterion[criterion.pk]
    assert status.evaluation.status == "not_met"
    assert status.evaluation.missing == ["2023 оны 8 дугаар сар"]
    client.force_login(officer)
    html = client.get(
        reverse("criteria:progress", args=[seed_plan.organization.code, seed_plan.pk])
    ).content.decode()
    assert "2023 оны 8 дугаар сар" in html


def test_rows_of_another_organization_never_count(seed_plan, other_plan):
    for day in (1, 2, 3):
        _event(other_plan, dt.date(2023, 4, day))
    status = plan_evaluate(plan=seed_plan).by_criterion[_criterion(seed_plan, "1.2").pk]
    assert status.evaluation.count == 0


def _plan_with(org, n_measures):
    plan = PlanFactory(organization=org, year=2023)
    goals = [GoalFactory(plan=plan, number=i + 1, position=i + 1) for i in range(5)]
    texts = [
        "2-оос доошгүй өдөрлөг зохион байгуулсан байх",
        "Мэдээллийг сар бүр шинэчлэх",
        "Тайланд нотломжийг хавсаргасан байх",
        "Бүх гэрээнд авлигаас ангид байх асуудлыг тусгасан байх",
        "Шинэ томилогдсон албан хаагчдыг сургалтад бүрэн хамруулсан байх",
        "Баримтжуулсан байх",
    ]
    for i in range(n_measures):
        goal = goals[i % 5]
        m = MeasureFactory(goal=goal, plan=plan, code=f"{goal.number}.{i // 5 + 1}", position=i)
        for j, text in enumerate(texts):
            CriterionFactory(measure=m, text=text, position=j)
    return plan


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_progress_page_runs_a_fixed_number_of_queries(
    client, officer, org, django_assert_num_queries, n_measures
):
    plan = _plan_with(org, n_measures)
    for i in range(3):
        _event(plan, dt.date(2023, 2, i + 1), codes=("1.1",))
    client.force_login(officer)
    url = reverse("criteria:progress", args=[org.code, plan.pk])
    # session, user, organization, memberships, plan, goals, activities, measures, criteria,
    # stored rules; the period's facts: the rows of each of the ten registers joined with
    # the measures they serve, training attendees, evidence; organizations for the switcher;
    # the memo's key (`core.memo`, on in tests since issue 17): the organization's newest
    # change and its newest survey answer; the page body's key (`core.fragments`): the same
    # two; the plan read again after it
    with django_assert_num_queries(28):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('id="rows-') == n_measures * 6
    # Nothing changed: the body is the memo's HTML (session, user, organization,
    # memberships, plan, the two stamps, switcher).
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count('id="rows-') == n_measures * 6


def test_confirming_proposals_stores_them_and_only_coordinators_may(
    client, coordinator, officer, seed_plan
):
    url = reverse("criteria:confirm_all", args=[seed_plan.organization.code, seed_plan.pk])
    client.force_login(officer)
    assert client.post(url).status_code == 403
    client.force_login(coordinator)
    assert client.post(url).status_code == 302
    assert CriterionRule.objects.filter(criterion__measure__plan=seed_plan).count() == 43


def test_a_coordinator_edits_a_rule(client, coordinator, seed_plan):
    criterion = _criterion(seed_plan, "1.2")
    url = reverse("criteria:detail", args=[seed_plan.organization.code, seed_plan.pk, criterion.pk])
    client.force_login(coordinator)
    response = client.post(
        url,
        {
            "kind": "at_least",
            "register": "events",
            "n": "3",
            "kinds": ["events:awareness_day"],
            "scope": "measure",
        },
    )
    assert response.status_code == 302
    rule = CriterionRule.objects.get(criterion=criterion)
    assert (rule.n, rule.filters) == (3, {"kind": ["awareness_day"]})
    response = client.post(url, {"reset": "1", "kind": "manual", "scope": "measure"})
    assert not CriterionRule.objects.filter(criterion=criterion).exists()


def test_an_invalid_rule_is_refused_with_a_message(client, coordinator, seed_plan):
    criterion = _criterion(seed_plan, "1.2")
    url = reverse("criteria:detail", args=[seed_plan.organization.code, seed_plan.pk, criterion.pk])
    client.force_login(coordinator)
    response = client.post(url, {"kind": "all_rows", "register": "events", "scope": "measure"})
    assert response.status_code == 200
    assert not CriterionRule.objects.exists()


def test_a_criterion_of_another_plan_is_404(client, coordinator, seed_plan, other_plan):
    criterion = _criterion(other_plan, "1.2")
    client.force_login(coordinator)
    url = reverse("criteria:detail", args=[seed_plan.organization.code, seed_plan.pk, criterion.pk])
    assert client.get(url).status_code == 404


def test_confirm_is_idempotent(seed_plan):
    assert plan_confirm_proposed_rules(plan=seed_plan, actor=None) == 43
    assert plan_confirm_proposed_rules(plan=seed_plan, actor=None) == 0


def test_an_overdue_petition_makes_5_5_not_met(seed_plan):
    from tests.factories import PetitionFactory

    criterion = _criterion(seed_plan, "5.5")
    status = plan_evaluate(plan=seed_plan, today=dt.date(2024, 3, 1)).by_criterion[criterion.pk]
    assert status.evaluation.status == "nothing_to_check"  # no petition at all
    PetitionFactory(organization=seed_plan.organization, received_on=dt.date(2023, 5, 2))
    status = plan_evaluate(plan=seed_plan, today=dt.date(2024, 3, 1)).by_criterion[criterion.pk]
    assert (status.evaluation.status, status.evaluation.count) == ("not_met", 1)


def test_the_rule_editor_shows_only_the_fields_of_the_rules_kind(client, coordinator, seed_plan):
    import re

    def shown(html):
        rows = re.findall(r'<div class="mb-2( d-none)?"(?: data-kinds="([^"]*)")?>', html)
        return len([1 for hidden, _kinds in rows if not hidden])

    criterion = seed_plan.measures.get(code="1.2").criteria.first()
    client.force_login(coordinator)
    url = reverse("criteria:detail", args=[seed_plan.organization.code, seed_plan.pk, criterion.pk])
    # "at least 2" events: the kind, the register, how many, their types, which rows count
    assert shown(client.get(url).content.decode()) == 5
    posted = client.post(url, {"kind": "evidence", "n": "x", "scope": "measure"})  # invalid
    assert shown(posted.content.decode()) == 2  # the kind and how many
