"""Evidence through the API: upload checked as on the web, metadata, streamed download."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shudarga.core.models import AuditEntry
from shudarga.evidence.models import Evidence
from tests.api.conftest import PDF

pytestmark = pytest.mark.django_db

URL = "/organizations/HOME/evidence"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def measure(media_root, seed_plan):
    return seed_plan.measures.get(code="1.2")


def test_it_uploads_a_file_and_reads_it_back(api_for, officer, measure):
    api = api_for(officer)
    criterion = measure.criteria.first()
    response = api.upload(
        URL,
        {
            "measure": measure.pk,
            "criterion": criterion.pk,
            "relates_to": "2023-04-02",
            "file": SimpleUploadedFile("../../тэмдэглэл.pdf", PDF, "text/html"),
        },
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["content_type"] == "application/pdf"  # sniffed, not the declared type
    assert item["original_name"] == "тэмдэглэл.pdf"  # no folders
    assert item["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (item["measure"]["code"], item["criterion_id"]) == ("1.2", criterion.pk)
    assert AuditEntry.objects.filter(action="evidence.added").count() == 1

    listed = api.get(URL, criterion_id=criterion.pk).json()["results"]
    assert [e["id"] for e in listed] == [item["id"]]
    assert api.get(URL, criterion_id=criterion.pk + 1).json()["results"] == []
    detail = api.get(f"{URL}/{item['id']}").json()
    assert [v["version"] for v in detail["versions"]] == [1]

    assert item["download_url"] == f"/api/v1{URL}/{item['id']}/download"
    download = api.client.get(item["download_url"], headers=api._headers())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_it_adds_a_link(api_for, officer, measure):
    response = api_for(officer).upload(
        URL, {"measure": measure.pk, "link": "https://example.mn/news/1", "title": "Мэдээ"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["download_url"] is None
    download = api_for(officer).get(f"{URL}/{response.json()['id']}/download")
    assert (download.status_code, download.json()["code"]) == (404, "no_file")


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("setup.pdf", EXE, "Windows program"),
        ("page.pdf", HTML, "web page"),
        ("empty.pdf", b"", "empty"),
        ("scan.png", PDF, ".png"),
    ],
)
def test_it_refuses_what_the_web_form_refuses(api_for, officer, measure, name, data, words):
    response = api_for(officer).upload(
        URL + "?lang=en", {"measure": measure.pk, "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert words in " ".join(body["errors"])
    assert not Evidence.objects.exists()


def test_it_refuses_another_organizations_measure(api_for, officer, measure, other_plan):
    theirs = other_plan.measures.get(code="1.2")
    response = api_for(officer).upload(
        URL, {"measure": theirs.pk, "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert response.json()["errors"][0].startswith("measure:")


def test_it_stops_reading_a_file_over_the_limit(api_for, officer, measure, settings):
    """The body is under the Content-Length precheck (limit + 1 MB of room for the form), so
    the streaming limit is what stops it."""
    settings.EVIDENCE_MAX_BYTES = 1000
    big = PDF + b"0" * 5000
    response = api_for(officer).upload(
        URL, {"measure": measure.pk, "file": SimpleUploadedFile("big.pdf", big)}
    )
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
    assert not Evidence.objects.exists()


def test_it_refuses_a_body_that_says_it_is_too_large_before_reading_it(
    api_for, officer, measure, settings
):
    settings.EVIDENCE_MAX_BYTES = 10
    api = api_for(officer)
    response = api.client.post(
        f"/api/v1{URL}",
        data=b"x",
        content_type="multipart/form-data; boundary=zzz",
        headers={**api._headers()},
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )
    assert (response.status_code, response.json()["code"]) == (413, "too_large")


def test_a_reader_may_not_upload(api_for, auditor, measure):
    response = api_for(auditor).upload(
        URL, {"measure": measure.pk, "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_the_list_pages_by_cursor_without_repeats(api_for, auditor, measure):
    from tests.factories import EvidenceFactory

    made = [EvidenceFactory(measure=measure, relates_to=f"2023-0{month}-01") for month in (1, 2, 3)]
    EvidenceFactory(measure=measure, relates_to="2023-02-01")  # the same day as another
    api = api_for(auditor)
    seen, cursor = [], None
    while True:
        page = api.get(URL, limit=1, **({"cursor": cursor} if cursor else {})).json()
        seen += [e["id"] for e in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 4
    assert seen[0] == made[2].pk  # the latest work first
