"""Year rollover: next year's plan from this year's, with what was left unfinished."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from shudarga.criteria.models import CriterionRule
from shudarga.dashboards.services import plan_rollover
from shudarga.plans.models import Plan
from shudarga.plans.services import measure_assign

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 1, 15)


def test_it_copies_goals_measures_criteria_rules_and_assignments(worked_plan, officer):
    measure = worked_plan.measures.get(code="1.3")
    measure_assign(
        measure=measure, actor=None, responsible_unit="Хэлтэс", responsible_person=officer,
        due_date=dt.date(2023, 5, 20), recurrence="once",
    )  # fmt: skip
    new = plan_rollover(plan=worked_plan, year=2024, actor=officer, today=TODAY)
    assert new.year == 2024 and new.status == Plan.Status.DRAFT
    assert "2024" in new.title and "2023" not in new.title
    old_codes = list(worked_plan.measures.values_list("code", flat=True))
    assert list(new.measures.values_list("code", flat=True)) == old_codes
    assert new.goals.count() == worked_plan.goals.count()
    copied = new.measures.get(code="1.3")
    assert (copied.responsible_person, copied.due_date, copied.recurrence) == (
        officer, dt.date(2024, 5, 20), "once",
    )  # fmt: skip
    assert CriterionRule.objects.filter(criterion__measure__plan=new).count() == (
        CriterionRule.objects.filter(criterion__measure__plan=worked_plan).count()
    )


def test_it_flags_unfinished_measures(worked_plan, officer):
    new = plan_rollover(plan=worked_plan, year=2024, actor=officer, today=TODAY)
    flagged = {w.split()[1] for w in new.import_warnings}
    # Only 1.3 has records (January–March: not every month), every other measure has none.
    assert flagged == set(worked_plan.measures.values_list("code", flat=True))


def test_it_refuses_a_year_that_has_a_plan(worked_plan, officer):
    plan_rollover(plan=worked_plan, year=2024, actor=officer, today=TODAY)
    with pytest.raises(ValidationError):
        plan_rollover(plan=worked_plan, year=2024, actor=officer, today=TODAY)
    with pytest.raises(ValidationError):
        plan_rollover(plan=worked_plan, year=2023, actor=officer, today=TODAY)


def test_the_pages_start_the_plan_and_show_two_years_side_by_side(client, coordinator, worked_plan):
    client.force_login(coordinator)
    url = reverse("dashboards:rollover", args=["HOME", worked_plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2024})
    new = Plan.objects.get(organization=worked_plan.organization, year=2024)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:year_changes", args=["HOME", new.pk])
    page = client.get(response["Location"])
    assert len(page.context["rows"]) == worked_plan.measures.count()
    assert all(row.unfinished for row in page.context["rows"])
    assert not any(row.changed for row in page.context["rows"])


def test_a_reader_may_not_roll_over(client, leader, worked_plan):
    client.force_login(leader)
    url = reverse("dashboards:rollover", args=["HOME", worked_plan.pk])
    assert client.post(url, {"year": 2024}).status_code == 403


def test_it_flags_years_written_inside_measure_texts(client, coordinator, worked_plan):
    # 5.1: "… 2023 оны авлигын эсрэг үйл ажиллагааны төлөвлөгөөг 2023 оны 1-р улиралд …"
    with translation.override("en"):
        new = plan_rollover(plan=worked_plan, year=2024, actor=coordinator, today=TODAY)
    assert any("5.1" in w and "2023" in w and "2024" in w for w in new.import_warnings), (
        new.import_warnings
    )
    flagged = [w for w in new.import_warnings if "writes the year" in w or "оныг" in w]
    assert len(flagged) == 1, flagged  # 5.1 alone writes a year
    client.force_login(coordinator)
    html = client.get(
        reverse("dashboards:year_changes", args=[worked_plan.organization.code, new.pk])
    ).content.decode()
    assert 'data-test="years-5.1"' in html
