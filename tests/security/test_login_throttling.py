"""django-axes: a user name is locked out from one address after N wrong passwords."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from shudarga.api.services import token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def victim(db):
    return UserFactory(username="victim")  # password "password"


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def lock_out(client, settings, username="victim", ip="10.0.0.1"):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, username, "wrong-password", ip)
        assert response.status_code == 200  # the form says the password is wrong
    return sign_in(client, username, "wrong-password", ip)


def test_it_locks_out_then_lets_the_right_password_in_after_the_cool_off(client, settings, victim):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    with time_machine.travel(START, tick=False) as traveller:
        response = lock_out(client, settings)
        assert response.status_code == 429
        assert 'data-test="locked-out"' in response.content.decode()

        # The right password is refused while locked out, and no session starts.
        response = sign_in(client, "victim", "password")
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

        traveller.shift(timedelta(minutes=14, seconds=59))
        assert sign_in(client, "victim", "password").status_code == 429

        traveller.shift(timedelta(seconds=2))
        response = sign_in(client, "victim", "password")
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboards:my_work")
        assert client.session["_auth_user_id"] == str(victim.pk)


def test_the_page_says_for_how_long_in_english(client, settings, victim):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    client.cookies["django_language"] = "en"
    html = lock_out(client, settings).content.decode()
    assert "Signing in is locked for 15 minutes" in html
    assert 'name="username"' in html and 'value="victim"' in html  # still the sign-in form


def test_it_locks_only_that_user_name_from_that_address(client, settings, victim):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="colleague")
    assert lock_out(client, settings).status_code == 429
    assert sign_in(client, "colleague", "password").status_code == 302
    client.logout()
    assert sign_in(client, "victim", "password", ip="10.0.0.2").status_code == 302


def test_a_right_password_clears_the_count(client, settings, victim):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        sign_in(client, "victim", "wrong-password")
    assert sign_in(client, "victim", "password").status_code == 302
    client.logout()
    for _ in range(2):
        assert sign_in(client, "victim", "wrong-password").status_code == 200
    assert sign_in(client, "victim", "password").status_code == 302


def test_an_administrator_unlocks_with_axes_reset_username(client, settings, victim):
    settings.AXES_FAILURE_LIMIT = 2
    assert lock_out(client, settings).status_code == 429
    out = io.StringIO()
    call_command("axes_reset_username", "victim", stdout=out)
    assert not AccessAttempt.objects.filter(username="victim").exists()
    assert sign_in(client, "victim", "password").status_code == 302


def test_api_tokens_still_work_for_a_locked_out_user(client, settings, victim):
    """The API authenticates by token, not password: the lockout neither blocks it nor
    counts its requests."""
    settings.AXES_FAILURE_LIMIT = 2
    secret = token_create(user=victim, name="sync", scope="read").secret
    assert lock_out(client, settings).status_code == 429
    attempts = AccessAttempt.objects.get(username="victim").failures_since_start
    response = client.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    response = client.get("/api/v1/organizations", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert AccessAttempt.objects.get(username="victim").failures_since_start == attempts
