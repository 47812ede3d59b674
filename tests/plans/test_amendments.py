"""A measure added to an approved plan as a recorded amendment (the seed's 5.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shudarga.core.models import AuditEntry, Seal
from shudarga.plans.amendments import plan_amend_add_measure
from shudarga.plans.services import plan_change_status

pytestmark = pytest.mark.django_db


def _add(plan, actor, **kwargs):
    values = {
        "goal": plan.goals.get(number=5),
        "text": "Удирдлагын санаачилгаар ил тод байдлын өдөрлөг зохион байгуулах.",
        "criteria": ["Өдөрлөг зохион байгуулсан байх", "Тайланд нотломжийг хавсаргасан байх"],
        "reason": "Удирдлагын санаачилга (5.3)",
        "basis": "Даргын 2023 оны А/45 тушаал",
        "decided_on": dt.date(2023, 6, 1),
    }
    return plan_amend_add_measure(plan=plan, actor=actor, **{**values, **kwargs})


def test_it_adds_a_measure_records_it_and_seals_the_plan_again(seed_plan, reviewer, client):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    amendment = _add(seed_plan, reviewer)
    measure = amendment.measure
    assert measure.code == "5.9"
    assert next(c.text for c in measure.criteria.all()) == "Өдөрлөг зохион байгуулсан байх"
    codes = list(seed_plan.measures.order_by("position").values_list("code", flat=True))
    assert codes[-2:] == ["5.8", "5.9"]
    assert Seal.objects.filter(kind="plan", object_id=seed_plan.pk).count() == 2
    assert amendment.seal_id == Seal.objects.filter(kind="plan").latest("id").pk
    entry = AuditEntry.objects.get(action="plan.amended")
    assert entry.changes["measure_added"] == "5.9" and entry.changes["reason"]

    client.force_login(reviewer)
    org = seed_plan.organization
    page = client.get(reverse("plans:detail", args=[org.code, seed_plan.pk])).content.decode()
    assert 'data-seal="intact"' in page and 'data-test="amended"' in page
    seal = client.get(reverse("plans:seal", args=[org.code, seed_plan.pk])).content.decode()
    assert 'data-test="amendments"' in seal and "Даргын 2023 оны А/45 тушаал" in seal


def test_a_draft_is_not_amended_and_a_reason_is_needed(seed_plan, reviewer):
    with pytest.raises(ValidationError):
        _add(seed_plan, reviewer)
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    with pytest.raises(ValidationError):
        _add(seed_plan, reviewer, reason=" ")
    with pytest.raises(ValidationError):
        _add(seed_plan, reviewer, code="5.8")  # the plan has one


def test_the_page_adds_it_for_those_who_approve(client, seed_plan, reviewer, officer):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    url = reverse("plans:amend", args=[seed_plan.organization.code, seed_plan.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(reviewer)
    response = client.post(url, {
        "goal": seed_plan.goals.get(number=5).pk, "text": "Шинэ санаачилга",
        "criteria": "Хийсэн байх", "reason": "Удирдлагын шийдвэр", "decided_on": "2023-06-01",
    })  # fmt: skip
    assert response.status_code == 302
    assert seed_plan.measures.filter(code="5.9", text="Шинэ санаачилга").exists()


def test_an_outsider_gets_404(client, seed_plan, outsider):
    client.force_login(outsider)
    url = reverse("plans:amend", args=[seed_plan.organization.code, seed_plan.pk])
    assert client.get(url).status_code == 404
