"""Anchors of the audit chain: its head (last entry and digest) at one moment, signed with the
audit key and kept outside the database, so a rewrite of history up to an anchored entry is
found even when every digest after it was recomputed.

An anchor travels as a small JSON object,

    {"at": "2026-12-06T01:15:00.000000+00:00", "entry": 5120, "digest": "…64 hex…",
     "entries": 311, "chain": 17, "organization": 12, "key": "…16 hex…", "mac": "…64 hex…"}

where `mac` is the HMAC (audit key `key`) of the other fields' canonical JSON. There is one
anchor per chain (`chain`, the head's id; `organization`, None for the country-wide chain;
`entries` counts the chain's entries); anchors of the legacy chain, taken before chains per
organization, have neither field. Anchors are taken daily (`shudarga anchor_audit`, queued
by `shudarga enqueue_daily`) for every chain that moved, and kept in four places: the
`AuditAnchor` table (which the public portal's transparency page shows), a line in the log,
a line of `AUDIT_ANCHOR_FILE` (`audit-anchors.jsonl` in the data directory), and
every backup's manifest. `shudarga verify_audit --anchors [FILE …]` checks them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max

from shudarga.core.audit_chain import LEGACY_CHAIN_ID, canonical_at
from shudarga.core.audit_keys import check_signature, current_key, known_keys, sign
from shudarga.core.models import AuditAnchor, AuditEntry

FIELDS = ("at", "entry", "digest", "entries", "key")
CHAIN_FIELDS = ("chain", "organization")  # signed too, in anchors of a chain but the legacy one


def anchor_file() -> Path:
    """Where anchors are appended on the app server's disk (AUDIT_ANCHOR_FILE)."""
    return Path(getattr(settings, "AUDIT_ANCHOR_FILE", settings.DATA_DIR / "audit-anchors.jsonl"))


def payload(anchor: dict[str, Any]) -> bytes:
    """The bytes an anchor's `mac` signs: its fields (`FIELDS`, and `CHAIN_FIELDS` when it
    names a chain) as sorted-key ASCII JSON."""
    names = FIELDS + CHAIN_FIELDS if "chain" in anchor else FIELDS
    return json.dumps(
        {name: anchor[name] for name in names}, sort_keys=True, separators=(",", ":")
    ).encode("ascii")


def anchor_dict(row: AuditAnchor) -> dict[str, Any]:
    """The travelling form of an anchor row (see the module's docstring)."""
    anchor = {
        "at": canonical_at(row.at),
        "entry": row.last_entry_id,
        "digest": row.digest,
        "entries": row.entries,
        "key": row.key_id,
        "mac": row.mac,
    }
    if row.chain_id != LEGACY_CHAIN_ID:
        anchor |= {"chain": row.chain_id, "organization": row.organization_id}
    return anchor


def signed(anchor: dict[str, Any]) -> dict[str, Any]:
    """`anchor` (without `mac`) signed with the current audit key."""
    unsigned = {**anchor, "key": current_key().id}
    return {**unsigned, "mac": sign(payload(unsigned))}


def parse_anchor_text(text: str) -> list[dict[str, Any]]:
    """Anchors in `text`: a JSON list of them, a JSON object with an `anchors` list (a backup
    manifest, the transparency page's JSON), or JSON lines (the anchor file, the log's
    `anchor` fields). ValueError when it is none of these."""
    text = text.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        data = [json.loads(line) for line in text.splitlines() if line.strip()]
    if isinstance(data, dict):
        data = data.get("anchors", [data] if "mac" in data else None)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValueError(
            "no anchors found: expected a JSON list, an object with 'anchors', or lines"
        )
    return [item.get("anchor", item) for item in data]


@dataclass
class AnchorReport:
    """What checking anchors found. `problems` are rewrites (or forged anchors);
    `unverifiable` are anchors signed with a key this installation does not know."""

    checked: int = 0
    sources: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unverifiable: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _where(anchor: dict[str, Any]) -> str:
    when = f"the anchor of {str(anchor.get('at', '?'))[:19].replace('T', ' ')} UTC"
    if "chain" not in anchor:
        return when
    if anchor.get("organization") is None:
        return f"{when} (country-wide chain #{anchor['chain']})"
    return f"{when} (chain #{anchor['chain']} of organization id {anchor['organization']})"


def _chain_of(anchor: dict[str, Any]) -> int:
    """The chain an anchor speaks of (the legacy chain's anchors name none)."""
    try:
        return int(anchor.get("chain") or LEGACY_CHAIN_ID)
    except (TypeError, ValueError):
        return LEGACY_CHAIN_ID


def check_anchors(sources: Iterable[tuple[str, list[dict[str, Any]]]]) -> AnchorReport:
    """Check every anchor of `sources` ((name, anchors) pairs) against the audit log: the
    entry it names must still be there, with the digest it recorded. Names each anchor that
    no longer holds, and says how: entries cut off the end, an entry deleted, or the history
    up to it rewritten. An anchor whose signature fails is itself a problem (forged or
    altered); one signed with an unknown key is listed as unverifiable. Three queries."""
    report = AnchorReport()
    seen: dict[tuple[Any, Any], dict[str, Any]] = {}
    for name, anchors in sources:
        report.sources.append(name)
        for anchor in anchors:
            try:
                data = payload(anchor)
            except (KeyError, TypeError, ValueError):
                report.problems.append(f"{name}: an anchor is malformed: {str(anchor)[:120]}")
                continue
            key_id = str(anchor.get("key", ""))
            if key_id not in known_keys():
                report.unverifiable.append(
                    f"{name}: {_where(anchor)} is signed with key {key_id or '(none)'}, which "
                    f"this installation does not know (SHUDARGA_AUDIT_OLD_KEYS)"
                )
                continue
            if fault := check_signature(data, key_id=key_id, mac=anchor.get("mac")):
                report.problems.append(f"{name}: {_where(anchor)} is forged or altered: {fault}")
                continue
            seen.setdefault((anchor["entry"], anchor["digest"]), anchor)
    ids = {int(entry) for entry, _digest in seen}
    digests = dict(AuditEntry.objects.filter(pk__in=ids).values_list("pk", "digest"))
    chains = {_chain_of(anchor) for anchor in seen.values()}
    lasts = dict(
        AuditEntry.objects.filter(chain_id__in=chains)
        .values("chain_id")
        .annotate(last=Max("id"))
        .values_list("chain_id", "last")
    )
    for (entry, digest), anchor in sorted(seen.items(), key=lambda item: int(item[0][0])):
        report.checked += 1
        entry = int(entry)
        last = lasts.get(_chain_of(anchor))
        if entry not in digests:
            if last is None or entry > last:
                ends = f"its chain ends at entry #{last}" if last else "its chain is empty"
                report.problems.append(
                    f"entry #{entry}, recorded by {_where(anchor)}, is gone and {ends}: "
                    f"entries were cut off the end of the log"
                )
            else:
                report.problems.append(
                    f"entry #{entry}, recorded by {_where(anchor)}, is gone: it was deleted"
                )
        elif digests[entry] != digest:
            report.problems.append(
                f"entry #{entry} does not have the digest {_where(anchor)} recorded "
                f"({digest[:12]}…, now {digests[entry][:12]}…): the history up to it was "
                f"rewritten and its digests recomputed"
            )
    return report


def stored_anchor_sources(extra_paths: Iterable[Path] = ()) -> list[tuple[str, list[dict]]]:
    """The anchors to check: the database's, the anchor file's (when it exists), and those
    in `extra_paths` (JSON files, anchor files, backup manifests). OSError/ValueError for a
    path that cannot be read."""
    sources: list[tuple[str, list[dict]]] = [
        ("database", [anchor_dict(row) for row in AuditAnchor.objects.order_by("at", "id")])
    ]
    local = anchor_file()
    if local.is_file():
        sources.append((str(local), parse_anchor_text(local.read_text(encoding="utf-8"))))
    for path in extra_paths:
        if path.is_dir():
            path = path / "manifest.json"
        sources.append((str(path), parse_anchor_text(path.read_text(encoding="utf-8"))))
    return sources
