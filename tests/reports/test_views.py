"""Report pages: access per role, the buttons each role gets, forms, downloads, comparisons."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from shudarga.reports import services
from shudarga.reports.models import Report, ReportBundle, ReportItem
from shudarga.reports.tasks import build_report_bundle
from tests.reports.conftest import AFTER_THE_YEAR, score_all

pytestmark = pytest.mark.django_db


def _url(name, report, *extra):
    return reverse(f"reports:{name}", args=[report.plan.organization.code, report.pk, *extra])


def _action_url(report, code, action):
    measure = report.plan.measures.get(code=code)
    return reverse(f"reports:measure_{action}", args=["HOME", report.pk, measure.pk])


def _measure_url(report, code):
    return _url("measure", report, report.plan.measures.get(code=code).pk)


@pytest.mark.parametrize("who", ["coordinator", "officer", "reviewer", "leader", "auditor"])
def test_everyone_of_the_organization_reads_the_report(client, request, year_report, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reports:list", args=["HOME"])).status_code == 200
    html = client.get(_url("detail", year_report)).content.decode()
    assert "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨНИЙ ХЭРЭГЖИЛТИЙН ТАЙЛАН" in html
    assert client.get(_measure_url(year_report, "1.2")).status_code == 200
    assert client.get(_url("compare", year_report)).status_code == 200


def test_the_list_offers_creation_only_to_writers(client, officer, auditor, seed_plan):
    client.force_login(officer)
    assert "Create half-year and year reports" in client.get("/o/HOME/reports/").content.decode()
    client.force_login(auditor)
    assert (
        "Create half-year and year reports" not in client.get("/o/HOME/reports/").content.decode()
    )


def test_the_officer_creates_the_default_reports_from_the_list(client, officer, seed_plan):
    client.force_login(officer)
    response = client.post(
        reverse("reports:create", args=["HOME"]), {"plan": seed_plan.pk, "defaults": "1"}
    )
    assert response.status_code == 302
    assert sorted(Report.objects.values_list("period", flat=True)) == ["h1", "year"]


def test_a_quarterly_report_with_its_own_due_date(client, coordinator, seed_plan):
    client.force_login(coordinator)
    response = client.post(
        reverse("reports:create", args=["HOME"]),
        {"plan": seed_plan.pk, "period": "q1", "due_date": "2023-04-05"},
    )
    report = Report.objects.get(period="q1")
    assert response["Location"] == report.get_absolute_url()
    assert str(report.due_date) == "2023-04-05"


@pytest.mark.parametrize("who", ["reviewer", "leader", "auditor"])
def test_only_writers_create_reports(client, request, seed_plan, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("reports:create", args=["HOME"]), {"plan": seed_plan.pk, "defaults": "1"}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_officer_edits_a_measure_on_its_page(client, officer, year_report):
    client.force_login(officer)
    url = _action_url(year_report, "1.2", "save")
    response = client.post(url, {"text": "Хоёр өдөрлөг хийсэн.", "self_score": "100"})
    assert response.status_code == 302
    item = ReportItem.objects.get(report=year_report, measure__code="1.2")
    assert (item.text, item.self_score, item.text_edited) == ("Хоёр өдөрлөг хийсэн.", 100, True)


def test_a_missed_target_without_reason_is_shown_next_to_the_field(client, officer, year_report):
    client.force_login(officer)
    year_report.plan.measures.filter(code="1.2").update(baseline="0", target="2")
    response = client.post(
        _action_url(year_report, "1.2", "save"), {"text": "…", "target_reached": "no"}
    )
    assert response.status_code == 400
    assert "Say why the target level was not reached." in response.content.decode()


@pytest.mark.parametrize("who", ["reviewer", "leader", "auditor"])
def test_only_writers_edit_the_text(client, request, year_report, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(_action_url(year_report, "1.2", "save"), {"text": "X"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["coordinator", "officer", "leader", "auditor"])
def test_only_the_reviewer_scores(client, request, year_report, who):
    services.report_submit(report=year_report, actor=None)
    client.force_login(request.getfixturevalue(who))
    response = client.post(_action_url(year_report, "1.2", "score"), {"score": "100"})
    assert response.status_code == 403
    assert not ReportItem.objects.filter(score__isnull=False).exists()


def test_the_reviewer_scores_and_an_off_scale_score_is_refused(client, reviewer, year_report):
    services.report_submit(report=year_report, actor=None)
    client.force_login(reviewer)
    url = _action_url(year_report, "1.2", "score")
    response = client.post(url, {"score": "50"})
    assert response.status_code == 400
    assert "50 is not on the scale; use one of 100, 70, 30, 0." in response.content.decode()
    assert client.post(url, {"score": "70", "comment": "Дутуу."}).status_code == 302
    item = ReportItem.objects.get(report=year_report, measure__code="1.2")
    assert (item.score, item.score_comment, item.scored_by) == (70, "Дутуу.", reviewer)


def test_editing_a_locked_report_is_refused_with_a_message(
    client, officer, reviewer, leader, year_report
):
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    services.report_approve(report=report, actor=leader)
    client.force_login(officer)
    url = _measure_url(report, "1.2")
    save = _action_url(report, "1.2", "save")
    response = client.post(save, {"text": "Өөрчилсөн"}, follow=True)
    assert "approved and locked" in response.content.decode()
    assert ReportItem.objects.get(report=report, measure__code="1.2").text != "Өөрчилсөн"
    # The page offers no form to a locked report.
    assert save not in client.get(url).content.decode()


def test_the_workflow_buttons_follow_role_and_status(
    client, officer, reviewer, leader, year_report
):
    url = _url("transition", year_report)
    client.force_login(reviewer)
    assert client.post(url, {"transition": "submit"}).status_code == 403
    client.force_login(officer)
    assert client.post(url, {"transition": "submit"}).status_code == 302
    assert client.post(url, {"transition": "review"}).status_code == 403
    client.force_login(reviewer)
    html = client.get(_url("detail", year_report)).content.decode()
    assert "Mark reviewed" in html and "Due measures without a score" in html
    response = client.post(url, {"transition": "review"}, follow=True)
    assert "19 due measures have no score" in response.content.decode()
    score_all(Report.objects.get(pk=year_report.pk), reviewer)
    assert client.post(url, {"transition": "review"}).status_code == 302
    client.force_login(leader)
    assert client.post(url, {"transition": "approve"}).status_code == 302
    assert Report.objects.get(pk=year_report.pk).status == "approved"
    client.force_login(reviewer)
    response = client.post(url, {"transition": "reopen", "reason": ""}, follow=True)
    assert "Say why the report is reopened." in response.content.decode()
    client.post(url, {"transition": "reopen", "reason": "Засвар"})
    assert Report.objects.get(pk=year_report.pk).status == "draft"


def test_the_officer_cannot_reopen_an_approved_report(
    client, officer, reviewer, leader, year_report
):
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    services.report_approve(report=report, actor=leader)
    client.force_login(officer)
    response = client.post(_url("transition", report), {"transition": "reopen", "reason": "X"})
    assert response.status_code == 403


def test_comments_from_the_measure_page(client, officer, reviewer, auditor, year_report):
    url = _measure_url(year_report, "1.3")
    comment = _action_url(year_report, "1.3", "comment")
    client.force_login(reviewer)
    client.post(comment, {"text": "8-р сарын нотломж?"})
    client.force_login(officer)
    client.post(comment, {"text": "Нэмлээ."})
    html = client.get(url).content.decode()
    assert html.index("8-р сарын нотломж?") < html.index("Нэмлээ.")
    client.force_login(auditor)
    assert client.post(comment, {"text": "Би"}).status_code == 403


def test_a_measure_of_another_plan_is_404(client, officer, year_report, other_plan):
    client.force_login(officer)
    measure = other_plan.measures.get(code="1.1")
    assert client.get(_url("measure", year_report, measure.pk)).status_code == 404


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("json", "application/json; charset=utf-8", b"{"),
    ],
)
def test_every_role_downloads_every_format(client, auditor, year_report, fmt, content_type, magic):
    client.force_login(auditor)
    response = client.get(_url("export", year_report, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    # HOME has a parent body: its downloads are in the national template unless asked.
    layout = "" if fmt == "json" else "national-"
    assert (
        f'filename="HOME-2023-year-report-{layout}{year_report.pk}.{fmt}"'
        in response["Content-Disposition"]
    )


def test_an_unknown_format_is_404(client, officer, year_report):
    client.force_login(officer)
    assert client.get(_url("export", year_report, "odt")).status_code == 404


def test_exporting_another_organizations_report_is_404(client, outsider, year_report):
    client.force_login(outsider)
    assert client.get(_url("export", year_report, "pdf")).status_code == 404
    # Its id under the outsider's own organization code is no better.
    url = reverse("reports:export", args=["OTHER", year_report.pk, "pdf"])
    assert client.get(url).status_code == 404


def test_the_bundle_is_built_and_downloaded(client, officer, year_report):
    client.force_login(officer)
    assert client.get(_url("bundle_download", year_report)).status_code == 404  # none yet
    response = client.post(_url("bundle", year_report))
    assert response.status_code == 302
    html = client.get(_url("bundle", year_report)).content.decode()
    assert "Download evidence bundle" in html and "every 1s" not in html
    response = client.get(_url("bundle_download", year_report))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert {"manifest.csv", "SHA256SUMS", "2023-year-тайлан.pdf"} <= set(archive.namelist())


def test_a_large_bundle_is_built_by_the_task_worker_with_progress(
    client, officer, year_report, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_BUNDLE_SYNC_MAX_FILES = 0
    # A backend that only keeps what is enqueued, so the page is seen while it waits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("bundle", year_report))
    assert response.status_code == 302
    html = client.get(_url("bundle", year_report)).content.decode()
    assert 'hx-trigger="every 1s"' in html and "Building the evidence bundle" in html
    (queued,) = build_report_bundle.get_backend().results  # enqueued after the transaction
    assert queued.task.name == "build_report_bundle"
    assert queued.kwargs == {"bundle_id": ReportBundle.objects.get().pk}
    # The worker's work, done here: the page then offers the download.
    build_report_bundle.call(*queued.args, **queued.kwargs)
    html = client.get(_url("bundle", year_report)).content.decode()
    assert "Download evidence bundle" in html and "every 1s" not in html


def test_a_large_bundle_is_built_at_once_with_the_immediate_backend(
    client, officer, year_report, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_BUNDLE_SYNC_MAX_FILES = 0  # handed to the task backend, which runs it
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("bundle", year_report))
    assert ReportBundle.objects.get().status == ReportBundle.Status.DONE
    assert client.get(_url("bundle_download", year_report)).status_code == 200


def test_comparison_of_periods_puts_h1_beside_the_year(
    client, officer, reviewer, h1_report, year_report
):
    h1_report.plan.measures.filter(code="1.3").update(recurrence="monthly")
    score_all(h1_report, reviewer, {"1.3": 70})
    client.force_login(officer)
    response = client.get(_url("compare", year_report))
    comparison = response.context["comparison"]
    assert [r.period for r in comparison.reports] == ["h1", "year"]  # periods in order
    row = next(r for r in comparison.rows if r.code == "1.3")  # monthly: due in both
    assert (row.cells[0].score, row.cells[1].score) == (70, None)
    assert next(r for r in comparison.rows if r.code == "1.2").cells[0].mark == "ХБ"


def test_comparison_with_last_year_matches_measures_by_code(
    client, officer, reviewer, seed_plan, year_report, seed_bytes
):
    from shudarga.plans.documents.reading import read_plan_document
    from shudarga.plans.services import plan_create_from_document

    document = read_plan_document(seed_bytes)
    document.year = 2022
    document.title = document.title.replace("2023", "2022")
    last_plan = plan_create_from_document(
        organization=seed_plan.organization, document=document, actor=None
    )
    last = services.report_create(plan=last_plan, period="year", actor=None, today=AFTER_THE_YEAR)
    score_all(last, reviewer, {"1.1": 30})
    client.force_login(officer)
    response = client.get(_url("compare", year_report) + "?against=last_year")
    comparison = response.context["comparison"]
    assert [r.plan.year for r in comparison.reports] == [2023, 2022]
    row = next(r for r in comparison.rows if r.code == "1.1")
    assert row.cells[0].score is None and row.cells[1].score == 30


def test_comparison_with_a_missing_last_year_says_so(client, officer, year_report):
    client.force_login(officer)
    html = client.get(_url("compare", year_report) + "?against=last_year").content.decode()
    assert "There is no Year report for 2022 to compare with." in html


def test_the_list_shows_a_report_the_system_approved(client, auditor, reviewer, year_report):
    """Finding 7: an approved report without an approver (the demo's child organizations,
    approved by the loader) made the list a 500 (`report_list.html:42`)."""
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=None)
    services.report_approve(report=report, actor=None)
    assert Report.objects.get(pk=report.pk).approved_by is None
    client.force_login(auditor)
    response = client.get(reverse("reports:list", args=[report.plan.organization.code]))
    assert response.status_code == 200
    assert "—" in response.content.decode()


def test_the_default_reports_button_goes_once_they_exist(client, coordinator, seed_plan):
    from shudarga.reports.services import report_create_defaults

    client.force_login(coordinator)
    url = reverse("reports:list", args=[seed_plan.organization.code])
    assert "Create half-year and year reports" in client.get(url).content.decode()
    report_create_defaults(plan=seed_plan, actor=None)
    assert "Create half-year and year reports" not in client.get(url).content.decode()


def test_each_action_of_the_measure_page_has_its_own_address(client, officer, year_report):
    client.force_login(officer)
    assert client.get(_action_url(year_report, "1.2", "save")).status_code == 405
    assert client.post(_measure_url(year_report, "1.2"), {"text": "X"}).status_code == 405
    response = client.post(_action_url(year_report, "1.2", "redraft"))
    assert response["Location"] == _measure_url(year_report, "1.2")
