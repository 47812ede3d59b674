"""The search box: measures, register rows, evidence and petitions of one organization,
Cyrillic matched in any case on every database, within what the person may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import EventFactory, EvidenceFactory, PetitionFactory

pytestmark = pytest.mark.django_db


def _hits(client, org, q):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("dashboards:search", args=[org.code]), {"q": q})
    assert response.status_code == 200
    return {label: [h.title for h in hits] for label, hits in response.context["results"].groups}


def test_it_finds_every_kind_in_any_case(client, coordinator, org, seed_plan):
    EventFactory(organization=org, title="ӨРГӨДЛИЙН өдөрлөг")
    EvidenceFactory(
        organization=org, measure=seed_plan.measures.get(code="5.5"), title="Өргөдлийн тайлан"
    )
    PetitionFactory(organization=org, subject="Өргөдлийн хариу удаашрал")
    client.force_login(coordinator)
    found = _hits(client, org, "ӨРГӨД")
    assert set(found) == {"Measures", "Register rows", "Evidence", "Petitions"}
    assert any(t.startswith("5.5.") for t in found["Measures"])
    assert found["Register rows"] == ["ӨРГӨДЛИЙН өдөрлөг"]


def test_it_searches_petitioners_only_for_those_who_handle_petitions(
    client, reviewer, coordinator, org
):
    PetitionFactory(organization=org, petitioner_name="Б.Сарнайцэцэг", subject="Газар")
    client.force_login(reviewer)
    assert _hits(client, org, "сарнайцэцэг") == {}
    client.force_login(coordinator)
    assert len(_hits(client, org, "САРНАЙЦЭЦЭГ")["Petitions"]) == 1


def test_it_hides_another_organizations_search(client, outsider, org):
    client.force_login(outsider)
    assert client.get(reverse("dashboards:search", args=[org.code]), {"q": "x"}).status_code == 404


@pytest.mark.parametrize("n", [1, 25])
def test_it_runs_the_same_queries_for_1_or_25_matches(
    client, coordinator, org, seed_plan, django_assert_num_queries, n
):
    for i in range(n):
        EventFactory(organization=org, title=f"Өдөрлөг {i}")
        PetitionFactory(organization=org, subject=f"Өдөрлөгийн гомдол {i}")
    client.force_login(coordinator)
    # session, user, organization, memberships, measures, one per register (ten) and the
    # measures of the events found (prefetch), evidence, petitions, the top bar's switcher
    with django_assert_num_queries(19):
        response = client.get(reverse("dashboards:search", args=[org.code]), {"q": "өдөрлөг"})
    assert response.context["results"].count >= min(n, 10)
