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

    def upload(self, path: str, data: dict):
        """A multipart POST (files as `SimpleUploadedFile`s)."""
        return self.client.post(f"/api/v1{path}", data, headers=self._headers())

    def patch(self, path: str, data=None):
        return self.client.patch(
            f"/api/v1{path}", data, content_type="application/json", headers=self._headers()
        )


@pytest.fixture
def api_for(client):
    def make(user=None, scope: str = ApiToken.Scope.READ_WRITE) -> Api:
        return Api(client, make_token(user, scope) if user is not None else None)

    return make


# -- a world with one of everything the API names, in HOME and in OTHER ---------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def populate(plan, *, publish: bool = False) -> dict:
    """An event, a stored evidence file, a draft year report and a petition in `plan`'s
    organization; the values that fill every path parameter of the API for it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shudarga.evidence.services import evidence_add_file
    from shudarga.plans.services import plan_change_status
    from shudarga.reports.services import report_create
    from tests.factories import EventFactory, PetitionFactory

    organization = plan.organization
    measure = plan.measures.get(code="1.2")
    if publish:
        for transition in ("approve", "publish"):
            plan_change_status(plan=plan, transition=transition, actor=None)
    evidence = evidence_add_file(
        organization=organization,
        measure=measure,
        upload=SimpleUploadedFile("хурлын тэмдэглэл.pdf", PDF, "application/pdf"),
        actor=None,
    )
    petition = PetitionFactory(organization=organization)
    return {
        "code": organization.code,
        "plan_id": plan.pk,
        "fmt": "json",
        "register_key": "events",
        "row_id": EventFactory(organization=organization).pk,
        "measure_id": measure.pk,
        "evidence_id": evidence.pk,
        "report_id": report_create(plan=plan, period="year", actor=None).pk,
        "petition_id": petition.pk,
        "tracking_code": petition.tracking_code,
    }


@pytest.fixture
def home(media_root, seed_plan) -> dict:
    """HOME's world; its plan is published (so the public endpoints show it)."""
    return populate(seed_plan, publish=True)


@pytest.fixture
def away(media_root, other_plan) -> dict:
    """OTHER's world; its plan stays a draft."""
    return populate(other_plan)
