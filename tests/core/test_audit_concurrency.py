"""Two writers appending to the audit chain at once never fork it.

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
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)

THREADS = 2
EACH = 15


def _append_concurrently(user) -> list[BaseException]:
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
                        organization_id=n,
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
    links = list(AuditEntry.objects.values_list("prev_digest", flat=True))
    assert len(set(links)) == len(links)  # no two entries chained onto the same one


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_chain_onto_existing_entries():
    """With the head row there from the start (as after the migration) and entries before."""
    user = UserFactory()
    audit_record(actor=user, action="test.before", obj=user, organization_id=None)
    assert _append_concurrently(user) == []
    assert audit_chain_check().checked == THREADS * EACH + 1
    assert audit_chain_check().intact
