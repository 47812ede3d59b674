"""Password rules (12+ characters, not common, not like the user name, not all digits) and
the "change my password" page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.demo.management.commands.load_demo_data import Command as LoadDemoData
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "tsagaan-sar-uul-7"


@pytest.mark.parametrize(
    "password",
    [
        "Short-pw-11",  # 11 characters
        "password1234",  # on Django's list of common passwords
        "583920174635",  # digits only
        "batbayar.dorj",  # too like the user name
    ],
)
def test_it_refuses_weak_passwords(password):
    user = get_user_model()(username="batbayar.dorj", first_name="Batbayar")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_it_accepts_a_long_uncommon_password():
    validate_password(GOOD, user=get_user_model()(username="batbayar.dorj"))


def test_the_generated_demo_password_passes_the_rules(monkeypatch, settings, tmp_path):
    monkeypatch.delenv("SHUDARGA_ADMIN_PASSWORD", raising=False)
    settings.DATA_DIR = tmp_path
    password = LoadDemoData()._admin_password()
    for username in ("admin", "officer", "reviewer", "leader", "auditor"):
        validate_password(password, user=get_user_model()(username=username))


@pytest.fixture
def user(db):
    return UserFactory(username="batbayar")  # password "password"


def test_the_user_menu_links_to_the_page(client, user):
    client.force_login(user)
    html = client.get(reverse("dashboards:my_work")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in html


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_changes_the_password_keeps_the_session_and_records_it(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "password", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD)
    assert client.get(reverse("dashboards:my_work")).status_code == 200  # still signed in
    entry = AuditEntry.objects.get(action="user.password_changed")
    assert entry.actor == user and entry.object_id == str(user.pk)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("not-my-password", GOOD, "old_password"),
        ("password", "Short-pw-11", "new_password2"),
    ],
)
def test_it_refuses_a_wrong_old_or_weak_new_password_and_changes_nothing(
    client, user, old, new, field
):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "is-invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("password")
    assert not AuditEntry.objects.filter(action="user.password_changed").exists()
