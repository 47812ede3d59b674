"""A signed-in session ends after SESSION_COOKIE_AGE without a request, not while in use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
MY_WORK = "/my/"


@pytest.fixture
def signed_in(client, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    UserFactory(username="idle")
    with time_machine.travel(START, tick=False) as traveller:
        response = client.post(reverse("login"), {"username": "idle", "password": "password"})
        assert response.status_code == 302
        yield client, traveller


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_used_every_20_minutes_lasts_all_morning(signed_in):
    client, traveller = signed_in
    for _ in range(9):  # three hours
        traveller.shift(timedelta(minutes=20))
        assert client.get(MY_WORK).status_code == 200


def test_a_session_idle_for_longer_than_the_age_ends(signed_in):
    client, traveller = signed_in
    traveller.shift(timedelta(minutes=20))
    assert client.get(MY_WORK).status_code == 200
    traveller.shift(timedelta(minutes=30, seconds=1))
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_renews_the_session_at_most_once_a_minute(signed_in):
    client, traveller = signed_in
    signed_in_until = expiry(client)
    assert signed_in_until == START + timedelta(minutes=30)
    traveller.shift(timedelta(seconds=30))
    client.get(MY_WORK)
    assert expiry(client) == signed_in_until  # no write for this request
    traveller.shift(timedelta(seconds=40))
    client.get(MY_WORK)
    assert expiry(client) == START + timedelta(seconds=70) + timedelta(minutes=30)
