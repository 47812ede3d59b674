"""API personas: a token per role, and a client that sends it."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from shudarga.api.models import ApiToken
from shudarga.api.services import token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters live in the cache
    yield
    cache.clear()


def make_token(user, scope: str = ApiToken.Scope.READ_WRITE) -> str:
    return token_create(user=user, name=f"{user.username} token", scope=scope).secret


class Api:
    """Django's test client with a bearer token and JSON bodies."""

    def __init__(self, client, secret: str | None) -> None:
        self.client, self.secret = client, secret

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self._headers())

    def post(self, path: str, data=None):
        return self.client.post(
            f"/api/v1{path}", data, content_type="application/json", headers=self._headers()
        )

    def patch(self, path: str, data=None):
        return self.client.patch(
            f"/api/v1{path}", data, content_type="application/json", headers=self._headers()
        )


@pytest.fixture
def api_for(client):
    def make(user=None, scope: str = ApiToken.Scope.READ_WRITE) -> Api:
        return Api(client, make_token(user, scope) if user is not None else None)

    return make
