"""Assigning a measure: responsible unit and person, due date, recurrence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shudarga.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _url(plan, measure):
    return reverse("plans:assign", args=[plan.organization.code, plan.pk, measure.pk])


def test_a_coordinator_assigns_a_measure_to_an_officer(client, coordinator, officer, seed_plan):
    measure = seed_plan.measures.get(code="1.3")
    client.force_login(coordinator)
    response = client.post(
        _url(seed_plan, measure),
        {
            "responsible_unit": "Хүний нөөцийн алба",
            "responsible_person": officer.pk,
            "recurrence": "monthly",
            "due_date": "",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.responsible_person, measure.recurrence) == (officer, "monthly")
    assert AuditEntry.objects.filter(action="measure.assigned", object_id=str(measure.pk)).exists()


def test_a_person_outside_the_organization_cannot_be_assigned(
    client, coordinator, outsider, seed_plan
):
    measure = seed_plan.measures.get(code="1.3")
    client.force_login(coordinator)
    response = client.post(
        _url(seed_plan, measure),
        {
            "responsible_person": outsider.pk,
            "recurrence": "monthly",
        },
    )
    assert response.status_code == 200  # the form shows the error
    measure.refresh_from_db()
    assert measure.responsible_person is None


def test_an_officer_cannot_assign(client, officer, seed_plan):
    measure = seed_plan.measures.get(code="1.3")
    client.force_login(officer)
    assert client.get(_url(seed_plan, measure)).status_code == 403


def test_a_measure_of_another_plan_is_404(client, coordinator, seed_plan, other_plan):
    client.force_login(coordinator)
    url = reverse(
        "plans:assign",
        args=[seed_plan.organization.code, seed_plan.pk, other_plan.measures.first().pk],
    )
    assert client.get(url).status_code == 404
