"""Every public page, rendered with demo-like data, is searched for the petitioners' names,
register numbers and contacts and for the petitions' registration numbers: none appear."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shudarga.demo.petitions import load_demo_petitions
from shudarga.petitions.models import Petition, Survey
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _secrets() -> list[str]:
    out = []
    for p in Petition.objects.all():
        out += [p.petitioner_name, p.petitioner_register_no, p.petitioner_contact]
        out += [p.registration_no, p.petitioner_address]
    return [s for s in out if s]


def _xml_text(content: bytes) -> str:
    """Everything inside a DOCX/XLSX (a zip of XML files), as one string."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_no_public_page_shows_personal_data(org, officer, published_plan):
    load_demo_petitions(organization=org, officer=officer, today=timezone.localdate())
    tracked = [
        PetitionFactory(
            organization=org,
            petitioner_name=f"Р.Нууцлаг{n}",
            petitioner_register_no=f"ЭЭ0000000{n}",
        )
        for n in range(3)
    ]
    survey = Survey.objects.get(organization=org)
    client = Client()
    pages = {}
    for name, url in [
        ("index", reverse("public:index")),
        ("search", reverse("public:index") + "?q=газар"),
        ("organization", reverse("public:organization", args=[org.code])),
        ("plan", reverse("public:plan", args=[org.code, published_plan.pk])),
        ("form", reverse("public:petition", args=[org.code])),
        ("track", reverse("public:track")),
        ("survey", reverse("public:survey", args=[survey.public_key])),
    ]:
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    for p in tracked:
        response = client.post(reverse("public:track"), {"code": p.tracking_code})
        assert 'id="petition-status"' in response.content.decode()
        pages[f"track {p.pk}"] = response.content.decode()
    q = list(survey.questions.order_by("position"))
    thanks = client.post(
        reverse("public:survey", args=[survey.public_key]),
        {f"q{q[0].pk}": "3", f"q{q[1].pk}": "Үгүй", f"q{q[2].pk}": ""},
    )
    pages["survey thanks"] = thanks.content.decode()
    filed = client.post(
        reverse("public:petition", args=[org.code]),
        {
            "kind": "petition",
            "petitioner_name": "Шинэ Иргэн",
            "petitioner_contact": "99999999",
            "subject": "Шинэ",
            "body": "Текст",
        },
    )
    assert filed.status_code == 302
    pages["filed"] = client.get(filed["Location"]).content.decode()
    for fmt in ("docx", "xlsx"):
        download = client.get(
            reverse("public:plan_download", args=[org.code, published_plan.pk, fmt])
        )
        pages[fmt] = _xml_text(download.content)

    secrets = _secrets()
    assert len(secrets) > 40
    leaks = [(page, s) for page, html in pages.items() for s in secrets if s in html]
    assert leaks == []
