"""Reports through the API: the list with percents, one report as its page shows it, and
submitting through the workflow service."""

from __future__ import annotations

import pytest

from shudarga.core.models import AuditEntry
from shudarga.reports import services
from shudarga.reports.models import Report, ReportEvent
from shudarga.reports.selectors import report_page
from tests.reports.conftest import AFTER_THE_YEAR, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_report(seed_plan, coordinator):
    return services.report_create(
        plan=seed_plan, period="year", actor=coordinator, today=AFTER_THE_YEAR
    )


def test_it_reads_a_report_with_items_scores_and_totals(api_for, auditor, year_report, reviewer):
    score_all(year_report, reviewer, scores={"1.2": 30}, default=100)
    api = api_for(auditor)
    listed = api.get("/organizations/HOME/reports").json()
    page = report_page(report=Report.objects.get())
    assert [(r["id"], r["period"], r["status"]) for r in listed] == [
        (year_report.pk, "year", "submitted")
    ]
    assert listed[0]["percent"] == f"{page.percent:.1f}"

    report = api.get(f"/organizations/HOME/reports/{year_report.pk}").json()
    items = {i["code"]: i for g in report["goals"] for i in g["items"]}
    assert len(items) == len(page.rows)
    assert items["1.2"]["score"] == 30
    assert report["totals"]["due"] == page.due_count
    assert report["totals"]["not_due"] == page.not_due_count
    assert report["totals"]["unscored"] == 0
    assert report["totals"]["percent"] == listed[0]["percent"]
    assert sum(level["count"] for level in report["totals"]["levels"]) == page.due_count


def test_the_officer_submits_a_draft_once(api_for, officer, year_report):
    api = api_for(officer)
    url = f"/organizations/HOME/reports/{year_report.pk}/submit"
    response = api.post(url)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    year_report.refresh_from_db()
    assert year_report.submitted_by == officer
    assert ReportEvent.objects.filter(report=year_report, action="submitted").exists()
    assert AuditEntry.objects.filter(action="report.submitted").count() == 1

    again = api.post(url)
    assert (again.status_code, again.json()["code"]) == (409, "wrong_status")


def test_a_reviewer_may_not_submit(api_for, reviewer, year_report):
    response = api_for(reviewer).post(f"/organizations/HOME/reports/{year_report.pk}/submit")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    year_report.refresh_from_db()
    assert year_report.status == "draft"
