"""A memo, in Django's cache, for results that only audited changes can alter.

Every change to plans, registers, evidence, reports and petitions writes an audit entry in
its organization's chain (see `services.audit_record`), and the chain's head records the
newest one in the same transaction: so an organization's head is a version stamp of its
data (`change_stamp`), and a key that contains it is never served stale. A change in one
organization leaves the results of every other one in the cache.

The memo lives in the `default` cache (SHUDARGA_CACHE_URL): Redis in production, so every
app process computes a result once per change and shares it; the local-memory cache in
development and tests. Values are pickled there, so they must pickle. Off when
`settings.AUDIT_MEMO` is false.

Read the stamps *before* the data the result is computed from (`AuditMemo.get` calls
`make_key` first): a change committed in between then lands under the old stamp, which no
one asks for again, instead of old data landing under the new one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum

from shudarga.core.models import AuditChainHead

T = TypeVar("T")

logger = logging.getLogger(__name__)

_MISSING = object()


def change_stamp(*, organization_id: int | None) -> int | None:
    """The id of the newest audit entry of `organization_id` (None: of the country-wide
    chain), as its chain head records it: one query by a unique index. None while the
    organization has changed nothing since chains per organization began."""
    return (
        AuditChainHead.objects.filter(organization_id=organization_id, legacy=False)
        .values_list("last_entry_id", flat=True)
        .first()
    )


def change_stamp_of_many(*, organization_ids: Iterable[int] | QuerySet) -> tuple[int, int, int]:
    """A stamp of several organizations' data (a subquery of ids works): how many of them
    have a chain, the sum and the largest of their newest entries' ids. Each head only
    moves forward, so any change in any of them changes the sum. One query."""
    found = AuditChainHead.objects.filter(
        organization_id__in=organization_ids, legacy=False
    ).aggregate(n=Count("pk"), total=Sum("last_entry_id"), last=Max("last_entry_id"))
    return (found["n"], found["total"] or 0, found["last"] or 0)


class AuditMemo:
    """Results of one kind (`name`) in the cache, kept `timeout` seconds at most (a
    result nobody asks for again just expires)."""

    def __init__(self, name: str, timeout: int = 24 * 3600) -> None:
        self.name = name
        self.timeout = timeout

    def cache_key(self, key: Hashable) -> str:
        """The cache's key for `key`: its repr, hashed (so any length fits memcached-style
        limits and the same key gives the same text in every process)."""
        digest = hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()
        return f"memo:{self.name}:{digest}"

    def get(self, make_key: Callable[[], Hashable], compute: Callable[[], T]) -> T:
        """`compute()`, or what it gave before, in any process, for the key `make_key()`
        returns (called first, and only when the memo is on). The key must hold everything
        the result depends on, the `change_stamp`s included, and have a stable repr."""
        if not getattr(settings, "AUDIT_MEMO", True):
            return compute()
        key = self.cache_key(make_key())
        try:
            value: Any = cache.get(key, _MISSING)
        except Exception:  # a cache that does not answer slows pages down, never breaks them
            logger.warning("memo %s: the cache did not answer", self.name, exc_info=True)
            return compute()
        if value is _MISSING:
            value = compute()
            try:
                cache.set(key, value, self.timeout)
            except Exception:
                logger.warning("memo %s: the cache did not answer", self.name, exc_info=True)
        return value
