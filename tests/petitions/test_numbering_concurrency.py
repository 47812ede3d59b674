"""Registration numbers stay gap-free and unique when clerks register at the same moment.

Runs on PostgreSQL, where `select_for_update` really locks the counter row; SQLite has no
row locks (its IMMEDIATE transactions serialise writers) and its in-memory test database
cannot be shared between threads, so the sequence tests in test_services cover it there.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from shudarga.petitions.models import Petition
from tests.factories import OrganizationFactory, PetitionFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)

THREADS = 8
EACH = 5


@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_registrations_gap_free():
    org = OrganizationFactory(code="RACE")
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def clerk() -> None:
        try:
            barrier.wait()
            for _ in range(EACH):
                PetitionFactory(organization=org)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Petition.objects.filter(organization=org).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS * EACH + 1))


@pytest.mark.django_db(transaction=True)
def test_the_first_registrations_of_a_year_race_safely():
    """Every thread finds no counter row and tries to create it at once."""
    org = OrganizationFactory(code="RACE2")
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def clerk() -> None:
        try:
            barrier.wait()
            PetitionFactory(organization=org)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Petition.objects.filter(organization=org).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
