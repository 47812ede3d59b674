"""The sign-in hook and the settings check of the accounts app (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.http import HttpRequest

from shudarga.accounts.selectors import REQUIRE_WORDS, STATE_KEY, two_factor_state
from shudarga.core.middleware import session_touch


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Start the idle clock and note whether this session still owes a second factor."""
    if request is None or not hasattr(request, "session"):
        return
    session_touch(request.session)
    request.session[STATE_KEY] = two_factor_state(user=user)


def check_two_factor_setting(**kwargs: Any) -> list[checks.CheckMessage]:
    """SHUDARGA_REQUIRE_2FA_FOR may only name "admin" and roles: a typo must not quietly
    leave reviewers without a second factor."""
    unknown = sorted(set(settings.SHUDARGA_REQUIRE_2FA_FOR) - REQUIRE_WORDS)
    if not unknown:
        return []
    return [
        checks.Error(
            f"SHUDARGA_REQUIRE_2FA_FOR names {', '.join(unknown)}; "
            f"use {', '.join(sorted(REQUIRE_WORDS))} or none.",
            id="shudarga.E001",
        )
    ]
