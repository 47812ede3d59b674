"""`verify_seal` re-reads sealed evidence from an S3 bucket (moto's server over HTTP,
tests/s3.py): intact, bytes changed in the bucket, object gone."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from shudarga.evidence.services import evidence_add_file
from shudarga.reports import services
from tests.reports.conftest import score_all

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _verify() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("verify_seal", "--all", stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def test_verify_seal_reads_the_sealed_files_from_the_bucket(
    s3_bucket, year_report, officer, reviewer, leader
):
    evidence = evidence_add_file(
        organization=year_report.plan.organization,
        measure=year_report.plan.measures.get(code="1.2"),
        upload=SimpleUploadedFile("тайлан.pdf", PDF),
        actor=officer,
        relates_to=dt.date(2023, 5, 1),
    )
    report = score_all(year_report, reviewer)
    report = services.report_mark_reviewed(report=report, actor=reviewer)
    services.report_approve(report=report, actor=leader)
    ok, out = _verify()
    assert ok and ": intact" in out

    key = s3_bucket.key_of(evidence.file.name)
    s3_bucket.server.client.put_object(Bucket=s3_bucket.name, Key=key, Body=PDF + b"% changed")
    ok, out = _verify()
    assert not ok and "the file's bytes differ from the sealed SHA-256" in out

    s3_bucket.delete(key)
    ok, out = _verify()
    assert not ok and "the file is missing from storage" in out
