"""Two writers appending to one audit chain at once never fork it; writers of different
organizations' chains never wait for each other.

Runs on PostgreSQL, where `select_for_update` really locks the chain head; SQLite has no row
locks (its IMMEDIATE transactions serialise writers) and its in-memory test database cannot
be shared between threads.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from shudarga.core.models import AuditEntry
from shudarga.core.selectors import audit_chain_check
from shudarga.core.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "row locks need PostgreSQL: SQLite serialises every writer by design (one write "
        "lock for the whole database), and its in-memory test database is not shared "
        "between threads"
    ),
)

THREADS = 2
EACH = 15


def _append_concurrently(user, organization_id: int | None = 1) -> list[BaseException]:
    """THREADS writers, each appending EACH entries to `organization_id`'s chain."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                with transaction.atomic():
                    audit_record(
                        actor=user,
                        action="test.race",
                        obj=user,
                        organization_id=organization_id,
                        changes={"writer": n, "i": i},
                    )
                    time.sleep(0.002)  # hold the transaction open so the writers overlap
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_chain_one_after_the_other():
    user = UserFactory()
    assert _append_concurrently(user) == []
    report = audit_chain_check()
    assert (report.checked, report.intact) == (THREADS * EACH, True)
    assert AuditEntry.objects.values("chain_id").distinct().count() == 1
    links = list(AuditEntry.objects.values_list("prev_digest", flat=True))
    assert len(set(links)) == len(links)  # no two entries chained onto the same one


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_chain_onto_existing_entries():
    """With the head row there from the start (as after the migration) and entries before."""
    user = UserFactory()
    audit_record(actor=user, action="test.before", obj=user, organization_id=1)
    assert _append_concurrently(user) == []
    assert audit_chain_check().checked == THREADS * EACH + 1
    assert audit_chain_check().intact


def _in_thread(target) -> threading.Thread:
    def run() -> None:
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _write(user, organization_id: int | None, action: str) -> None:
    audit_record(actor=user, action=action, obj=user, organization_id=organization_id)


@pytest.mark.django_db(transaction=True)
def test_writes_of_different_organizations_do_not_wait_for_each_other():
    """Organization 1's write holds its transaction (and its chain's head) open; organization
    2's write, and a country-wide one, commit meanwhile. A second write of organization 1
    waits, as it must: it chains onto the first."""
    user = UserFactory()
    for organization_id in (1, 2, None):  # the chains exist, as they do after a first change
        _write(user, organization_id, "test.first")
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold_organization_1() -> None:
        with transaction.atomic():
            _write(user, 1, "test.held")
            holding.set()
            release.wait(timeout=30)

    def write(organization_id: int | None) -> None:
        started = time.monotonic()
        try:
            with transaction.atomic():
                # Fail fast instead of waiting behind organization 1's open transaction.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                _write(user, organization_id, "test.meanwhile")
            outcome[organization_id] = time.monotonic() - started
        except Exception as exc:  # reported by the assertions below
            outcome[organization_id] = exc

    holder = _in_thread(hold_organization_1)
    try:
        assert holding.wait(timeout=10)
        for organization_id in (2, None, 1):
            _in_thread(lambda o=organization_id: write(o)).join(timeout=10)
    finally:
        release.set()
        holder.join(timeout=10)
    assert isinstance(outcome[2], float) and outcome[2] < 1.5, outcome
    assert isinstance(outcome[None], float) and outcome[None] < 1.5, outcome
    assert "lock timeout" in str(outcome[1]), outcome  # same organization: it had to wait
    assert AuditEntry.objects.filter(action="test.meanwhile").count() == 2
    report = audit_chain_check()
    assert report.intact, report.first_break
