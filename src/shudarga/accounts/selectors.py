"""Reads about a user's sign-in: their TOTP device and whether they must use one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from shudarga.organizations.roles import Role
from shudarga.organizations.selectors import user_holds_any_role

ADMIN = "admin"  # in SHUDARGA_REQUIRE_2FA_FOR: staff and superusers
REQUIRE_WORDS = frozenset({ADMIN, *Role.values})

# What a signed-in session still needs, kept in the session (see TwoFactorMiddleware).
STATE_KEY = "_sh_2fa"
STATE_NONE = "none"  # no second factor: the password was enough
STATE_VERIFY = "verify"  # has a confirmed device: must give a code once per session
STATE_ENROL = "enrol"  # must set up a device before anything else


def totp_device_for_user(*, user: Any, confirmed: bool) -> TOTPDevice | None:
    """The user's confirmed (or pending, unconfirmed) TOTP device, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def two_factor_required(*, user: Any) -> bool:
    """Whether SHUDARGA_REQUIRE_2FA_FOR makes `user` use a second factor."""
    words = set(settings.SHUDARGA_REQUIRE_2FA_FOR)
    if ADMIN in words and (user.is_staff or user.is_superuser):
        return True
    roles = frozenset(words - {ADMIN})
    return bool(roles) and user_holds_any_role(user=user, roles=roles)


def two_factor_state(*, user: Any) -> str:
    """STATE_VERIFY, STATE_ENROL or STATE_NONE for a user who just gave their password."""
    if totp_device_for_user(user=user, confirmed=True) is not None:
        return STATE_VERIFY
    return STATE_ENROL if two_factor_required(user=user) else STATE_NONE
