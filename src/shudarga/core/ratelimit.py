"""Rate limits: the one place requests are counted, for the public portal and the API alike.

A fixed-window counter in Django's cache: each scope allows `limit` requests per caller (an
address, a token) in each window of `seconds` (windows start at multiples of `seconds` since
the epoch). The counter lives in the default cache; with several app processes point
SHUDARGA_CACHE_URL at a shared cache (Redis or the database) or each process counts on its
own.

Scopes and their defaults are in `DEFAULT_LIMITS`; the settings override them:
PUBLIC_RATE_LIMITS (a dict scope -> (limit, seconds)) for the portal's scopes, API_RATE_LIMIT
for a token, API_PUBLIC_RATE_LIMIT for an address on the API's public endpoints.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "petition": (10, 3600),  # portal petition submissions per address per hour
    "track": (20, 600),  # tracking-code lookups per address per 10 minutes (portal and API)
    "survey": (10, 3600),  # survey submissions per address per hour
    "api-token": (600, 60),  # API requests per token per minute (API_RATE_LIMIT)
    "api-public": (120, 60),  # API public-endpoint requests per address (API_PUBLIC_RATE_LIMIT)
}

# Scopes whose limit comes from their own setting rather than PUBLIC_RATE_LIMITS.
_OWN_SETTING = {"api-token": "API_RATE_LIMIT", "api-public": "API_PUBLIC_RATE_LIMIT"}


@dataclass(frozen=True)
class Verdict:
    """The outcome of counting one request: whether it is within the limit, the count in
    this window, and the seconds until the window ends (for `Retry-After`)."""

    allowed: bool
    count: int
    limit: int
    retry_after: int


def limit_for(scope: str) -> tuple[int, int]:
    """(requests, seconds) allowed for `scope`: the setting that configures it, or the
    default. KeyError for an unknown scope (a typo must not mean "unlimited")."""
    default = DEFAULT_LIMITS[scope]
    if scope in _OWN_SETTING:
        limit, seconds = getattr(settings, _OWN_SETTING[scope], default)
    else:
        configured = getattr(settings, "PUBLIC_RATE_LIMITS", {}) or {}
        limit, seconds = configured.get(scope, default)
    return int(limit), max(int(seconds), 1)


def rate_count(*, scope: str, who: str | int | None, now: float | None = None) -> Verdict:
    """Count one request of `who` (an address, a token id; None counts as "unknown") in
    `scope`. The caller refuses the request when the verdict is not `allowed`."""
    limit, seconds = limit_for(scope)
    now = time.time() if now is None else now
    window = int(now // seconds)
    key = f"shudarga:rl:{scope}:{who if who not in (None, '') else 'unknown'}:{window}"
    # add() then incr(): the first request of a window creates the counter atomically.
    cache.add(key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        count = 1
    retry_after = int((window + 1) * seconds - now) + 1
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def rate_limit_hit(*, scope: str, ip: str | None) -> bool:
    """Count one request of address `ip` in `scope`; True while it is within the limit."""
    return rate_count(scope=scope, who=ip).allowed
