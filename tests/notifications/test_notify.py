"""Notifications made at the event: a report's workflow, petitions, assignments; e-mailed
by the task worker, once per event and person."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from shudarga.notifications.events import EVENTS, message_for
from shudarga.notifications.models import Notification
from shudarga.notifications.services import notify
from shudarga.petitions import services as petitions
from shudarga.reports import services as reports
from tests.smtp import start_smtp_server
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def report(seed_plan, officer, reviewer, leader, coordinator):
    for person, email in [(officer, "o"), (reviewer, "r"), (leader, "l"), (coordinator, "c")]:
        person.email = f"{email}@example.mn"
        person.save()
    return reports.report_create(plan=seed_plan, period="year", actor=None)


def _events(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("event", flat=True))


def test_it_tells_the_reviewer_and_the_leader_of_a_submitted_report_once(
    report, officer, reviewer, leader, coordinator
):
    reports.report_submit(report=report, actor=officer)
    assert _events(reviewer) == ["report.submitted"]
    assert _events(leader) == ["report.submitted"]
    assert _events(officer) == []  # who submitted it is not told of it
    assert _events(coordinator) == []


def test_it_tells_the_leader_once_reviewed_and_the_officer_when_approved(
    report, officer, reviewer, leader
):
    report.plan.measures.update(recurrence="year_end")
    reports.report_submit(report=report, actor=officer)
    for item in report.items.select_related("measure").filter(due=True):
        reports.report_item_score(report=report, measure=item.measure, actor=reviewer, score=100)
    reports.report_mark_reviewed(report=report, actor=reviewer)
    assert _events(leader) == ["report.reviewed", "report.submitted"]
    reports.report_approve(report=report, actor=leader)
    assert _events(officer) == ["report.approved"]
    assert "report.approved" in _events(reviewer)


def test_it_tells_the_submitter_that_the_report_came_back(report, officer, reviewer):
    reports.report_submit(report=report, actor=officer)
    reports.report_reopen(report=report, actor=reviewer, reason="Нотломж дутуу")
    note = Notification.objects.get(user=officer, event="report.returned")
    with translation.override("mn"):
        assert "Нотломж дутуу" in note.text
        assert "тайлан" in note.text.lower()


def test_it_words_a_notification_in_the_readers_language(report, officer, reviewer):
    reports.report_submit(report=report, actor=officer)
    note = Notification.objects.get(user=reviewer)
    with translation.override("en"):
        english = note.text
    with translation.override("mn"):
        mongolian = note.text
    assert "Year" in english and "submitted" in english
    assert "Он тайланг" in mongolian and "submitted" not in mongolian
    assert "report.submitted" not in english + mongolian


def test_a_repeated_call_tells_nobody_twice(officer):
    first = notify(users=[officer, officer], event="plan.approved", key="k1", params={"title": "x"})
    again = notify(users=[officer], event="plan.approved", key="k1", params={"title": "x"})
    assert len(first) == 1 and again == []


def test_it_tells_the_officer_of_an_assigned_and_an_extended_petition(org, officer, coordinator):
    petition = petitions.petition_register(
        organization=org, received_on=__import__("datetime").date.today(), channel="written",
        kind="petition", petitioner_name="Б.Сарнай", subject="Хүсэлт", actor=coordinator,
    ).petition  # fmt: skip
    assert _events(officer) == ["petition.received"]  # nobody handles it yet
    petitions.petition_assign(petition=petition, officer=officer, actor=coordinator)
    petitions.petition_extend(
        petition=petition, days=10, reason="Мэдээлэл хүлээж байна", decided_by="Дарга",
        petitioner_informed=True, actor=coordinator,
    )  # fmt: skip
    assert sorted(_events(officer)) == [
        "petition.assigned",
        "petition.extended",
        "petition.received",
    ]


def test_every_event_has_words_and_none_shows_its_key():
    for event in EVENTS:
        text = message_for(event, {})
        assert event not in text and text


def test_the_top_bar_count_comes_from_the_unread_notifications(client, report, officer, reviewer):
    reports.report_submit(report=report, actor=officer)
    client.force_login(reviewer)
    response = client.get(reverse("notifications:count"))
    assert response.status_code == 200
    assert b">1<" in response.content


def test_the_worker_emails_each_person_once_in_mongolian(
    settings, report, officer, reviewer, leader, monkeypatch, django_capture_on_commit_callbacks
):
    server, stop = start_smtp_server()
    try:
        settings.TASKS = DATABASE_TASKS
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.SITE_URL = "https://shudarga.example.mn"
        with django_capture_on_commit_callbacks(execute=True):
            reports.report_submit(report=report, actor=officer)
        assert server.messages == []  # queued for the worker, not sent in the request
        run_worker(monkeypatch)
        run_worker(monkeypatch)  # a second run sends nothing more
    finally:
        stop()
    assert sorted(r for m in server.messages for r in m.recipients) == [
        "l@example.mn",
        "r@example.mn",
    ]
    message = server.messages[0].message
    assert str(message["Subject"]).strip().startswith("Шударга:")
    body = message.get_content()
    assert "тайлан" in body.lower()
    assert f"https://shudarga.example.mn/o/{report.plan.organization.code}/reports/" in body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
