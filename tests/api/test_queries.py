"""Every list the API serves runs a fixed number of queries, whatever the number of rows.

Each endpoint is called once to warm up (the token's `last_used` is written at most once a
minute), then measured with 1 and with 20 rows of what it lists."""

from __future__ import annotations

import datetime as dt

import pytest

from shudarga.reports.models import Report
from shudarga.reports.services import report_create
from tests.factories import (
    EventFactory,
    EvidenceFactory,
    OrganizationFactory,
    PetitionFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

# Every token call: the token with its owner; the owner's memberships. Then, by endpoint:
LISTS = {
    # the organizations the owner may see
    "/organizations": 1,
    # the organization; its plans with their measure counts
    "/organizations/HOME/plans": 2,
    # the organization; the row count of each of the ten registers (fixed)
    "/organizations/HOME/registers": 11,
    # the organization; a page of rows; their measures
    "/organizations/HOME/registers/events/rows": 3,
    # the organization; a page of evidence with measure, plan and uploader
    "/organizations/HOME/evidence": 2,
    # the organization; its plans; their reports; the reports' scored items
    "/organizations/HOME/reports": 4,
    # the organization; a page of petitions with their assigned officers
    "/organizations/HOME/petitions": 2,
}
PUBLIC_LISTS = {
    # the organization; its published plans
    "/public/organizations/HOME/plans": 2,
    # the organization; its plans; their reports; the reports' scored items
    "/public/organizations/HOME/scores": 4,
}


@pytest.fixture
def rows(request, seed_plan, parent_org, officer):
    """`n` of everything the lists list, in HOME (and `n` organizations under PARENT)."""
    n = request.param
    org = seed_plan.organization
    measures = list(seed_plan.measures.order_by("position")[:2])
    for i in range(n):
        OrganizationFactory(parent=parent_org)
        plan = PlanFactory(organization=org, year=2000 + i, status="published")
        report_create(plan=plan, period="year", actor=None)
        event = EventFactory(organization=org, date=dt.date(2023, 1, 1) + dt.timedelta(days=i))
        event.measures.set(measures)
        EvidenceFactory(measure=measures[0], criterion=measures[0].criteria.first(),
                        uploaded_by=officer)  # fmt: skip
        PetitionFactory(organization=org, assigned_to=officer)
    Report.objects.update(status="approved")
    return n


@pytest.mark.parametrize("rows", [1, 20], indirect=True)
@pytest.mark.parametrize("url", sorted(LISTS))
def test_token_lists_run_a_fixed_number_of_queries(
    api_for, auditor, rows, url, django_assert_max_num_queries
):
    api = api_for(auditor)
    assert api.get(url).status_code == 200  # warm-up
    with django_assert_max_num_queries(2 + LISTS[url]):
        response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    if url.endswith("/registers"):
        assert {r["key"]: r["count"] for r in body}["events"] == rows
    else:
        assert len(body["results"] if isinstance(body, dict) else body) >= rows


@pytest.mark.parametrize("rows", [1, 20], indirect=True)
@pytest.mark.parametrize("url", sorted(PUBLIC_LISTS))
def test_public_lists_run_a_fixed_number_of_queries(
    api_for, rows, url, django_assert_max_num_queries
):
    api = api_for(None)
    with django_assert_max_num_queries(PUBLIC_LISTS[url]):
        response = api.get(url)
    assert response.status_code == 200
    assert len(response.json()) >= rows


def test_every_list_endpoint_is_measured():
    """A GET whose answer is an array or a cursor page is a list: it must be in a table."""
    from shudarga.api.v1 import api as ninja_api

    schema = ninja_api.get_openapi_schema(path_prefix="")
    lists = set()
    for path, methods in schema["paths"].items():
        answer = methods.get("get", {}).get("responses", {}).get(200, {})
        body = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if body.get("type") == "array" or body.get("$ref", "").endswith("Page"):
            lists.add(path.replace("{code}", "HOME").replace("{register_key}", "events"))
    assert lists == set(LISTS) | set(PUBLIC_LISTS)
