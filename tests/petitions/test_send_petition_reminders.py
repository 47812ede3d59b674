"""`send_petition_reminders`: the assigned officer is e-mailed N days before the deadline,
once per deadline, however often the command runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from shudarga.core.models import AuditEntry
from shudarga.petitions import services
from tests.factories import PetitionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _at(day: dt.date):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.UTC), tick=False
    )


def _run(**kwargs) -> str:
    out = StringIO()
    call_command("send_petition_reminders", stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def petitions(org, officer, coordinator):
    officer.email = "officer@example.mn"
    officer.save()
    with _at(dt.date(2024, 5, 1)):
        soon = PetitionFactory(
            organization=org, received_on=dt.date(2024, 4, 4), assigned_to=officer
        )
        later = PetitionFactory(
            organization=org, received_on=dt.date(2024, 4, 20), assigned_to=officer
        )
        late = PetitionFactory(
            organization=org, received_on=dt.date(2024, 3, 20), assigned_to=officer
        )
        answered = PetitionFactory(
            organization=org, received_on=dt.date(2024, 4, 4), assigned_to=officer
        )
        services.petition_answer(
            petition=answered, answer_text="a", answered_on=dt.date(2024, 4, 30), actor=officer
        )
        PetitionFactory(organization=org, received_on=dt.date(2024, 4, 4))  # nobody assigned
        no_mail = UserFactory(username="nomail")
        from tests.factories import MembershipFactory

        MembershipFactory(user=no_mail, organization=org, role="officer")
        PetitionFactory(organization=org, received_on=dt.date(2024, 4, 4), assigned_to=no_mail)
    return {"soon": soon, "later": later, "late": late}


def test_it_reminds_once_before_the_deadline(petitions):
    # On 1 May: `soon` is due 4 May (3 days), `late` was due 19 April; `later` 20 May.
    with _at(dt.date(2024, 5, 1)):
        out = _run(days=3)
        assert "Sent 2 reminder(s)." in out
        assert "1 petition(s) skipped" in out
        assert len(mail.outbox) == 2
        assert all(m.to == ["officer@example.mn"] for m in mail.outbox)
        subjects = " ".join(m.subject for m in mail.outbox)
        assert petitions["soon"].registration_no in subjects
        assert petitions["late"].registration_no in subjects
        assert petitions["soon"].petitioner_name not in mail.outbox[0].body
        assert "/petitions/" in mail.outbox[0].body

        assert "Sent 0 reminder(s)." in _run(days=3)  # idempotent
        assert len(mail.outbox) == 2

    with _at(dt.date(2024, 5, 17)):
        _run(days=3)
        assert len(mail.outbox) == 3
        assert petitions["later"].registration_no in mail.outbox[2].subject
    assert AuditEntry.objects.filter(action="petition.reminded").count() == 3


def test_the_setting_gives_the_days(petitions, settings):
    settings.PETITION_REMINDER_DAYS = 0
    with _at(dt.date(2024, 5, 1)):
        _run()
    assert len(mail.outbox) == 1  # only the one already overdue


def test_an_extension_earns_a_new_reminder(petitions, coordinator):
    with _at(dt.date(2024, 5, 1)):
        _run(days=3)
        mail.outbox.clear()
        services.petition_extend(
            petition=petitions["soon"],
            days=10,
            reason="r",
            decided_by="h",
            petitioner_informed=True,
            actor=coordinator,
        )
        _run(days=3)
        assert mail.outbox == []
    with _at(dt.date(2024, 5, 11)):  # new deadline 14 May
        _run(days=3)
    assert len(mail.outbox) == 1


def test_a_failed_send_is_tried_again(petitions, monkeypatch):
    from shudarga.petitions import services as module

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(module, "send_mail", broken)
    with _at(dt.date(2024, 5, 1)), pytest.raises(OSError):
        _run(days=3)
    monkeypatch.undo()
    with _at(dt.date(2024, 5, 1)):
        _run(days=3)
    assert len(mail.outbox) == 2
