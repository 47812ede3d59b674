"""The evidence bundle on the task worker: queued in the database, built by `db_worker`."""

from __future__ import annotations

import zipfile

import pytest
from django_tasks_db.models import DBTaskResult

from shudarga.reports import services
from shudarga.reports.models import ReportBundle
from shudarga.reports.tasks import build_report_bundle
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_builds_a_queued_bundle(settings, officer, year_report, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    bundle = services.bundle_request(report=year_report, actor=officer)
    result = build_report_bundle.enqueue(bundle_id=bundle.pk)
    queued = DBTaskResult.objects.get()
    assert (queued.status, queued.task_path) == (
        "READY",
        "shudarga.reports.tasks.build_report_bundle",
    )
    bundle.refresh_from_db()
    assert bundle.status == ReportBundle.Status.PENDING  # nothing happens until a worker runs

    run_worker(monkeypatch)

    result.refresh()
    assert result.status == "SUCCESSFUL"
    bundle.refresh_from_db()
    assert bundle.status == ReportBundle.Status.DONE
    assert result.return_value == {"bundle": bundle.pk, "files": bundle.total, "size": bundle.size}
    with bundle.file.open("rb") as stored:
        assert "manifest.csv" in zipfile.ZipFile(stored).namelist()


def test_a_failing_bundle_fails_its_task_and_is_recorded(
    settings, officer, year_report, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    bundle = services.bundle_request(report=year_report, actor=officer)
    result = build_report_bundle.enqueue(bundle_id=bundle.pk)

    def broken(document):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("shudarga.reports.documents.pdf.write", broken)
    run_worker(monkeypatch)

    result.refresh()
    assert result.status == "FAILED"
    assert "no fonts" in result.errors[0].traceback
    bundle.refresh_from_db()
    assert (bundle.status, bundle.error) == (ReportBundle.Status.FAILED, "no fonts")


def test_the_page_queues_a_large_bundle_for_the_worker(
    client, officer, year_report, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    settings.REPORT_BUNDLE_SYNC_MAX_FILES = 0
    client.force_login(officer)
    url = f"/o/HOME/reports/{year_report.pk}/bundle/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert DBTaskResult.objects.ready().count() == 1
    assert ReportBundle.objects.get().status == ReportBundle.Status.PENDING

    run_worker(monkeypatch)

    assert ReportBundle.objects.get().status == ReportBundle.Status.DONE
    assert "Download evidence bundle" in client.get(url).content.decode()
