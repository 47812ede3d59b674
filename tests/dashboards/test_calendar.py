"""The deadline calendar and the personal iCalendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shudarga.dashboards.ical import escape_text, fold
from shudarga.dashboards.models import CalendarFeed
from shudarga.dashboards.services import calendar_feed_create, calendar_feed_revoke
from shudarga.plans.services import measure_assign
from shudarga.reports.services import report_create
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _assign(plan, code, person, recurrence):
    measure = plan.measures.get(code=code)
    return measure_assign(
        measure=measure, actor=None, responsible_unit="", responsible_person=person,
        due_date=None, recurrence=recurrence,
    )  # fmt: skip


def test_it_shows_every_obligation_of_the_month(client, officer, seed_plan):
    _assign(seed_plan, "1.3", officer, "monthly")
    _assign(seed_plan, "5.1", None, "q1_h1_year")
    report = report_create(plan=seed_plan, period="h1", actor=None)  # due 10 July 2023
    client.force_login(officer)
    url = reverse("dashboards:calendar", args=["HOME"])
    june = client.get(url, {"month": "2023-06"}).context["items"]
    kinds = sorted((o.day, o.kind, o.title.split()[0]) for o in june)
    # 1.3 monthly and 5.1 at half-year fall on 30 June; the seed gives the other measures no
    # deadline, so they are assessed in every report and have no date of their own.
    assert kinds == [
        (dt.date(2023, 6, 30), "measure", "1.3"),
        (dt.date(2023, 6, 30), "measure", "5.1"),
    ]
    july = client.get(url, {"month": "2023-07"}).context["items"]
    assert [(o.kind, o.day) for o in july if o.kind == "report"] == [("report", report.due_date)]
    december = client.get(url, {"month": "2023-12"}).context["items"]
    assert sorted(o.title.split()[0] for o in december if o.kind == "measure") == ["1.3", "5.1"]


def test_it_filters_by_person(client, officer, seed_plan):
    _assign(seed_plan, "1.3", officer, "monthly")
    client.force_login(officer)
    url = reverse("dashboards:calendar", args=["HOME"])
    items = client.get(url, {"month": "2023-12", "person": officer.pk}).context["items"]
    assert [o.title.split()[0] for o in items if o.kind == "measure"] == ["1.3"]


def test_it_lists_open_petition_deadlines(client, officer, org):
    petition = PetitionFactory(organization=org)
    client.force_login(officer)
    response = client.get(
        reverse("dashboards:calendar", args=["HOME"]), {"month": f"{petition.due_on:%Y-%m}"}
    )
    assert [(o.kind, o.day) for o in response.context["items"]] == [("petition", petition.due_on)]


def test_it_answers_404_to_an_outsider(client, outsider, org):
    client.force_login(outsider)
    assert client.get(reverse("dashboards:calendar", args=["HOME"])).status_code == 404


def test_it_rejects_a_malformed_month(client, officer, org):
    client.force_login(officer)
    response = client.get(reverse("dashboards:calendar", args=["HOME"]), {"month": "2023-13"})
    assert response.status_code == 200 and response.context["form"].errors


# -- the iCalendar feed --------------------------------------------------------------------


def test_it_folds_lines_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "Өргөдөл, гомдол; " * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_it_escapes_text():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_the_feed_is_valid_icalendar_with_the_persons_deadlines(client, officer, org):
    from django.utils import timezone

    plan_petition = PetitionFactory(organization=org, assigned_to=officer)
    PetitionFactory(organization=org)  # someone else's: not in the feed
    feed = calendar_feed_create(user=officer)
    response = client.get(reverse("dashboards:ical", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"DTSTART;VALUE=DATE:{plan_petition.due_on:%Y%m%d}" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert timezone.localdate() <= plan_petition.due_on


def test_a_revoked_or_unknown_feed_is_404(client, officer):
    feed = calendar_feed_create(user=officer)
    url = reverse("dashboards:ical", args=[feed.token])
    assert client.get(url).status_code == 200
    calendar_feed_revoke(user=officer)
    assert client.get(url).status_code == 404
    assert client.get(reverse("dashboards:ical", args=["nope"])).status_code == 404


def test_a_new_feed_revokes_the_old_one(client, officer):
    old = calendar_feed_create(user=officer)
    new = calendar_feed_create(user=officer)
    assert old.token != new.token
    assert CalendarFeed.objects.filter(user=officer, revoked_at__isnull=True).get() == new
    assert client.get(reverse("dashboards:ical", args=[old.token])).status_code == 404


def test_the_feed_forgets_organizations_the_person_left(client, officer, org):
    PetitionFactory(organization=org, assigned_to=officer)
    feed = calendar_feed_create(user=officer)
    officer.memberships.all().delete()
    body = client.get(reverse("dashboards:ical", args=[feed.token])).content.decode()
    assert "BEGIN:VEVENT" not in body


def test_it_makes_and_revokes_the_feed_from_the_page(client, officer):
    client.force_login(officer)
    client.post(reverse("dashboards:feed"), {"action": "create"})
    feed = CalendarFeed.objects.get(user=officer, revoked_at__isnull=True)
    page = client.get(reverse("dashboards:notifications")).content.decode()
    assert f"/ical/{feed.token}.ics" in page
    client.post(reverse("dashboards:feed"), {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=officer, revoked_at__isnull=True).exists()


def _submitted(seed_plan, officer, when):
    import time_machine

    from shudarga.reports.services import report_submit

    report = report_create(plan=seed_plan, period="h1", actor=None)
    with time_machine.travel(when, tick=False):
        report_submit(report=report, actor=officer)
    return report


def test_it_shows_the_review_step_of_a_submitted_report_to_whoever_takes_it(
    client, officer, reviewer, seed_plan
):
    _submitted(seed_plan, officer, dt.datetime(2023, 7, 5, 3, tzinfo=dt.UTC))
    url = reverse("dashboards:calendar", args=["HOME"])
    client.force_login(reviewer)
    july = client.get(url, {"month": "2023-07"}).context["items"]
    assert [(o.kind, o.day) for o in july if o.kind == "review"] == [
        ("review", dt.date(2023, 7, 15))  # REPORT_REVIEW_DAYS after submission
    ]
    mine = client.get(url, {"month": "2023-07", "person": reviewer.pk}).context["items"]
    assert [o.kind for o in mine] == ["review"]
    client.force_login(officer)
    theirs = client.get(url, {"month": "2023-07", "person": officer.pk}).context["items"]
    assert "review" not in {o.kind for o in theirs}  # officers do not review


def test_the_organization_feed_has_every_deadline_of_the_organization(
    client, coordinator, officer, reviewer, org, seed_plan
):
    import time_machine

    petition = PetitionFactory(organization=org, assigned_to=officer)
    with time_machine.travel(petition.received_on, tick=False):
        client.force_login(coordinator)
        response = client.post(
            reverse("dashboards:feed"), {"action": "create", "organization": org.code}
        )
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(user=coordinator, organization=org, revoked_at__isnull=True)
    body = client.get(reverse("dashboards:ical", args=[feed.token])).content.decode()
    assert f"DTSTART;VALUE=DATE:{petition.due_on:%Y%m%d}" in body  # not the coordinator's own
    assert "X-WR-CALNAME:" in body and org.name in body.replace("\r\n ", "")
    coordinator.memberships.all().delete()
    assert client.get(reverse("dashboards:ical", args=[feed.token])).status_code == 404


def test_an_outsider_cannot_make_a_feed_of_another_organization(client, outsider, org):
    client.force_login(outsider)
    response = client.post(reverse("dashboards:feed"), {"action": "create", "organization": "HOME"})
    assert response.status_code == 404


def test_the_first_address_does_not_speak_of_an_old_one(client, officer):
    client.cookies["django_language"] = "en"
    client.force_login(officer)
    first = client.post(reverse("dashboards:feed"), {"action": "create"}, follow=True)
    assert "old one" not in first.content.decode()
    second = client.post(reverse("dashboards:feed"), {"action": "create"}, follow=True)
    assert "the old one stopped working" in second.content.decode()
