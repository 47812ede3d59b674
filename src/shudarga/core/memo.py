"""A small process-local memo for results that only audited changes can alter.

Every change to plans, registers, evidence, reports and petitions writes an audit entry
(see `services.audit_record`), so the newest audit entry's id — of one organization, or of
all — is a version stamp: a key that contains it cannot be served stale. The memo is per
process (no pickling, nothing shared), bounded, and off when `settings.AUDIT_MEMO` is false
(tests roll data back, so ids repeat there).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Max

from shudarga.core.models import AuditEntry

T = TypeVar("T")


def audit_stamp(*, organization_id: int | None = None) -> int | None:
    """The id of the newest audit entry (of `organization_id`, or of any): one query."""
    entries = AuditEntry.objects.all()
    if organization_id is not None:
        entries = entries.filter(organization_id=organization_id)
    return entries.aggregate(last=Max("pk"))["last"]


class AuditMemo:
    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, make_key: Callable[[], Hashable], compute: Callable[[], T]) -> T:
        """`compute()`, or what it gave before in this process for the key `make_key()`
        returns (called only when the memo is on). The key must hold everything the result
        depends on, an `audit_stamp` included."""
        if not getattr(settings, "AUDIT_MEMO", True):
            return compute()
        key = make_key()
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = compute()
        self._values[key] = value
        while len(self._values) > self.size:
            self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        self._values.clear()
