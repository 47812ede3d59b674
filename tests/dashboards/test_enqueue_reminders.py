"""`shudarga enqueue_reminders`: the daily reminders as tasks, run by the worker (or at once
with the immediate backend of development and tests)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from shudarga.petitions.models import Petition
from shudarga.plans.services import measure_assign
from tests.factories import PetitionFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

# 2023-06-26 in Ulaanbaatar: measure 1.3 is due on 06-30, the petition on 06-28.
TODAY = dt.datetime(2023, 6, 26, 1, tzinfo=dt.UTC)


@pytest.fixture
def due_work(seed_plan, org, officer):
    officer.email = "officer@example.mn"
    officer.save()
    measure_assign(
        measure=seed_plan.measures.get(code="1.3"), actor=None, responsible_unit="",
        responsible_person=officer, due_date=None, recurrence="monthly",
    )  # fmt: skip
    with time_machine.travel(TODAY, tick=False):
        petition = PetitionFactory(
            organization=org, received_on=dt.date(2023, 5, 29), assigned_to=officer
        )
    assert petition.due_on <= dt.date(2023, 6, 29)
    return petition


def _enqueue() -> str:
    out = StringIO()
    call_command("enqueue_reminders", stdout=out)
    return out.getvalue()


@time_machine.travel(TODAY, tick=False)
def test_the_immediate_backend_sends_both_reminders_at_once(due_work):
    output = _enqueue()
    assert "Queued send_reminders" in output and "Queued send_petition_reminders" in output
    assert len(mail.outbox) == 2  # the digest and the petition reminder
    assert all(m.to == ["officer@example.mn"] for m in mail.outbox)
    assert Petition.objects.get().reminder_sent_at is not None


@time_machine.travel(TODAY, tick=False)
def test_the_worker_sends_queued_reminders_once(settings, due_work, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _enqueue()
    assert DBTaskResult.objects.ready().count() == 2
    assert mail.outbox == []  # queued, not sent

    run_worker(monkeypatch)

    assert len(mail.outbox) == 2
    results = {r.task_path.rsplit(".", 1)[1]: r for r in DBTaskResult.objects.all()}
    assert {name: r.status for name, r in results.items()} == {
        "send_reminders": "SUCCESSFUL",
        "send_petition_reminders": "SUCCESSFUL",
    }
    assert results["send_reminders"].return_value == {"sent": 1, "skipped": 0}
    assert results["send_petition_reminders"].return_value == {"sent": 1, "skipped_no_email": 0}

    # A second trigger the same day sends nothing more.
    _enqueue()
    run_worker(monkeypatch)
    assert len(mail.outbox) == 2
