"""The report pages and exports ask the database a fixed number of times, whatever the
plan's size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shudarga.reports import services
from tests.factories import EvidenceFactory
from tests.reports.conftest import plan_with_measures, score_all

pytestmark = pytest.mark.django_db


def _report(org, reviewer, n):
    plan = plan_with_measures(org, n, criteria=3, recurrence="half_yearly")
    report = services.report_create(plan=plan, period="year", actor=None)
    for measure in plan.measures.all()[:3]:
        EvidenceFactory(measure=measure, relates_to=dt.date(2023, 5, 1))
    report = score_all(report, reviewer)
    measure = plan.measures.first()
    services.report_comment_add(report=report, measure=measure, actor=reviewer, text="Сайн")
    return report


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_report_page_runs_a_fixed_number_of_queries(
    client, officer, reviewer, org, django_assert_num_queries, n_measures
):
    report = _report(org, reviewer, n_measures)
    client.force_login(officer)
    url = reverse("reports:detail", args=[org.code, report.pk])
    # session, user, organization, memberships, report + plan, goals, activities,
    # measures + responsible person, criteria, items + scorer, evidence of the period (the
    # first four of each measure, then the counts), comment counts, the seal (none yet),
    # latest bundle, organizations for the switcher, history, the report policy (is the
    # four-eyes rule off?), the parent body's evaluation (issue 18); the page body's key
    # (the organization's newest change) and the report read again after it, whether the
    # report has a seal
    with django_assert_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="m-') == n_measures
    # Nothing changed: the body is the memo's HTML (session, user, organization,
    # memberships, report + plan, seal or not, the key, switcher).
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count('<tr id="m-') == n_measures


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_sealed_report_page_runs_a_fixed_number_of_queries(
    client, officer, reviewer, leader, org, django_assert_num_queries, n_measures
):
    report = services.report_mark_reviewed(
        report=_report(org, reviewer, n_measures), actor=reviewer
    )
    report = services.report_approve(report=report, actor=leader)
    client.force_login(officer)
    url = reverse("reports:detail", args=[org.code, report.pk])
    # the twenty-two above, and for the badge: the report rebuilt with all its evidence
    # (eight: the page shows four a measure, the seal has all), the report's people and the
    # plan's signatures (the export it compares), the sealed evidence rows; no file is read
    # (a sealed report's page is rendered anew each time: no change stamp is read)
    with django_assert_num_queries(32):
        response = client.get(url)
    assert b'data-seal="intact"' in response.content


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_measure_page_runs_a_fixed_number_of_queries(
    client, officer, reviewer, org, django_assert_num_queries, n_measures
):
    report = _report(org, reviewer, n_measures)
    client.force_login(officer)
    measure = report.plan.measures.order_by("position").first()
    url = reverse("reports:measure", args=[org.code, report.pk, measure.pk])
    # session, user, organization, memberships, report + plan, the measure + goal, its
    # criteria, then the report page's eight (goals … comment counts, the parent body's
    # evaluation), the comments, switcher
    with django_assert_num_queries(17):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_list_runs_a_fixed_number_of_queries(
    client, officer, reviewer, org, django_assert_num_queries, n_measures
):
    report = _report(org, reviewer, n_measures)
    services.report_create(plan=report.plan, period="h1", actor=None)
    client.force_login(officer)
    # session, user, organization, memberships, plans, reports + people, item scores,
    # switcher (the creation form offers the plans already fetched)
    with django_assert_num_queries(8):
        assert client.get(reverse("reports:list", args=[org.code])).status_code == 200


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_json_export_runs_a_fixed_number_of_queries(
    client, officer, reviewer, org, django_assert_num_queries, n_measures
):
    report = _report(org, reviewer, n_measures)
    client.force_login(officer)
    url = reverse("reports:export", args=[org.code, report.pk, "json"])
    # session, user, organization, memberships, report + plan, the report page's eight
    # (goals, activities, measures, criteria, items, evidence, comment counts, the parent
    # body's evaluation), the report's people, the plan's signatures
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
