"""`shudarga build_report_bundle REPORT_ID [-o PATH]` and `--pending`."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from shudarga.reports.models import ReportBundle
from shudarga.reports.services import bundle_request

pytestmark = pytest.mark.django_db


def test_it_builds_the_bundle_with_progress_and_copies_it(tmp_path, year_report):
    out = io.StringIO()
    path = tmp_path / "bundle.zip"
    call_command("build_report_bundle", str(year_report.pk), "-o", str(path), stdout=out)
    text = out.getvalue()
    assert "1/1 files" in text and "SHA-256" in text and f"Wrote {path}." in text
    bundle = ReportBundle.objects.get()
    assert bundle.status == "done" and path.stat().st_size == bundle.size
    assert "manifest.csv" in zipfile.ZipFile(path).namelist()


def test_it_builds_the_bundles_requested_in_the_web(year_report, h1_report):
    bundle_request(report=year_report, actor=None)
    bundle_request(report=h1_report, actor=None)
    out = io.StringIO()
    call_command("build_report_bundle", "--pending", stdout=out)
    assert "Built 2 pending bundles." in out.getvalue()
    assert set(ReportBundle.objects.values_list("status", flat=True)) == {"done"}


def test_it_refuses_while_one_is_being_built(year_report):
    bundle_request(report=year_report, actor=None)
    with pytest.raises(CommandError, match="already being built"):
        call_command("build_report_bundle", str(year_report.pk), stdout=io.StringIO())


def test_it_refuses_an_unknown_report_or_no_argument():
    with pytest.raises(CommandError, match="No report with id 999999"):
        call_command("build_report_bundle", "999999")
    with pytest.raises(CommandError, match="REPORT_ID, or --pending"):
        call_command("build_report_bundle")
