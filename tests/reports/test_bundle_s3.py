"""The evidence bundle with the files in an S3 bucket (moto's server over HTTP, tests/s3.py):
built through the report page, stored in the bucket, downloaded through the app; a file or
the bundle gone from the bucket is reported, never a 500."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shudarga.reports.documents import bundle
from shudarga.reports.models import ReportBundle
from tests.evidence import files

pytestmark = pytest.mark.django_db

# Over the 2 MB S3Storage keeps in memory while reading: the object spools to disk.
BIG_PDF = files.PDF[:-6] + b"%" + b"y" * (3 * 1024 * 1024) + b"\n%%EOF\n"


def _url(name, report):
    return reverse(f"reports:{name}", args=[report.plan.organization.code, report.pk])


def _upload(client, report, code: str, name: str, data: bytes) -> None:
    measure = report.plan.measures.get(code=code)
    response = client.post(
        reverse("evidence:add", args=[report.plan.organization.code]),
        {"measure": measure.pk, "relates_to": "2023-04-12", "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302


def _download(client, report) -> zipfile.ZipFile:
    response = client.get(_url("bundle_download", report))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _manifest(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    rows = csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig")))
    return {row[6]: row for row in list(rows)[1:] if row[6]}  # by original file name


def test_the_bundle_holds_the_bucket_files_and_is_stored_there(
    client, officer, year_report, s3_bucket
):
    client.force_login(officer)
    _upload(client, year_report, "1.2", "тайлан.pdf", BIG_PDF)
    _upload(client, year_report, "1.3", "самбар.png", files.png(4, 4))
    assert client.post(_url("bundle", year_report)).status_code == 302
    built = ReportBundle.objects.get()
    assert built.status == ReportBundle.Status.DONE, built.error
    assert s3_bucket.key_of(built.file.name) in s3_bucket.object_keys()
    stored = s3_bucket.read(s3_bucket.key_of(built.file.name))
    assert hashlib.sha256(stored).hexdigest() == built.sha256 and len(stored) == built.size

    archive = _download(client, year_report)
    assert archive.read("1.2/01-тайлан.pdf") == BIG_PDF
    assert archive.read("1.3/01-самбар.png") == files.png(4, 4)
    manifest = _manifest(archive)
    assert manifest["тайлан.pdf"][1] == hashlib.sha256(BIG_PDF).hexdigest()
    assert manifest["тайлан.pdf"][7] == manifest["самбар.png"][7] == bundle.STATUS_OK


def test_a_file_or_the_bundle_gone_from_the_bucket_is_reported(
    client, officer, year_report, s3_bucket
):
    client.force_login(officer)
    _upload(client, year_report, "1.2", "тайлан.pdf", files.PDF)
    _upload(client, year_report, "1.3", "самбар.png", files.png(4, 4))
    image = year_report.plan.organization.evidence.get(original_name="самбар.png")
    s3_bucket.delete(s3_bucket.key_of(image.file.name))
    assert client.post(_url("bundle", year_report)).status_code == 302
    built = ReportBundle.objects.get()
    assert built.status == ReportBundle.Status.DONE
    archive = _download(client, year_report)
    assert archive.read("1.2/01-тайлан.pdf") == files.PDF
    assert not [name for name in archive.namelist() if name.startswith("1.3/")]
    assert _manifest(archive)["самбар.png"][7] == bundle.STATUS_MISSING

    s3_bucket.delete(s3_bucket.key_of(built.file.name))
    client.cookies["django_language"] = "mn"
    response = client.get(_url("bundle_download", year_report))
    assert response.status_code == 404
    assert "Нотломжийн багцын файл олдсонгүй" in response.content.decode()
    assert client.get(_url("detail", year_report)).status_code == 200
