"""`shudarga reset_two_factor USERNAME`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from shudarga.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_removes_the_devices_and_records_it():
    user = UserFactory(username="lost-phone")
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    other = TOTPDevice.objects.create(user=UserFactory(), name="default", confirmed=True)
    out = io.StringIO()
    call_command("reset_two_factor", "lost-phone", stdout=out)
    assert "Removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="user.two_factor_reset", object_id=str(user.pk))


def test_it_says_when_there_was_nothing_to_remove():
    UserFactory(username="no-phone")
    out = io.StringIO()
    call_command("reset_two_factor", "no-phone", stdout=out)
    assert "had no two-factor device" in out.getvalue()
    assert not AuditEntry.objects.filter(action="user.two_factor_reset").exists()


def test_it_names_an_unknown_user():
    with pytest.raises(CommandError, match="nobody"):
        call_command("reset_two_factor", "nobody")
