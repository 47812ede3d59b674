"""Bearer-token authentication, scope and rate limit, and the request's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from shudarga.accounts.selectors import totp_device_for_user, two_factor_required
from shudarga.api.errors import ApiError
from shudarga.api.selectors import token_for_secret
from shudarga.api.services import token_mark_used
from shudarga.core.http import client_ip
from shudarga.core.ratelimit import Verdict, rate_count

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def activate_request_language(request: HttpRequest) -> None:
    """The `lang` query parameter, when it names a language we speak, overrides the one the
    middleware chose from the cookie (API clients rarely keep cookies)."""
    lang = request.GET.get("lang", "")
    if lang in {code for code, _name in settings.LANGUAGES}:
        translation.activate(lang)
        request.LANGUAGE_CODE = lang


def too_many_requests(retry: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        _("Too many requests; try again in %(seconds)s seconds.") % {"seconds": retry},
        headers={"Retry-After": str(retry)},
    )


def _refuse_over_limit(verdict: Verdict) -> None:
    if not verdict.allowed:
        raise too_many_requests(verdict.retry_after)


def check_rate(token_id: int, *, now: float | None = None) -> None:
    """Count one request of token `token_id` (`core.ratelimit`, scope `api-token`); 429 over
    API_RATE_LIMIT."""
    _refuse_over_limit(rate_count(scope="api-token", who=token_id, now=now))


def public_request(request: HttpRequest) -> None:
    """What every public (token-less) endpoint does first: take the `lang` parameter and
    count the request against its address's limit (scope `api-public`, 429 over
    API_PUBLIC_RATE_LIMIT)."""
    activate_request_language(request)
    _refuse_over_limit(rate_count(scope="api-public", who=client_ip(request)))


def check_scope_rate(request: HttpRequest, scope: str) -> None:
    """Count the request of its address in the `core.ratelimit` scope `scope` (shared with
    the portal: `track`); 429 over it."""
    _refuse_over_limit(rate_count(scope=scope, who=client_ip(request)))


def _owes_second_factor(user: Any) -> bool:
    """Whether `user`'s roles require two-factor sign-in but they have not set it up (a role
    granted after the token was made): their tokens stop working until they do. No query
    when nobody is required."""
    return two_factor_required(user=user) and (
        totp_device_for_user(user=user, confirmed=True) is None
    )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <secret>`: the request acts as the token's owner, with the
    owner's roles. A read-only token gets 403 on any write."""

    def __call__(self, request: HttpRequest) -> Any:
        activate_request_language(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = token_for_secret(secret=token)
        if api_token is None:
            return None
        check_rate(api_token.pk)
        if _owes_second_factor(api_token.user):
            raise ApiError(
                403,
                "two_factor_required",
                _(
                    "Your role requires two-factor sign-in. Sign in to the web site and set it "
                    "up; then this token works again."
                ),
            )
        if request.method not in SAFE_METHODS and not api_token.may_write:
            raise ApiError(403, "read_only_token", _("This token may only read."))
        token_mark_used(token=api_token)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user
