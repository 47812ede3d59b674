"""Status by tracking code: the right code shows status and dates only; forged and guessed
codes find nothing, and lookups are rate-limited."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shudarga.petitions import services
from shudarga.petitions.validators import TRACKING_ALPHABET
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

URL = reverse("public:track")


@pytest.fixture
def petition(org, officer):
    petition = PetitionFactory(
        organization=org,
        petitioner_name="Н.Нууц",
        petitioner_register_no="ЧБ88010203",
        subject="Хувийн асуудал",
        received_on=timezone.localdate() - dt.timedelta(days=3),
    )
    services.petition_answer(
        petition=petition,
        answer_text="Нууц хариултын текст",
        answered_on=timezone.localdate(),
        actor=officer,
    )
    return petition


def test_the_code_shows_status_and_dates_only(client, petition):
    response = client.post(URL, {"code": petition.tracking_code})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="petition-status"' in html
    assert 'data-status="answered"' in html
    for secret in (
        "Н.Нууц",
        "ЧБ88010203",
        "Хувийн асуудал",
        "Нууц хариултын текст",
        petition.registration_no,
    ):
        assert secret not in html


def test_the_code_is_read_with_dashes_and_lower_case(client, petition):
    code = petition.tracking_code
    dashed = "-".join(code[i : i + 4] for i in range(0, 16, 4)).lower()
    assert 'id="petition-status"' in client.post(URL, {"code": f"  {dashed} "}).content.decode()


@pytest.mark.parametrize(
    "code",
    [
        "",
        "AAAA-AAAA-AAAA-AAAA",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "x" * 5000,
        "0000000000000000",  # 0 is not in the alphabet
    ],
)
def test_forged_codes_find_nothing(client, petition, code):
    response = client.post(URL, {"code": code})
    html = response.content.decode()
    assert response.status_code in (200, 404)
    assert 'id="petition-status"' not in html
    assert "<script>alert(1)</script>" not in html


def test_a_code_differing_in_one_character_finds_nothing(client, petition):
    code = petition.tracking_code
    other = next(ch for ch in TRACKING_ALPHABET if ch != code[-1])
    response = client.post(URL, {"code": code[:-1] + other})
    assert response.status_code == 404


def test_a_code_in_the_address_is_ignored(client, petition):
    html = client.get(URL, {"code": petition.tracking_code}).content.decode()
    assert 'id="petition-status"' not in html


def test_enumerating_codes_is_rate_limited(client, petition, settings):
    settings.PUBLIC_RATE_LIMITS = {"track": (5, 600)}
    statuses = [
        client.post(
            URL, {"code": "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(16))}
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [404] * 5
    # Even the right code is refused once the address has used its allowance.
    assert client.post(URL, {"code": petition.tracking_code}).status_code == 429
    assert (
        Client(REMOTE_ADDR="10.9.9.9").post(URL, {"code": petition.tracking_code}).status_code
        == 200
    )
