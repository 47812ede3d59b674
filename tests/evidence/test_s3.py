"""Evidence kept in an S3 bucket (SHUDARGA_STORAGE=s3): upload, download, preview, replace
and a missing object, through the pages a user uses, against moto's S3 server over HTTP
(tests/s3.py)."""

from __future__ import annotations

import hashlib
import urllib.request

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from storages.backends.s3 import S3File, S3Storage

from shudarga.api.models import ApiToken
from shudarga.api.services import token_create
from shudarga.evidence.models import Evidence
from tests.evidence import files

pytestmark = pytest.mark.django_db

# Bigger than the 2 MB S3Storage keeps in memory when it reads an object: it spools to disk.
BIG_PDF = files.PDF[:-6] + b"%" + b"x" * (3 * 1024 * 1024) + b"\n%%EOF\n"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def _upload(client, org, measure, name: str, data: bytes) -> Evidence:
    response = client.post(
        reverse("evidence:add", args=[org.code]),
        {"measure": measure.pk, "relates_to": "2024-03-08", "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Evidence.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_storage_is_s3_on_the_test_server(s3_bucket):
    assert isinstance(default_storage, S3Storage)
    assert default_storage.bucket_name == s3_bucket.name
    assert Evidence.file.field.storage.bucket_name == s3_bucket.name
    assert default_storage.location == s3_bucket.prefix


def test_an_upload_is_an_object_under_the_prefix(client, coordinator, org, measure, s3_bucket):
    client.force_login(coordinator)
    evidence = _upload(client, org, measure, "Сургалтын ирц.pdf", BIG_PDF)
    assert evidence.file.name.startswith(f"evidence/{org.pk}/")
    assert evidence.sha256 == hashlib.sha256(BIG_PDF).hexdigest()
    assert evidence.size == len(BIG_PDF)
    # Only the final object: the pending copy was removed once the row was saved.
    assert s3_bucket.object_keys() == [s3_bucket.key_of(evidence.file.name)]
    assert s3_bucket.read(s3_bucket.key_of(evidence.file.name)) == BIG_PDF
    # A plain HTTP GET of a signed URL reads it: the object is on the server, not in a mock.
    with urllib.request.urlopen(default_storage.url(evidence.file.name)) as answer:  # noqa: S310
        assert answer.read() == BIG_PDF


def test_the_content_checks_still_refuse_a_disguised_file(
    client, coordinator, org, measure, s3_bucket
):
    client.force_login(coordinator)
    response = client.post(
        reverse("evidence:add", args=[org.code]),
        {
            "measure": measure.pk,
            "relates_to": "2024-03-08",
            "file": SimpleUploadedFile("тайлан.pdf", files.EXE),
        },
    )
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert s3_bucket.object_keys() == []


def test_it_downloads_and_previews_the_object(client, officer, org, measure, s3_bucket):
    client.force_login(officer)
    pdf = _upload(client, org, measure, "ирц.pdf", BIG_PDF)
    response = client.get(reverse("evidence:download", args=[org.code, pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(BIG_PDF))
    assert response["Content-Disposition"].startswith("attachment;")
    # Passed on as it arrives from the server, not fetched whole into a spool file first.
    assert not isinstance(response.file_to_stream, S3File)
    assert _content(response) == BIG_PDF

    png = _upload(client, org, measure, "самбар.png", files.png(3, 2))
    inline = client.get(reverse("evidence:inline", args=[org.code, png.pk]))
    assert inline.status_code == 200
    assert inline["Content-Security-Policy"] == "sandbox"
    assert _content(inline) == files.png(3, 2)


def test_another_organizations_user_cannot_download_it(
    client, coordinator, outsider, org, measure, s3_bucket
):
    client.force_login(coordinator)
    evidence = _upload(client, org, measure, "ирц.pdf", files.PDF)
    client.force_login(outsider)
    for name in ("download", "inline", "detail"):
        response = client.get(reverse(f"evidence:{name}", args=[org.code, evidence.pk]))
        assert response.status_code == 404
        assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))
    # Under the outsider's own organization's code it is not found either.
    assert client.get(reverse("evidence:download", args=["OTHER", evidence.pk])).status_code == 404


def test_a_replacement_is_a_new_object_and_the_old_one_stays(
    client, officer, org, measure, s3_bucket
):
    client.force_login(officer)
    old = _upload(client, org, measure, "ирц.pdf", files.PDF)
    response = client.post(
        reverse("evidence:replace", args=[org.code, old.pk]),
        {"file": SimpleUploadedFile("ирц-v2.png", files.png(4, 4))},
    )
    assert response.status_code == 302
    new = Evidence.objects.get(is_current=True)
    assert new.previous_id == old.pk and new.file.name != old.file.name
    # Evidence is never overwritten or removed: both versions are objects in the bucket.
    assert s3_bucket.object_keys() == sorted(
        [s3_bucket.key_of(old.file.name), s3_bucket.key_of(new.file.name)]
    )
    assert _content(client.get(reverse("evidence:download", args=[org.code, new.pk]))) == files.png(
        4, 4
    )
    assert _content(client.get(reverse("evidence:download", args=[org.code, old.pk]))) == files.PDF


@pytest.mark.parametrize("language", ["mn", "en"])
def test_a_missing_object_is_a_clear_404_and_the_pages_still_show(
    client, officer, org, measure, s3_bucket, language
):
    client.force_login(officer)
    evidence = _upload(client, org, measure, "ирц.pdf", files.PDF)
    s3_bucket.delete(s3_bucket.key_of(evidence.file.name))  # behind the app's back

    client.cookies["django_language"] = language
    for name in ("download", "inline"):
        response = client.get(reverse(f"evidence:{name}", args=[org.code, evidence.pk]))
        assert response.status_code == 404
        html = response.content.decode()
        if language == "mn":
            assert "Нотломжийн файл хадгалалтаас олдсонгүй" in html
        else:
            assert "The stored file of this evidence is missing" in html
        assert "ирц.pdf" in html
    assert client.get(reverse("evidence:detail", args=[org.code, evidence.pk])).status_code == 200
    listing = client.get(reverse("evidence:list", args=[org.code]))
    assert listing.status_code == 200 and "ирц.pdf" in listing.content.decode()
    secret = token_create(user=officer, name="s3", scope=ApiToken.Scope.READ).secret
    api = client.get(
        f"/api/v1/organizations/{org.code}/evidence/{evidence.pk}/download",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 404 and api.json()["code"] == "no_file"
