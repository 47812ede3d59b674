"""Personas and data shared by all tests: an organization with one user per role, and an
outsider who belongs to another organization."""

from __future__ import annotations

from pathlib import Path

import pytest

from shudarga.organizations.roles import Role
from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.services import plan_create_from_document
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

SEED_PATH = Path(__file__).resolve().parents[1] / "src/shudarga/plans/fixtures/seed_plan_2023.txt"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


@pytest.fixture
def parent_org(db):
    return OrganizationFactory(code="PARENT", name="Эх байгууллага")


@pytest.fixture
def org(parent_org):
    return OrganizationFactory(code="HOME", name="Манай газар", parent=parent_org)


@pytest.fixture
def other_org(db):
    return OrganizationFactory(code="OTHER", name="Өөр газар")


def _member(org, role: str, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=org, role=role)
    return user


@pytest.fixture
def coordinator(org):
    return _member(org, Role.COORDINATOR, "coordinator")


@pytest.fixture
def officer(org):
    return _member(org, Role.OFFICER, "officer")


@pytest.fixture
def reviewer(org):
    return _member(org, Role.REVIEWER, "reviewer")


@pytest.fixture
def leader(org):
    return _member(org, Role.LEADER, "leader")


@pytest.fixture
def auditor(parent_org):
    """An auditor of the parent body: sees `org` through it."""
    return _member(parent_org, Role.AUDITOR, "auditor")


@pytest.fixture
def parent_leader(parent_org):
    """The leader of the parent body: sees `org` and evaluates it for the parent body."""
    return _member(parent_org, Role.LEADER, "aimag-leader")


@pytest.fixture
def parent_reviewer(parent_org):
    """The reviewer of the parent body: evaluates `org`'s reports for the parent body."""
    return _member(parent_org, Role.REVIEWER, "aimag-reviewer")


@pytest.fixture
def outsider(other_org):
    return _member(other_org, Role.COORDINATOR, "outsider")


@pytest.fixture
def seed_plan(org, seed_bytes):
    return plan_create_from_document(
        organization=org, document=read_plan_document(seed_bytes), actor=None, source_name="seed"
    )


@pytest.fixture
def other_plan(other_org, seed_bytes):
    return plan_create_from_document(
        organization=other_org,
        document=read_plan_document(seed_bytes),
        actor=None,
        source_name="seed",
    )


@pytest.fixture(scope="session", autouse=True)
def _end_live_server_sessions(django_db_setup, django_db_blocker):
    """On PostgreSQL, the live server's request threads (browser tests) can still hold a
    connection when the session ends, and dropping the test database then fails with
    "being accessed by other users". End those sessions first; this runs before the test
    database is torn down because it was set up after it."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _anchor_file(settings, tmp_path):
    """Each test appends audit anchors to a file of its own: ids repeat across tests (their
    data is rolled back), so a shared file would hold anchors no test database matches."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The memo of audited results (`core.memo`) is on in tests, keyed by audit ids that
    repeat once a test's data is rolled back: each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _uploads_final_at_once(monkeypatch):
    """A test's transaction never commits, so an upload would stay pending
    (`core.storage`); here it becomes final at once, as it does at commit in the app.
    tests/core/test_storage.py checks the real order, and kills a worker to prove it."""
    monkeypatch.setattr("shudarga.core.storage._after_commit", lambda callback: callback())


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3-compatible HTTP server, one per test process (tests/s3.py)."""
    from tests import s3

    yield from s3.start_server()


@pytest.fixture
def s3_bucket(s3_server, settings):
    """Evidence and every other upload go to a new bucket of `s3_server`, under a prefix,
    through django-storages' S3Storage configured as settings.py configures it from the
    environment. Assigning STORAGES resets Django's cached storages (and `default_storage`),
    and the settings fixture puts the local storage back after the test."""
    from tests import s3

    bucket = s3.new_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage_setting()}
    yield bucket
    bucket.remove()  # the server keeps objects in memory for the whole session otherwise
