"""An officer's start page lists their measures, what is due and what is missing."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db


@time_machine.travel("2023-07-15 10:00 +0800")
def test_it_lists_my_measures_with_next_due_and_open_criteria(client, officer, seed_plan):
    seed_plan.measures.filter(code__in=["1.3", "2.1"]).update(responsible_person=officer)
    seed_plan.measures.filter(code="1.3").update(recurrence="monthly")
    client.force_login(officer)
    response = client.get(reverse("criteria:my_work"))
    html = response.content.decode()
    assert response.status_code == 200
    assert [item.measure.code for item in response.context["items"]] == ["1.3", "2.1"]
    assert "2023 оны 7 дугаар сарын 31" in html  # 1.3's next monthly due date
    assert "1.1." not in html


def test_it_tells_an_officer_without_measures_what_to_expect(client, officer, seed_plan):
    client.force_login(officer)
    response = client.get(reverse("criteria:my_work"))
    assert response.context["items"] == []
    assert "alert-info" in response.content.decode()


def test_signing_in_lands_on_my_work(client, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": "password"})
    assert response["Location"] == reverse("criteria:my_work")
