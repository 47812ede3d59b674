"""The audit log's hash chain: how an entry's digest is computed, and how the chain is checked.

Each `AuditEntry` stores `prev_digest` (the digest of the entry before it, in id order; empty
for the first) and `digest`, the SHA-256 of a canonical JSON of its content fields and
`prev_digest`. Editing an entry's content breaks its own digest; deleting an entry breaks
the next entry's `prev_digest`; an entry slipped in breaks its own link or its successor's.
`AuditChainHead` remembers the last digest, so entries cut off or added at the end show too.

The digest function is a contract: entries already written were hashed with it. Change it
only together with a migration that re-chains every entry (and say so in the changelog).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# Fields the digest covers, in the order the canonical JSON has them (keys are sorted anyway).
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "organization_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip",
)


def _normalise_json(value: Any) -> Any:
    """`value` as it reads back from either database's JSON column.

    PostgreSQL's jsonb keeps numbers as decimals, so a float with an integral value (`1e16`,
    `5.0` written as `5`) may read back as an int; counting those as ints on both sides keeps
    the digest the same whichever way the value travelled.
    """
    if isinstance(value, dict):
        return {str(k): _normalise_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise_json(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical_at(at: dt.datetime) -> str:
    """The time of an entry as ISO 8601 in UTC with microseconds, the form that is hashed."""
    if at.tzinfo is None:
        raise ValueError("audit entry times must be timezone-aware")
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_json(content: dict[str, Any], prev_digest: str) -> bytes:
    """The bytes that are hashed: sorted keys, no spaces, ASCII with `\\u` escapes (so any
    string, even one holding a lone surrogate, has bytes), times in UTC."""
    payload = {name: content[name] for name in CONTENT_FIELDS}
    payload["at"] = canonical_at(payload["at"])
    # A JSON round trip turns tuples into lists and int keys into strings, as the column does.
    payload["changes"] = _normalise_json(json.loads(json.dumps(payload["changes"])))
    payload["prev_digest"] = prev_digest
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def entry_digest(content: dict[str, Any], prev_digest: str) -> str:
    """Hex SHA-256 of an entry's content fields (`CONTENT_FIELDS`) chained to `prev_digest`."""
    return hashlib.sha256(canonical_json(content, prev_digest)).hexdigest()


def content_of(entry: Any) -> dict[str, Any]:
    """The hashed fields of an `AuditEntry` (or of any object with those attributes)."""
    return {name: getattr(entry, name) for name in CONTENT_FIELDS}


@dataclass(frozen=True)
class ChainBreak:
    """The first entry at which the chain does not hold, and why."""

    entry_id: int | None  # None when the break is after the last entry (the head disagrees)
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


@dataclass(frozen=True)
class Head:
    """What the chain head row says: the last entry's id and digest."""

    last_entry_id: int | None
    digest: str


def check_chain(entries: Iterator[Any], *, read_head: Callable[[], Head | None]) -> ChainReport:
    """Walk `entries` (in id order) and return the first break, or none.

    `read_head` reads the chain head row (None when it is missing). It is read before the
    walk: the entries then must reach the entry it records, with its digest, or entries were
    cut off the end. Entries appended while the walk runs are fine; an entry past the head
    that the head (read again) does not cover was added without the chain. Keeps only the
    previous entry's digest in memory.
    """
    head = read_head()
    must_reach = head.last_entry_id if head else None
    prev_digest, prev_id, checked = "", None, 0
    for entry in entries:
        checked += 1
        if entry.prev_digest != prev_digest:
            if prev_id is None:
                reason = (
                    "it is the first entry but links to an earlier one: the entries before it "
                    "were deleted"
                )
            else:
                reason = (
                    f"its link to entry #{prev_id} does not match: an entry between them was "
                    f"deleted, or entry #{prev_id} was inserted or rewritten"
                )
            return ChainReport(checked, ChainBreak(entry.pk, reason))
        if entry_digest(content_of(entry), entry.prev_digest) != entry.digest:
            return ChainReport(
                checked,
                ChainBreak(entry.pk, "its content does not match its digest: it was edited"),
            )
        if head is None or head.last_entry_id is None or entry.pk > head.last_entry_id:
            head = read_head()  # written while we walk, or not through the chain at all?
            if head is None:
                return ChainReport(
                    checked, ChainBreak(entry.pk, "the chain head row is missing: it was deleted")
                )
            if head.last_entry_id is None or entry.pk > head.last_entry_id:
                return ChainReport(
                    checked,
                    ChainBreak(
                        entry.pk,
                        f"it comes after the chain head's last entry "
                        f"(#{head.last_entry_id}): it was added without the chain",
                    ),
                )
        if entry.pk == head.last_entry_id and entry.digest != head.digest:
            return ChainReport(
                checked,
                ChainBreak(
                    entry.pk,
                    "the chain head records another digest for it: it or the head was rewritten",
                ),
            )
        prev_digest, prev_id = entry.digest, entry.pk
    if must_reach is not None and (prev_id is None or prev_id < must_reach):
        ends = f"ends at entry #{prev_id}" if prev_id is not None else "is empty"
        return ChainReport(
            checked,
            ChainBreak(
                None,
                f"the chain head records entry #{must_reach}, but the log {ends}: entries were "
                f"deleted from the end",
            ),
        )
    return ChainReport(checked, None)
