"""The audit log's hash chain: how an entry's digest is computed, and how the chain is checked.

Each `AuditEntry` stores `prev_digest` (the digest of the entry before it, in id order; empty
for the first) and `digest`: an HMAC-SHA256, keyed with the audit key (SHUDARGA_AUDIT_KEY,
which is not in the database), of a canonical JSON of its content fields, `prev_digest` and
the key's id (`key_id`). Editing an entry's content breaks its own digest; deleting an entry
breaks the next entry's `prev_digest`; an entry slipped in breaks its own link or its
successor's; and none of them can be repaired by recomputing digests without the key.
`AuditChainHead` remembers the last entry and digest, sealed with the key too (`head_mac`),
so entries cut off or added at the end show, and the head cannot be moved back to hide them.

There is one chain per organization and one for country-wide entries (an entry's
`organization_id`, which the digest covers, says which; `chain_id` names the head), so
writers of different organizations never wait for each other; entries written before the
split stay in the legacy chain (`LEGACY_CHAIN_ID`), which takes no new entries. Each chain
is checked on its own, as one chain was before.

Entries written before the chain was keyed have an empty `key_id` and a plain SHA-256; the
first keyed entry links to them, so they are covered from then on. Changing the key is
recorded in the chain: the first entry under a new key is `audit.key_rotated`, naming the old
and the new key's id; entries under the old key are checked with it (SHUDARGA_AUDIT_OLD_KEYS).

The digest functions are a contract: entries already written were hashed with them. Change
them only together with a migration that re-chains every entry (and say so in the changelog).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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


ROTATION_ACTION = "audit.key_rotated"

# The head of the chain every entry written before chains per organization belongs to
# (migration core.0006); it takes no new entries.
LEGACY_CHAIN_ID = 1


@dataclass(frozen=True)
class AuditKey:
    """A key the chain is (or was) sealed with. `id` is derived from the secret, so an
    entry names the key it was sealed with without revealing anything of it."""

    secret: bytes = field(repr=False)

    @property
    def id(self) -> str:
        return key_id_of(self.secret)


def key_id_of(secret: bytes) -> str:
    """16 hex digits that name a key (an HMAC of a fixed text under it)."""
    return hmac.new(secret, b"shudarga audit key id", hashlib.sha256).hexdigest()[:16]


def canonical_json(content: dict[str, Any], prev_digest: str, key_id: str = "") -> bytes:
    """The bytes that are hashed: sorted keys, no spaces, ASCII with `\\u` escapes (so any
    string, even one holding a lone surrogate, has bytes), times in UTC. The key's id is
    part of a keyed entry's payload; an entry from before the keys has none."""
    payload = {name: content[name] for name in CONTENT_FIELDS}
    payload["at"] = canonical_at(payload["at"])
    # A JSON round trip turns tuples into lists and int keys into strings, as the column does.
    payload["changes"] = _normalise_json(json.loads(json.dumps(payload["changes"])))
    payload["prev_digest"] = prev_digest
    if key_id:
        payload["key"] = key_id
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def entry_digest(content: dict[str, Any], prev_digest: str, key: AuditKey | None = None) -> str:
    """The digest of an entry's content fields (`CONTENT_FIELDS`) chained to `prev_digest`:
    HMAC-SHA256 under `key`, or, for entries from before the chain was keyed (`key` None), a
    plain SHA-256."""
    if key is None:
        return hashlib.sha256(canonical_json(content, prev_digest)).hexdigest()
    return hmac.new(
        key.secret, canonical_json(content, prev_digest, key.id), hashlib.sha256
    ).hexdigest()


def head_mac(key: AuditKey, *, last_entry_id: int | None, digest: str) -> str:
    """The chain head's seal: an HMAC of the last entry's id and digest under `key`."""
    text = f"shudarga audit head|{last_entry_id or ''}|{digest}|{key.id}"
    return hmac.new(key.secret, text.encode("ascii"), hashlib.sha256).hexdigest()


def content_of(entry: Any) -> dict[str, Any]:
    """The hashed fields of an `AuditEntry` (or of any object with those attributes)."""
    return {name: getattr(entry, name) for name in CONTENT_FIELDS}


@dataclass(frozen=True)
class ChainBreak:
    """The first entry at which the chain does not hold, and why."""

    entry_id: int | None  # None when the break is after the last entry (the head disagrees)
    reason: str
    chain_id: int | None = None
    organization_id: int | None = None
    chain: str = ""  # which chain, in words ("the chain of organization 12 (MOF)")


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_break: ChainBreak | None
    # Every chain's first break, when several chains were checked.
    breaks: tuple[ChainBreak, ...] = ()
    chains: int = 1

    @property
    def intact(self) -> bool:
        return self.first_break is None


@dataclass(frozen=True)
class Head:
    """What the chain head row says: the last entry's id and digest, the key the chain is
    sealed with and the head's own seal (empty before the chain was keyed)."""

    last_entry_id: int | None
    digest: str
    key_id: str = ""
    mac: str = ""


def _head_fault(head: Head, keys: dict[str, AuditKey]) -> str | None:
    """Why the head row's seal does not hold, or None."""
    if not head.key_id:
        return None if not head.mac else "the chain head carries a seal but names no key"
    key = keys.get(head.key_id)
    if key is None:
        return (
            f"the chain head is sealed with key {head.key_id}, which this installation does "
            f"not know (set SHUDARGA_AUDIT_OLD_KEYS)"
        )
    expected = head_mac(key, last_entry_id=head.last_entry_id, digest=head.digest)
    if not hmac.compare_digest(expected, head.mac):
        return (
            "the chain head's seal does not match it: the head was moved without the key "
            "(entries cut off the end would hide this way)"
        )
    return None


def _key_fault(entry: Any, current: str | None, keys: dict[str, AuditKey]) -> str | None:
    """Why `entry`'s key is not the one the chain is at (`current`; None before the first
    entry, which may start the chain under any known key), or None."""
    if current is None:
        current = entry.key_id
    if entry.key_id == current:
        if entry.key_id and entry.key_id not in keys:
            return (
                f"it is sealed with key {entry.key_id}, which this installation does not know "
                f"(set SHUDARGA_AUDIT_OLD_KEYS to check entries of an old key)"
            )
        return None
    if not entry.key_id:
        return (
            "it has no key though the chain before it is keyed: it was inserted or rewritten "
            "without the key"
        )
    changes = entry.changes or {}
    if (
        entry.action != ROTATION_ACTION
        or changes.get("to") != entry.key_id
        or (changes.get("from") != current)
    ):
        return (
            f"it is sealed with key {entry.key_id} while the chain is at key "
            f"{current or '(none)'}, and it does not record a key change"
        )
    if entry.key_id not in keys:
        return f"it changes the chain to key {entry.key_id}, which this installation does not know"
    return None


def check_chain(
    entries: Iterator[Any],
    *,
    read_head: Callable[[], Head | None],
    keys: dict[str, AuditKey] | None = None,
    after: tuple[int, str, str] | None = None,
    organization: tuple[int | None] | None = None,
) -> ChainReport:
    """Walk `entries` (in id order) and return the first break, or none.

    `read_head` reads the chain head row (None when it is missing). It is read before the
    walk: its seal must hold, and the entries then must reach the entry it records, with its
    digest, or entries were cut off the end. Entries appended while the walk runs are fine;
    an entry past the head that the head (read again) does not cover was added without the
    chain. `keys` are the audit keys by id (`audit_keys.known_keys()`). With `after` (the
    id, digest and key of an entry already trusted, an anchor's), `entries` are those after
    it and must continue from it. With `organization` (a 1-tuple of the chain's
    organization id, None for the country-wide chain), every entry must be of that
    organization. Keeps only the previous entry's digest in memory.
    """
    keys = keys or {}
    head = read_head()
    if head is not None and (fault := _head_fault(head, keys)):
        return ChainReport(0, ChainBreak(head.last_entry_id, fault))
    must_reach = head.last_entry_id if head else None
    prev_digest, prev_id, checked = "", None, 0
    current_key: str | None = None
    if after is not None:
        prev_id, prev_digest, current_key = after
    for entry in entries:
        checked += 1
        if organization is not None and entry.organization_id != organization[0]:
            return ChainReport(
                checked,
                ChainBreak(
                    entry.pk,
                    f"it is of organization {entry.organization_id} but sits in another "
                    f"organization's chain: it was moved or inserted",
                ),
            )
        if fault := _key_fault(entry, current_key, keys):
            return ChainReport(checked, ChainBreak(entry.pk, fault))
        current_key = entry.key_id
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
        key = keys.get(entry.key_id) if entry.key_id else None
        if not hmac.compare_digest(
            entry_digest(content_of(entry), entry.prev_digest, key), entry.digest
        ):
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
            if fault := _head_fault(head, keys):
                return ChainReport(checked, ChainBreak(entry.pk, fault))
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
