"""Tokens: bearer auth, scope, rate limit, error language, docs, and the token page."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from shudarga.api.models import ApiToken
from shudarga.api.selectors import token_hash
from shudarga.api.services import token_revoke

pytestmark = pytest.mark.django_db


def test_it_answers_401_json_without_a_token(api_for, org):
    response = api_for(None).get("/organizations")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_a_revoked_token(client, coordinator):
    from tests.api.conftest import Api, make_token

    secret = make_token(coordinator)
    token = ApiToken.objects.get(hash=token_hash(secret))
    token_revoke(token=token, actor=coordinator)
    assert Api(client, secret).get("/organizations").status_code == 401


def test_it_stores_only_the_hash(coordinator):
    from tests.api.conftest import make_token

    secret = make_token(coordinator)
    token = ApiToken.objects.get()
    assert token.hash == token_hash(secret) and secret not in (token.hash, token.prefix)
    assert secret.startswith(token.prefix)


def test_a_read_only_token_reads_but_may_not_write(api_for, coordinator, seed_plan):
    api = api_for(coordinator, ApiToken.Scope.READ)
    assert api.get("/organizations/HOME/plans").status_code == 200
    response = api.post("/organizations/HOME/registers/events/rows", {"values": {}})
    assert (response.status_code, response.json()["code"]) == (403, "read_only_token")


@override_settings(API_RATE_LIMIT=(2, 60))
def test_it_rate_limits_per_token(api_for, coordinator):
    api = api_for(coordinator)
    assert api.get("/organizations").status_code == 200
    assert api.get("/organizations").status_code == 200
    response = api.get("/organizations")
    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    assert api_for(coordinator).get("/organizations").status_code == 200  # another token


def test_it_lists_only_the_users_organizations_with_roles(api_for, auditor, org, other_org):
    organizations = api_for(auditor).get("/organizations").json()
    assert {o["code"]: o["roles"] for o in organizations} == {
        "PARENT": ["auditor"],
        "HOME": ["auditor"],
    }


def test_error_messages_follow_the_lang_parameter(api_for, coordinator):
    api = api_for(coordinator)
    english = api.get("/organizations/NOPE", lang="en").json()
    mongolian = api.get("/organizations/NOPE", lang="mn").json()
    assert english["code"] == mongolian["code"] == "not_found"
    assert english["message"] == "Not found."


def test_the_schema_and_offline_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/organizations/{code}/plans" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the docs must load nothing remote"


def test_the_token_page_shows_a_new_secret_once_and_revokes(client, officer):
    client.force_login(officer)
    assert client.get("/my/tokens/").status_code == 200
    response = client.post("/my/tokens/", {"create": "1", "name": "HR", "scope": "read"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=officer)
    secret = re.search(r'value="(shg_[^"]+)"', response.content.decode()).group(1)
    assert token.hash == token_hash(secret)
    assert secret not in client.get("/my/tokens/").content.decode()

    response = client.post("/my/tokens/", {"revoke": "1", "token_id": str(token.pk)})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_page_hides_other_users_tokens(client, officer, coordinator):
    from tests.api.conftest import make_token

    make_token(coordinator)
    theirs = ApiToken.objects.get(user=coordinator)
    client.force_login(officer)
    response = client.post("/my/tokens/", {"revoke": "1", "token_id": str(theirs.pk)})
    assert response.status_code == 404
    assert "coordinator token" not in client.get("/my/tokens/").content.decode()


def test_the_token_page_needs_sign_in(client):
    assert client.get("/my/tokens/").status_code == 302
