"""An officer's start page lists their measures, what is due and what is missing."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@time_machine.travel("2023-07-15 10:00 +0800")
def test_it_lists_my_measures_with_next_due_and_open_criteria(client, officer, seed_plan):
    seed_plan.measures.filter(code__in=["1.3", "2.1"]).update(responsible_person=officer)
    seed_plan.measures.filter(code="1.3").update(recurrence="monthly")
    client.force_login(officer)
    response = client.get(reverse("dashboards:my_work"))
    html = response.content.decode()
    assert response.status_code == 200
    assert [item.measure.code for item in response.context["items"]] == ["1.3", "2.1"]
    assert "2023 оны 7 дугаар сарын 31" in html  # 1.3's next monthly due date
    assert "1.1." not in html


def test_it_tells_an_officer_without_measures_what_to_expect(client, officer, seed_plan):
    client.force_login(officer)
    response = client.get(reverse("dashboards:my_work"))
    assert response.context["items"] == []
    assert "alert-info" in response.content.decode()


def test_signing_in_lands_on_my_work(client, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": "password"})
    assert response["Location"] == reverse("dashboards:my_work")


def _submitted_report(seed_plan, officer):
    from shudarga.reports.services import report_create, report_submit

    report = report_create(plan=seed_plan, period="year", actor=None)
    return report_submit(report=report, actor=officer)


def test_a_submitted_report_waits_on_the_reviewers_and_the_leaders_home(
    client, seed_plan, officer, reviewer, leader
):
    report = _submitted_report(seed_plan, officer)
    for person, group in [(reviewer, "review"), (leader, "in_review")]:
        client.force_login(person)
        response = client.get(reverse("dashboards:my_work"))
        groups = {key: rows for key, _label, rows in response.context["inbox"].groups}
        assert [item.url for item in groups[group]] == [report.get_absolute_url()]
        assert client.get(reverse("notifications:count")).content.decode().count(">1<") == 1
    client.force_login(officer)
    assert client.get(reverse("dashboards:my_work")).context["inbox"].groups == []


@time_machine.travel("2023-12-20 10:00 +0800")
def test_an_overdue_petition_waits_and_is_notified_once(client, org, officer):
    import datetime as dt

    from shudarga.notifications.models import Notification
    from tests.factories import PetitionFactory

    PetitionFactory(organization=org, assigned_to=officer, received_on=dt.date(2023, 10, 2))
    client.force_login(officer)
    for _ in range(2):
        inbox = client.get(reverse("dashboards:my_work")).context["inbox"]
    assert [item.overdue for item in inbox.items] == [True]
    assert Notification.objects.filter(user=officer, event="petition.overdue").count() == 1


@pytest.mark.parametrize("n", [1, 25])
def test_the_start_page_runs_the_same_queries_for_1_or_25_waiting_items(
    client, org, seed_plan, officer, django_assert_num_queries, n
):
    from tests.factories import PetitionFactory

    seed_plan.measures.filter(code="1.3").update(responsible_person=officer)
    for _ in range(n):
        PetitionFactory(organization=org, assigned_to=officer)
    client.force_login(officer)
    client.get(reverse("dashboards:my_work"))  # the memo and the overdue notices settle
    cache.clear()  # the evaluation computed again, not read from the memo
    # session, user, the inbox's memberships, reports, petitions, the person's plans; the
    # plan's goals, activities, measures, criteria, rules; the memo's key (the
    # organization's newest change and survey answer); the period's facts
    # (`criteria/facts.py`: publications, events, staff, trainings and their attendees,
    # contracts, board updates, risks, document reviews, audits, oversight items, evidence,
    # petitions, surveys, reports); the memberships for the organization list, the list,
    # and the top bar's switcher
    with django_assert_num_queries(31):
        response = client.get(reverse("dashboards:my_work"))
    assert len(response.context["inbox"].items) >= n
    # From the memo (`core.memo`): the period's facts are not read again.
    with django_assert_num_queries(16):
        response = client.get(reverse("dashboards:my_work"))
    assert len(response.context["inbox"].items) >= n
