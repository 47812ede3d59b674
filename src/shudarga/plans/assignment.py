"""Who and when, from a plan document: the `Хугацаа` cell read as a schedule, the
`Хариуцах нэгж` / `Хариуцах эзэн` cell read as the organization's units and a person.

Pure functions over text and already-fetched rows; the import preview and the service that
saves a plan both call `measure_assignments`, so what the preview shows is what is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shudarga.core.text import fold, name_key, squash
from shudarga.plans.documents import vocabulary as v
from shudarga.plans.documents.model import PlanDocument
from shudarga.plans.schedule import ScheduleReading, parse_due_text

UNIT = "unit"
PERSON = "person"
GENERIC = "generic"  # "хэлтэс, агентлагууд": whichever units; no unit of its own

_SPLIT_RE = re.compile(r"\n+|(?:^|\s)[–—•·▪-]\s+|;")
_CONJUNCTION_RE = re.compile(r",\s*|\s+(?:болон|ба)\s+")
_TRAILING_PERSON_RE = re.compile(
    r"^(?P<post>.+?)[\s,]+(?P<name>[А-ЯЁӨҮ]{1,2}\.\s*[А-ЯЁӨҮ][А-ЯЁӨҮа-яёөү-]+)$"
)
UNIT_NAME_MAX = 255


@dataclass(frozen=True)
class Party:
    name: str
    kind: str


def responsible_parties(text: str) -> list[Party]:
    """The units, posts and people a `Хариуцах` cell names, in order.

    One per line or bullet; a comma or "болон" separates units only where every piece is a
    unit on its own ("Хууль зүйн хэлтэс, Санхүүгийн алба"), not inside a post's name
    ("Мэдээллийн технологи, олон нийт хариуцсан мэргэжилтэн"). "Б.Бат" is a person.
    """
    parties: list[Party] = []
    for piece in _SPLIT_RE.split(text or ""):
        piece = squash(piece).strip(" ,.–-•·")
        if not piece:
            continue
        parts = [squash(p) for p in _CONJUNCTION_RE.split(piece) if squash(p)]
        if len(parts) > 1 and all(
            v.looks_like_unit(p) or _generic(p) or v.PERSON_RE.match(p) for p in parts
        ):
            pieces = parts
        else:
            pieces = [piece]
        for name in pieces:
            parties.extend(_party(name))
    unique: dict[tuple[str, str], Party] = {}
    for party in parties:
        unique.setdefault((party.kind, name_key(party.name)), party)
    return list(unique.values())


def _generic(name: str) -> bool:
    key = name_key(name)
    return key in v.GENERIC_UNITS or key.startswith(("холбогдох ", "бүх ", "бусад "))


def _party(name: str) -> list[Party]:
    if v.PERSON_RE.match(name):
        return [Party(name, PERSON)]
    if match := _TRAILING_PERSON_RE.match(name):
        return [Party(squash(match["post"]), UNIT), Party(match["name"], PERSON)]
    if _generic(name):
        return [Party(name, GENERIC)]
    return [Party(name, UNIT)]


_INITIAL_FIRST_RE = re.compile(r"^([А-ЯЁӨҮ]{1,2})\.\s*(\S+)$")
_GIVEN_FIRST_RE = re.compile(r"^(\S+)\s+([А-ЯЁӨҮ]{1,2})\.$")


def person_matches(name: str, user: Any) -> bool:
    """Whether "Б.Бат" (initial of the father's name, given name) or "Бат Б." names `user`."""
    name = squash(name)
    if match := _INITIAL_FIRST_RE.match(name):
        initial, given = match[1], match[2]
    elif match := _GIVEN_FIRST_RE.match(name):
        given, initial = match[1], match[2]
    else:
        return False
    first = fold(user.first_name or "")
    last = fold(user.last_name or "")
    return bool(first) and first == fold(given) and (not last or last.startswith(fold(initial)))


@dataclass
class MeasureAssignment:
    """What the document says of one measure's schedule and who answers for it."""

    code: str
    schedule: ScheduleReading
    responsible_text: str
    units: list[tuple[str, bool]] = field(default_factory=list)  # (name, already a unit)
    person: Any = None
    person_name: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def unit_names(self) -> list[str]:
        return [name for name, _existing in self.units]


def measure_assignments(
    *, document: PlanDocument, unit_keys: dict[str, str], people: Iterable[Any]
) -> list[MeasureAssignment]:
    """Each measure's schedule (from `due`, in the plan's year), units (matched by name to
    `unit_keys` = key -> name of the organization's units, or new) and person (matched to
    `people`, the organization's members)."""
    year = document.year or 2000
    people = list(people)
    result = []
    for measure in document.measures:
        reading = parse_due_text(measure.due, year)
        assignment = MeasureAssignment(
            code=measure.code, schedule=reading, responsible_text=measure.responsible
        )
        if measure.due and not reading.understood:
            assignment.notes.append(
                _(
                    "Measure %(code)s: the deadline “%(text)s” was not understood; it is kept "
                    "as written and the measure is assessed in every report period."
                )
                % {"code": measure.code, "text": measure.due[:80]}
            )
        elif reading.leftover:
            assignment.notes.append(
                _("Measure %(code)s: “%(rest)s” in the deadline “%(text)s” was not understood.")
                % {"code": measure.code, "rest": reading.leftover[:60], "text": measure.due[:80]}
            )
        outside = [d for d in reading.due_dates(year) if d.year != year]
        if outside and document.year:
            assignment.notes.append(
                _("Measure %(code)s is due on %(date)s, outside the plan's year.")
                % {"code": measure.code, "date": outside[0].isoformat()}
            )
        for party in responsible_parties(measure.responsible):
            if party.kind == UNIT and len(party.name) <= UNIT_NAME_MAX:
                key = name_key(party.name)
                existing = unit_keys.get(key)
                assignment.units.append((existing or party.name, existing is not None))
            elif party.kind == PERSON and assignment.person is None:
                matches = [u for u in people if person_matches(party.name, u)]
                assignment.person_name = party.name
                if len(matches) == 1:
                    assignment.person = matches[0]
        result.append(assignment)
    return result
