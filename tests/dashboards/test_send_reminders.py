"""`shudarga send_reminders`: one digest per person and day, in-app notifications too."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from shudarga.dashboards.models import ReminderDigest
from shudarga.notifications.models import Notification
from shudarga.plans.services import measure_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_work(seed_plan, officer, coordinator):
    """The officer is responsible for 1.3, due at each month's end."""
    officer.email, coordinator.email = "officer@example.mn", "coord@example.mn"
    officer.save()
    coordinator.save()
    measure_assign(
        measure=seed_plan.measures.get(code="1.3"), actor=None, responsible_unit="",
        responsible_person=officer, due_date=None, recurrence="monthly",
    )  # fmt: skip
    return seed_plan


def _run() -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


@time_machine.travel(dt.datetime(2023, 6, 26, 1, tzinfo=dt.UTC), tick=False)
def test_it_sends_one_digest_a_day_and_the_next_one_tomorrow(due_work, officer):
    _run()
    _run()
    assert [m.to for m in mail.outbox] == [["officer@example.mn"]]
    assert "1.3" in mail.outbox[0].body and "2023-06-30" in mail.outbox[0].body
    assert ReminderDigest.objects.filter(user=officer).count() == 1
    with time_machine.travel(dt.datetime(2023, 6, 27, 1, tzinfo=dt.UTC), tick=False):
        output = _run()
        _run()
    assert [m.to for m in mail.outbox] == [["officer@example.mn"]] * 2
    assert "sent 0 digests, 1 already sent today" in output or "sent 1" in output
    assert Notification.objects.filter(user=officer, event="reminder.digest").count() == 2


@time_machine.travel(dt.datetime(2023, 6, 10, 1, tzinfo=dt.UTC), tick=False)
def test_it_sends_nothing_when_nothing_is_due(due_work):
    _run()
    assert mail.outbox == []


def test_the_database_refuses_a_second_digest_the_same_day(officer):
    ReminderDigest.objects.create(user=officer, day=dt.date(2023, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderDigest.objects.create(user=officer, day=dt.date(2023, 6, 1))


@time_machine.travel(dt.datetime(2023, 6, 26, 1, tzinfo=dt.UTC), tick=False)
def test_it_skips_a_person_another_server_already_reminded(due_work, officer):
    ReminderDigest.objects.create(user=officer, day=dt.date(2023, 6, 26))
    assert "1 already sent today" in _run()
    assert mail.outbox == []


@time_machine.travel(dt.datetime(2023, 6, 26, 1, tzinfo=dt.UTC), tick=False)
def test_notifications_are_read_and_unread(client, due_work, officer):
    _run()
    client.force_login(officer)
    url = reverse("dashboards:notifications")
    response = client.get(url)
    assert response.context["unread"] == 2  # 1.3 assigned to them, and the digest
    client.post(url)
    assert client.get(url).context["unread"] == 0
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()


def test_a_person_cannot_mark_anothers_notifications(client, officer, coordinator):
    note = Notification.objects.create(
        user=coordinator, day=dt.date(2023, 6, 1), event="legacy", params={"text": "x"}
    )
    client.force_login(officer)
    client.post(reverse("dashboards:notifications"), {"id": [note.pk]})
    note.refresh_from_db()
    assert note.read_at is None


@time_machine.travel(dt.datetime(2023, 12, 20, 1, tzinfo=dt.UTC), tick=False)
def test_the_daily_run_tells_the_handler_of_an_overdue_petition_once(org, officer):
    from tests.factories import PetitionFactory

    PetitionFactory(organization=org, assigned_to=officer, received_on=dt.date(2023, 10, 2))
    _run()
    _run()
    assert Notification.objects.filter(user=officer, event="petition.overdue").count() == 1
