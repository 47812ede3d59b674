"""Seals of approved plans and reports: how their digests are computed, and the result of
checking one.

The apps whose objects are sealed build the content (the plan's interchange JSON, the
report's JSON export) and the list of evidence it refers to; this module knows neither.
`canonical_json` is what is stored and hashed; `seal_digest` covers the seal's every field.
Like the audit chain's digest, these functions are a contract with the seals already
written: change them only with a migration that re-seals (and say so in the changelog).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shudarga.core.audit_chain import _normalise_json, canonical_at

# Keys of one sealed evidence entry, in the order they are shown.
EVIDENCE_KEYS = ("id", "version", "sha256", "title", "measure")


def canonical_json(data: Any) -> str:
    """`data` as sorted-key, space-free, ASCII JSON (`\\u` escapes), the form that is stored
    and hashed. Floats with an integral value count as ints (see `audit_chain`)."""
    plain = _normalise_json(json.loads(json.dumps(data)))
    return json.dumps(
        plain, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


def content_digest(content: str) -> str:
    """Hex SHA-256 of canonical JSON text."""
    return hashlib.sha256(content.encode("ascii")).hexdigest()


def seal_digest(
    *,
    kind: str,
    object_id: int,
    organization_id: int,
    sealed_at: dt.datetime,
    sealed_by_id: int | None,
    sealed_by_label: str,
    content_digest: str,
    evidence: list[dict[str, Any]],
) -> str:
    """Hex SHA-256 over every field of a seal (the content through its digest)."""
    payload = {
        "kind": kind,
        "object_id": int(object_id),
        "organization_id": int(organization_id),
        "sealed_at": canonical_at(sealed_at),
        "sealed_by_id": sealed_by_id,
        "sealed_by_label": sealed_by_label,
        "content_digest": content_digest,
        "evidence": evidence,
    }
    return content_digest_of(payload)


def content_digest_of(data: Any) -> str:
    """Hex SHA-256 of `data`'s canonical JSON."""
    return content_digest(canonical_json(data))


def digest_of_seal(seal: Any) -> str:
    """`seal_digest` of a stored `Seal` (or any object with its fields)."""
    return seal_digest(
        kind=seal.kind,
        object_id=seal.object_id,
        organization_id=seal.organization_id,
        sealed_at=seal.sealed_at,
        sealed_by_id=seal.sealed_by_id,
        sealed_by_label=seal.sealed_by_label,
        content_digest=seal.content_digest,
        evidence=seal.evidence,
    )


@dataclass(frozen=True)
class Difference:
    """One thing that is not as sealed: where (`Measure 1.2`, `Evidence #12 "…"`) and what
    (`text changed`, `the file's bytes differ from the sealed SHA-256`), with the sealed and
    the current value when they are short enough to show."""

    where: str
    what: str
    before: str = ""
    after: str = ""
    in_seal: bool = False  # a fault in the seal row itself, never excused by a reopening


@dataclass
class SealCheck:
    """A seal compared with the object as it is now.

    `state` is one of:
    - "intact": nothing differs;
    - "changed": something differs, or the seal row itself was tampered with;
    - "reopened": the object was sent back through the workflow (a recorded reopening)
      after sealing, so the seal is no longer in force; its differences are listed but are
      not a fault;
    - "superseded": a newer seal of the object is in force; only the row itself is checked.
    `rehashed` says whether evidence files were read from storage and hashed again, or only
    their stored digests compared.
    """

    seal: Any
    differences: list[Difference] = field(default_factory=list)
    reopened: bool = False
    rehashed: bool = False
    superseded_by: int | None = None

    @property
    def state(self) -> str:
        if self.seal_faults:
            return "changed"
        if self.superseded_by is not None:
            return "superseded"
        if self.reopened:
            return "reopened"
        return "changed" if self.differences else "intact"

    @property
    def intact(self) -> bool:
        return self.state == "intact"

    @property
    def is_fault(self) -> bool:
        """Whether `verify_seal` fails on it: changed, while in force (or the row itself)."""
        return self.state == "changed"

    @property
    def seal_faults(self) -> list[Difference]:
        """Differences in the seal row itself (never excused by a reopening)."""
        return [d for d in self.differences if d.in_seal]


def seal_fault(what: str, before: str = "", after: str = "") -> Difference:
    """A fault in the seal row itself."""
    return Difference(_("The seal"), what, before, after, in_seal=True)


def short(value: Any, limit: int = 120) -> str:
    """A value for a difference line: strings as they are, other values as JSON; cut at
    `limit` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare_records(
    *,
    where: Callable[[str], str],
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    labels: dict[str, str],
) -> list[Difference]:
    """Differences between two sets of records keyed alike (measures by code, …): records
    removed, added, and for the others each field of `labels` (key -> what to call it)
    that changed; a change in any other key is reported once as "other details changed".
    `where(key)` names a record. Records come in `before`'s order, then the added ones."""
    differences = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key not in after:
            differences.append(Difference(where(key), _("removed since sealing")))
            continue
        if key not in before:
            differences.append(Difference(where(key), _("added since sealing")))
            continue
        old, new = before[key], after[key]
        for name, label in labels.items():
            if old.get(name) != new.get(name):
                differences.append(
                    Difference(
                        where(key),
                        _("%(field)s changed") % {"field": label},
                        short(old.get(name, "")),
                        short(new.get(name, "")),
                    )
                )
        others = (old.keys() | new.keys()) - labels.keys()
        if any(old.get(name) != new.get(name) for name in others):
            differences.append(Difference(where(key), _("other details changed")))
    return differences


def compare_fields(
    *, where: str, before: dict[str, Any], after: dict[str, Any], labels: dict[str, str]
) -> list[Difference]:
    """Differences in the `labels` fields of one record."""
    return compare_records(
        where=lambda _key: where,
        before={"": {k: before.get(k) for k in labels}},
        after={"": {k: after.get(k) for k in labels}},
        labels=labels,
    )
