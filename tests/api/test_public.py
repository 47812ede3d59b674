"""The public endpoints: no token, only what the portal shows, rate-limited per address."""

from __future__ import annotations

import pytest

from shudarga.plans.services import plan_change_status
from shudarga.reports import services
from tests.factories import PetitionFactory
from tests.reports.conftest import AFTER_THE_YEAR, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(seed_plan):
    for transition in ("approve", "publish"):
        plan_change_status(plan=seed_plan, transition=transition, actor=None)
    return seed_plan


def test_it_lists_only_published_plans(api_for, published, other_plan):
    api = api_for(None)
    assert [p["id"] for p in api.get("/public/organizations/HOME/plans").json()] == [published.pk]
    assert api.get("/public/organizations/OTHER/plans").json() == []
    document = api.get(f"/public/organizations/HOME/plans/{published.pk}")
    assert document.status_code == 200 and document.json()["year"] == 2023
    assert api.get(f"/public/organizations/OTHER/plans/{other_plan.pk}").status_code == 404
    assert api.get(f"/public/organizations/OTHER/plans/{published.pk}").status_code == 404


def test_it_shows_only_approved_report_scores(api_for, published, coordinator, reviewer, leader):
    h1 = services.report_create(plan=published, period="h1", actor=None, today=AFTER_THE_YEAR)
    year = services.report_create(plan=published, period="year", actor=None, today=AFTER_THE_YEAR)
    for report in (h1, year):
        score_all(report, reviewer, default=100)
    services.report_mark_reviewed(report=year, actor=reviewer)
    services.report_approve(report=year, actor=leader)
    scores = api_for(None).get("/public/organizations/HOME/scores").json()
    assert [(s["plan_id"], [r["period"] for r in s["reports"]]) for s in scores] == [
        (published.pk, ["year"])
    ]
    assert scores[0]["reports"][0]["percent"] == "100.0"


def test_petition_status_by_tracking_code_tells_no_personal_data(api_for, org):
    petition = PetitionFactory(organization=org)
    api = api_for(None)
    response = api.post("/public/petitions/status", {"code": petition.tracking_code.lower()})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "status", "status_label", "received_on", "due_on", "answered_on", "resolved_on"
    }  # fmt: skip
    assert petition.petitioner_name not in str(body)
    missing = api.post("/public/petitions/status", {"code": "AAAA-AAAA-AAAA-AAAA"})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_tracking_lookups_share_the_portals_limit(api_for, org, settings):
    settings.PUBLIC_RATE_LIMITS = {"track": (2, 600)}
    api = api_for(None)
    for _ in range(2):
        assert api.post("/public/petitions/status", {"code": "x"}).status_code == 404
    response = api.post("/public/petitions/status", {"code": "x"})
    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")
    assert int(response["Retry-After"]) >= 1


def test_public_reads_are_rate_limited_per_address(api_for, org, settings):
    settings.API_PUBLIC_RATE_LIMIT = (3, 60)
    api = api_for(None)
    statuses = [api.get("/public/organizations/HOME/plans").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
