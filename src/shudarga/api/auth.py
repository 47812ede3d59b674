"""Bearer-token authentication, scope and rate limit, and the request's language."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from shudarga.api.errors import ApiError
from shudarga.api.selectors import token_for_secret
from shudarga.api.services import token_mark_used
from shudarga.core.http import client_ip

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def activate_request_language(request: HttpRequest) -> None:
    """The `lang` query parameter, when it names a language we speak, overrides the one the
    middleware chose from the cookie (API clients rarely keep cookies)."""
    lang = request.GET.get("lang", "")
    if lang in {code for code, _name in settings.LANGUAGES}:
        translation.activate(lang)
        request.LANGUAGE_CODE = lang


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) a token may make per fixed window."""
    requests, seconds = getattr(settings, "API_RATE_LIMIT", (600, 60))
    return int(requests), int(seconds)


def public_rate_limit() -> tuple[int, int]:
    """(requests, seconds) one address may make to the public endpoints per fixed window."""
    requests, seconds = getattr(settings, "API_PUBLIC_RATE_LIMIT", (120, 60))
    return int(requests), int(seconds)


def _count(key: str, limit: int, window: int, now: float | None) -> None:
    """Count one request under `key` in the current fixed window; ApiError 429 when it is
    over `limit`. Counted in Django's cache, so shared by every worker when the cache is."""
    now = time.time() if now is None else now
    bucket = int(now // window)
    key = f"{key}:{bucket}"
    # add() then incr(): the first request of a window creates the counter atomically.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise too_many_requests(int((bucket + 1) * window - now) + 1)


def too_many_requests(retry: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        _("Too many requests; try again in %(seconds)s seconds.") % {"seconds": retry},
        headers={"Retry-After": str(retry)},
    )


def check_rate(token_id: int, *, now: float | None = None) -> None:
    """Count one request of token `token_id`; 429 over `rate_limit()`."""
    limit, window = rate_limit()
    _count(f"api-rate:{token_id}", limit, window, now)


def public_request(request: HttpRequest) -> None:
    """What every public (token-less) endpoint does first: take the `lang` parameter and
    count the request against its address's limit (429 over `public_rate_limit()`)."""
    activate_request_language(request)
    limit, window = public_rate_limit()
    _count(f"api-public:{client_ip(request) or 'unknown'}", limit, window, None)


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
        if request.method not in SAFE_METHODS and not api_token.may_write:
            raise ApiError(403, "read_only_token", _("This token may only read."))
        token_mark_used(token=api_token)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user
