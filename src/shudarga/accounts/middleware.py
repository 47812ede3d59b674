"""Until a session has given its second factor, it can only give it (or sign out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from shudarga.accounts.selectors import (
    STATE_KEY,
    STATE_NONE,
    STATE_VERIFY,
    two_factor_required,
    two_factor_state,
)
from shudarga.core.middleware import PROBE_PATHS

# Views a session owing a second factor may still reach, besides the page that takes it.
ALWAYS_OPEN = frozenset({"logout", "set_language"})


class TwoFactorMiddleware:
    """A signed-in user with a confirmed TOTP device is sent to enter a code, and one whom
    SHUDARGA_REQUIRE_2FA_FOR covers but who has no device is sent to set one up, before
    any other page (admin, API by session and htmx partials included).

    What the session owes is decided at sign-in (accounts.signals) and kept in the session;
    but whether the user's roles require a second factor is asked again on every request
    of a session that has not given one, so a role granted mid-session (say, reviewer) sends
    its holder to set up two-factor before anything else. That check reads the user's
    memberships, which the page's own access check reuses (one query shared, none with
    nobody required). django-otp's OTPMiddleware says whether the session has given its
    code (and stops saying so if the device is deleted)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.path in PROBE_PATHS:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if user.is_verified():
            return None  # the code was given in this session
        state = request.session.get(STATE_KEY)
        if state is None or (state == STATE_NONE and two_factor_required(user=user)):
            # A session from before this check existed, or one whose user has been given a
            # role that requires a second factor since signing in: decide now.
            state = request.session[STATE_KEY] = two_factor_state(user=user)
        if state == STATE_NONE:
            return None
        target = "accounts:two_factor_verify" if state == STATE_VERIFY else "accounts:two_factor"
        if request.resolver_match.view_name in ALWAYS_OPEN | {target}:
            return None
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
