"""The public petition form: it files a petition and shows its code once, and refuses or
neutralises abuse (CSRF, honeypot, rate limit, size limits, disguised files, script tags)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shudarga.petitions.models import Petition
from shudarga.petitions.selectors import petition_for_tracking_code

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n%%EOF\n"


def _data(**overrides):
    data = {
        "kind": "complaint",
        "petitioner_name": "Б.Иргэн",
        "petitioner_register_no": "АА12345678",
        "petitioner_address": "Сүхбаатар дүүрэг",
        "petitioner_contact": "99001122",
        "subject": "Үйлчилгээний чанар",
        "body": "Үйлчилгээ удаан байна.",
        "website": "",
    }
    data.update(overrides)
    return data


def _url(org):
    return reverse("public:petition", args=[org.code])


def test_a_citizen_files_a_petition_and_gets_a_code_once(client, org):
    response = client.post(_url(org), _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("public:petition_filed")
    petition = Petition.objects.get()
    assert petition.channel == "website"
    assert petition.organization == org
    assert petition.due_on == petition.received_on + dt.timedelta(days=30)
    page = client.get(reverse("public:petition_filed"))
    html = page.content.decode()
    code = html.split('id="tracking-code">')[1].split("<")[0]
    assert petition_for_tracking_code(code=code) == petition
    assert "Б.Иргэн" not in html and "АА12345678" not in html
    assert petition.registration_no not in html
    # Shown once: a second visit has no code to show.
    again = client.get(reverse("public:petition_filed"))
    assert again.status_code == 302


def test_it_accepts_pdf_jpeg_and_png_attachments(client, org):
    for name, content in (("a.pdf", PDF), ("b.jpg", JPEG), ("c.png", PNG)):
        data = _data(attachment=SimpleUploadedFile(name, content))
        assert client.post(_url(org), data).status_code == 302
    types = sorted(Petition.objects.values_list("attachments__content_type", flat=True))
    assert types == ["application/pdf", "image/jpeg", "image/png"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.pdf", b"MZ\x90\x00\x03 windows program"),
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("doc.pdf", b"PK\x03\x04 a zip or docx"),
        ("empty.pdf", b""),
    ],
)
def test_it_refuses_files_that_are_not_pdf_jpeg_or_png(client, org, name, content):
    response = client.post(_url(org), _data(attachment=SimpleUploadedFile(name, content)))
    assert response.status_code == 400
    assert not Petition.objects.exists()


def test_it_refuses_an_attachment_over_10_mb(client, org):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = client.post(_url(org), _data(attachment=SimpleUploadedFile("big.pdf", big)))
    assert response.status_code == 400
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    "field",
    [
        "petitioner_name",
        "petitioner_register_no",
        "petitioner_address",
        "petitioner_contact",
        "subject",
        "body",
    ],
)
def test_every_field_has_a_size_limit(client, org, field):
    response = client.post(_url(org), _data(**{field: "Ө" * 10_001}))
    assert response.status_code == 400
    assert not Petition.objects.exists()


def test_a_ten_thousand_character_name_is_refused_with_a_message(client, org):
    response = client.post(_url(org), _data(petitioner_name="Б" * 10_000))
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not Petition.objects.exists()


def test_script_tags_are_escaped_when_the_form_comes_back(client, org):
    evil = "<script>alert(1)</script>"
    data = {key: evil for key in _data() if key not in ("kind", "website")}
    data["petitioner_name"] = evil + "x" * 300  # too long: the form comes back
    response = client.post(_url(org), {**data, "kind": "petition"})
    html = response.content.decode()
    assert response.status_code == 400
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_tags_in_every_field_are_stored_as_text(client, org):
    evil = "<script>alert(1)</script>"
    data = {key: evil for key in _data() if key not in ("kind", "website")}
    data["petitioner_register_no"] = "<b>x</b>"
    assert client.post(_url(org), {**data, "kind": "petition"}).status_code == 302
    petition = Petition.objects.get()
    assert petition.subject == evil  # kept as written; escaped when shown


def test_the_honeypot_catches_bots_without_telling_them(client, org):
    response = client.post(_url(org), _data(website="http://spam.example"))
    assert response.status_code == 200
    assert not Petition.objects.exists()


def test_it_needs_a_csrf_token(org):
    client = Client(enforce_csrf_checks=True)
    assert client.post(_url(org), _data()).status_code == 403
    assert not Petition.objects.exists()


def test_it_limits_submissions_per_address(client, org, settings):
    settings.PUBLIC_RATE_LIMITS = {"petition": (2, 3600)}
    start = dt.datetime(2024, 5, 20, 2, 0, tzinfo=dt.UTC)  # 02:00 UTC: an hour's start
    with time_machine.travel(start, tick=False):
        assert client.post(_url(org), _data()).status_code == 302
        assert client.post(_url(org), _data(subject="")).status_code == 400  # counts too
        response = client.post(_url(org), _data())
        assert response.status_code == 429
        other = Client(REMOTE_ADDR="10.0.0.2")
        assert other.post(_url(org), _data()).status_code == 302  # another address
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        assert client.post(_url(org), _data()).status_code == 302  # a new window
    assert Petition.objects.count() == 3


def test_the_form_page_is_not_limited(client, org, settings):
    settings.PUBLIC_RATE_LIMITS = {"petition": (1, 3600)}
    for _ in range(5):
        assert client.get(_url(org)).status_code == 200


def test_an_unknown_organization_has_no_form(client):
    assert client.get(reverse("public:petition", args=["NOPE"])).status_code == 404
    assert client.post(reverse("public:petition", args=["NOPE"]), _data()).status_code == 404
