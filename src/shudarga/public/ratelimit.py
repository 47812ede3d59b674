"""Per-address rate limits for the public portal: a fixed-window counter in Django's cache.

Each scope allows `limit` requests per address in each window of `seconds` (windows start at
multiples of `seconds` since the epoch). Configure with the setting PUBLIC_RATE_LIMITS, a
dict scope -> (limit, seconds) that overrides the defaults below. The counter lives in the
default cache: with several app servers, point CACHES at a shared cache (Redis,
Memcached, or the database cache) or each server counts on its own.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "petition": (10, 3600),  # petition form submissions per hour
    "track": (20, 600),  # tracking-code lookups per 10 minutes
    "survey": (10, 3600),  # survey submissions per hour
}


def limit_for(scope: str) -> tuple[int, int]:
    """(requests, seconds) allowed for `scope`, from PUBLIC_RATE_LIMITS or the default."""
    configured = getattr(settings, "PUBLIC_RATE_LIMITS", {}) or {}
    limit, seconds = configured.get(scope, DEFAULT_LIMITS[scope])
    return int(limit), max(int(seconds), 1)


def rate_limit_hit(*, scope: str, ip: str | None) -> bool:
    """Count one request of `ip` in `scope`; True while it is within the limit, False once
    the window's allowance is used up (the caller then refuses the request)."""
    limit, seconds = limit_for(scope)
    window = int(time.time()) // seconds
    key = f"shudarga:rl:{scope}:{ip or 'unknown'}:{window}"
    if cache.add(key, 1, timeout=seconds + 5):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        count = 1
    return count <= limit
