"""The role × endpoint permission walk: every operation of the OpenAPI document, as every
role, inside and outside its organization, against what `organizations.roles.PERMISSIONS`
allows. What an operation needs is read from the operation itself (`x-shudarga-action`), so
a new endpoint cannot escape the walk: one that declares nothing fails it."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shudarga.api.access import ACTION_KEY, PUBLIC, TOKEN
from shudarga.api.models import ApiToken
from shudarga.api.v1 import api as ninja_api
from shudarga.organizations.roles import INHERITED_ROLES, Action, Role, role_allows
from tests.api.conftest import PDF

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, str, str | None]]:
    """(method, path, declared action) of every operation in the OpenAPI document."""
    schema = ninja_api.get_openapi_schema(path_prefix="")
    return [
        (method, path, operation.get(ACTION_KEY))
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def _event(values: dict) -> dict:
    return {"values": {"date": "2023-01-05", "kind": "meeting", "title": "Хурал"}}


# A valid body for every operation that takes one, from the values of the organization it
# is sent to: a success is then a 2xx, so a wrong status cannot hide behind a 400.
BODIES = {
    ("post", "/organizations/{code}/plans"): lambda v: v["seed_json"],
    ("post", "/organizations/{code}/registers/{register_key}/rows"): _event,
    ("post", "/organizations/{code}/registers/{register_key}/rows/bulk"): lambda v: {
        "rows": [_event(v)]
    },
    ("patch", "/organizations/{code}/registers/{register_key}/rows/{row_id}"): lambda v: {
        "values": {"title": "Шинэ нэр"}
    },
    ("post", "/organizations/{code}/evidence"): lambda v: {
        "measure": str(v["measure_id"]),
        "file": SimpleUploadedFile("акт.pdf", PDF, "application/pdf"),
    },
    ("post", "/organizations/{code}/reports/{report_id}/submit"): lambda v: None,
    ("post", "/organizations/{code}/petitions"): lambda v: {
        "channel": "written",
        "kind": "petition",
        "petitioner_name": "Б.Болд",
        "subject": "Шилжүүлгийн асуудал",
    },
    ("post", "/public/petitions/status"): lambda v: {"code": v["tracking_code"]},
}
MULTIPART = {("post", "/organizations/{code}/evidence")}


def _fill(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _call(api, method: str, path: str, values: dict):
    url = _fill(path, values)
    if method == "get":
        return api.get(url)
    body = BODIES[(method, path)](values)
    if (method, path) in MULTIPART:
        return api.upload(url, body)
    return getattr(api, method)(url, body)


def test_every_operation_declares_what_it_needs():
    known = {*Action.values, TOKEN, PUBLIC}
    for method, path, action in _operations():
        assert action in known, f"{method.upper()} {path} declares {action!r} ({ACTION_KEY})"


def test_every_write_operation_has_a_body_in_the_walk():
    writes = {(m, p) for m, p, _a in _operations() if m != "get"}
    assert writes == set(BODIES), "add a valid body for the new operation to BODIES"


def test_the_walk_covers_every_app():
    paths = {path for _m, path, _a in _operations()}
    for part in ("plans", "registers", "evidence", "reports", "petitions", "public"):
        assert any(f"/{part}" in path for path in paths), part


# persona: (role it acts with, whether its token is read-only, its own organization)
PERSONAS = {
    "coordinator": (Role.COORDINATOR, False, "home"),
    "officer": (Role.OFFICER, False, "home"),
    "reviewer": (Role.REVIEWER, False, "home"),
    "leader": (Role.LEADER, False, "home"),
    "auditor": (Role.AUDITOR, False, "home"),  # of the parent body: sees HOME through it
    "outsider": (Role.COORDINATOR, False, "away"),  # coordinator of OTHER
    "read_only": (Role.COORDINATOR, True, "home"),  # the coordinator's read-only token
    # Leader and reviewer of the parent body: in HOME they hold only what a parent body's
    # people hold there (`INHERITED_ROLES`), never HOME's own leader's or reviewer's rights.
    "parent_leader": (Role.LEADER, False, "home"),
    "parent_reviewer": (Role.REVIEWER, False, "home"),
}
# The roles each persona holds in its own organization (its role there, or inherited).
ROLES_INSIDE = {
    "parent_leader": INHERITED_ROLES[Role.LEADER],
    "parent_reviewer": INHERITED_ROLES[Role.REVIEWER],
}


def _expected(method: str, action: str, roles: frozenset[str], read_only: bool, inside: bool):
    """(status, error code or None) the walk expects; a 2xx is written 200."""
    if action in (PUBLIC, TOKEN):
        return 200, None
    if read_only and method != "get":
        return 403, "read_only_token"  # refused before any lookup, inside or out
    if not inside:
        return 404, "not_found"
    if any(role_allows(role, action) for role in roles):
        return 200, None
    return 403, "forbidden"


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_each_role_gets_what_the_permission_table_gives_it(
    request, api_for, persona, home, away, seed_bytes
):
    from shudarga.plans.documents.reading import read_plan_document

    role, read_only, own = PERSONAS[persona]
    roles = ROLES_INSIDE.get(persona, frozenset({role}))
    user = request.getfixturevalue("coordinator" if persona == "read_only" else persona)
    api = api_for(user, ApiToken.Scope.READ if read_only else ApiToken.Scope.READ_WRITE)
    # Another year's plan: each organization has the seed's 2023 plan already.
    seed_json = {**read_plan_document(seed_bytes).to_dict(), "year": 2030}
    worlds = {"home": {**home, "seed_json": seed_json}, "away": {**away, "seed_json": seed_json}}
    inside, outside = worlds[own], worlds["away" if own == "home" else "home"]
    checked = 0
    # Outside first: those calls must change nothing the inside calls then read.
    for where, world in (("outside", outside), ("inside", inside)):
        for method, path, action in _operations():
            values = world
            if action == PUBLIC:
                if where == "outside":
                    continue  # the same for everyone: walked once, on HOME's published plan
                values = worlds["home"]
            status, code = _expected(method, action, roles, read_only, where == "inside")
            response = _call(api, method, path, values)
            got = 200 if 200 <= response.status_code < 300 else response.status_code
            where_what = f"{persona} {where}: {method.upper()} {path}"
            assert got == status, (
                f"{where_what} gave {response.status_code}: {response.content[:300]}"
            )
            if code is not None:
                assert response.json()["code"] == code, where_what
            checked += 1
    assert checked >= 40


def test_an_outsider_gets_404_for_another_organizations_ids_under_their_own_code(
    api_for, outsider, home, away
):
    api = api_for(outsider)
    values = {**home, "code": away["code"], "seed_json": {}}
    checked = 0
    for method, path, _action in _operations():
        if "_id}" not in path:
            continue
        response = _call(api, method, path, values)
        assert response.status_code == 404, f"{method.upper()} {path}: {response.status_code}"
        checked += 1
    assert checked >= 8


def test_an_outsider_does_not_see_the_organization_in_the_list(api_for, outsider, home):
    assert [o["code"] for o in api_for(outsider).get("/organizations").json()] == ["OTHER"]


def test_the_public_endpoints_need_no_token(api_for, home):
    api = api_for(None)
    for method, path, action in _operations():
        if action == PUBLIC:
            response = _call(api, method, path, home)
            assert response.status_code == 200, f"{method.upper()} {path}"
        elif method == "get":
            assert api.get(_fill(path, home)).status_code == 401, path
