"""Every API operation: outsiders get 404 for another organization's data, and each role
gets what the web gives it."""

from __future__ import annotations

import re

import pytest

from shudarga.api.v1 import api as ninja_api
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _operations():
    schema = ninja_api.get_openapi_schema(path_prefix="")
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method, path


@pytest.fixture
def victim(seed_plan):
    event = EventFactory(organization=seed_plan.organization)
    return {"code": "HOME", "plan_id": seed_plan.pk, "register_key": "events", "row_id": event.pk}


def _fill(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _call(api, method, path):
    """The operation with a body of the right shape (a malformed one is a 422 for anyone,
    before any lookup, which tells nothing)."""
    if method == "get":
        return api.get(path)
    body = {"rows": [{"values": {}}]} if path.endswith("/bulk") else {"values": {}}
    return getattr(api, method)(path, body)


def test_the_walk_covers_every_kind_of_operation():
    found = set(_operations())
    assert ("post", "/organizations/{code}/plans") in found
    assert ("patch", "/organizations/{code}/registers/{register_key}/rows/{row_id}") in found


def test_an_outsider_gets_404_for_every_operation_on_another_organization(
    api_for, outsider, victim
):
    api = api_for(outsider)
    checked = 0
    for method, path in _operations():
        if "{code}" not in path:
            continue
        response = _call(api, method, _fill(path, victim))
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
        assert response.json()["code"] == "not_found"
        checked += 1
    assert checked >= 8


def test_an_outsider_gets_404_for_another_organizations_ids_under_their_own_code(
    api_for, outsider, victim, other_plan
):
    api = api_for(outsider)
    for method, path in _operations():
        if "_id}" not in path:
            continue
        response = _call(api, method, _fill(path, {**victim, "code": "OTHER"}))
        assert response.status_code == 404, f"{method} {path}"


def test_an_outsider_does_not_see_the_organization_in_the_list(api_for, outsider, victim):
    assert [o["code"] for o in api_for(outsider).get("/organizations").json()] == ["OTHER"]


WRITES = {
    # role: (may create a plan, may record register rows) — as roles.py says
    "coordinator": (True, True),
    "officer": (False, True),
    "reviewer": (False, False),
    "leader": (False, False),
    "auditor": (False, False),
}


@pytest.mark.parametrize("role", sorted(WRITES))
def test_each_role_reads_and_writes_as_on_the_web(request, api_for, role, victim, seed_bytes):
    from shudarga.plans.documents.reading import read_plan_document

    api = api_for(request.getfixturevalue(role))
    for method, path in _operations():
        if method == "get" and "{" in path:
            response = api.get(_fill(path, victim))
            assert response.status_code == 200, f"{role} GET {path}"
    may_plan, may_record = WRITES[role]
    plan = api.post("/organizations/HOME/plans", read_plan_document(seed_bytes).to_dict())
    assert plan.status_code == (201 if may_plan else 403), role
    row = {"values": {"date": "2023-01-05", "kind": "meeting", "title": "Хурал"}}
    created = api.post("/organizations/HOME/registers/events/rows", row)
    assert created.status_code == (201 if may_record else 403), role
    bulk = api.post("/organizations/HOME/registers/events/rows/bulk", {"rows": [row]})
    assert bulk.status_code == (201 if may_record else 403), role
    patched = api.patch(f"/organizations/HOME/registers/events/rows/{victim['row_id']}", row)
    assert patched.status_code == (200 if may_record else 403), role
    if not may_plan or not may_record:
        assert (plan if not may_plan else created).json()["code"] == "forbidden"
