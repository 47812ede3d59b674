"""Walk every dashboards URL: outsiders get 404, anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

pytestmark = pytest.mark.django_db

# Personal pages of the signed-in user and the token-keyed feed name no organization.
PERSONAL = {"my_work", "notifications", "feed", "ical"}


def _dashboard_routes():
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == "dashboards":
            for pattern in entry.url_patterns:
                yield pattern.name, pattern.pattern.converters.keys()


@pytest.fixture
def values(worked_plan):
    return {"code": "HOME", "plan_id": worked_plan.pk, "fmt": "svg"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_to_an_outsider_for_every_url(client, outsider, values, method):
    client.force_login(outsider)
    checked = 0
    for name, params in _dashboard_routes():
        if name in PERSONAL:
            continue
        url = reverse(f"dashboards:{name}", kwargs={p: values[p] for p in params})
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method} {name}: {response.status_code}"
        checked += 1
    assert checked == 9


def test_it_sends_anonymous_visitors_to_sign_in(client, values):
    for name, params in _dashboard_routes():
        if name == "ical":
            continue
        response = client.get(reverse(f"dashboards:{name}", kwargs={p: values[p] for p in params}))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")


def test_an_auditor_of_the_parent_sees_the_childs_pages(client, auditor, values):
    client.force_login(auditor)
    for name in ("dashboard", "calendar", "children", "year_changes"):
        params = {
            "code": "HOME",
            **({"plan_id": values["plan_id"]} if name == "year_changes" else {}),
        }
        assert client.get(reverse(f"dashboards:{name}", kwargs=params)).status_code == 200, name
