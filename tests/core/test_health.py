"""`/healthz` and `/readyz`: JSON, no sign-in, no session, cheap."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from shudarga.core import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_readyz_checks_database_migrations_storage_and_cache(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok", "cache": "ok"},
    }
    assert "sessionid" not in response.cookies
    # The storage check cleans up after itself.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_readyz_is_cheap_once_the_migrations_were_seen_applied(client, django_assert_num_queries):
    client.get("/readyz")
    # SELECT 1; the cache is in memory here; no migration table read again.
    with django_assert_num_queries(1):
        assert client.get("/readyz").status_code == 200


def test_readyz_is_503_naming_the_failed_check(client, monkeypatch, caplog):
    def unwritable() -> None:
        raise PermissionError("/srv/shudarga/media is read-only")

    monkeypatch.setitem(health.READINESS_CHECKS, "storage", unwritable)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["storage"] == "failed"
    assert body["checks"]["database"] == "ok"
    assert "read-only" not in response.content.decode()  # the cause is logged, not shown
    assert "read-only" in caplog.text


def test_readyz_skips_migrations_when_the_database_is_down(client, monkeypatch):
    def down() -> None:
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.READINESS_CHECKS, "database", down)
    checks = client.get("/readyz").json()["checks"]
    assert (checks["database"], checks["migrations"]) == ("failed", "skipped")


def test_the_test_database_has_every_migration_applied():
    assert health.unapplied_migrations() == []


def test_readyz_fails_while_migrations_are_unapplied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", health.threading.Event())
    monkeypatch.setattr(
        health, "unapplied_migrations", lambda *, using="default": ["reports.0099_example"]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed"
    with pytest.raises(ImproperlyConfigured, match=r"1 unapplied .*reports\.0099_example"):
        health.check_migrations_applied()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_endpoints_only_answer_get_and_head(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
