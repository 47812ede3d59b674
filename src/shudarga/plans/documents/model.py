"""The plan as plain data: what every reader produces and every writer consumes.

`PlanDocument.to_dict()` is the interchange JSON, with exactly the keys of the format
(optional keys only when the document has them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


class PlanImportError(ValueError):
    """The document cannot become a plan. The message says where and why, in the user's
    language; nothing has been saved. `reading` is what the importer understood of the
    table so far, when it got that far, for a person to correct."""

    def __init__(self, message: str, reading: Any = None) -> None:
        super().__init__(message)
        self.reading = reading


@dataclass
class DocMeasure:
    code: str
    text: str
    criteria: list[str] = field(default_factory=list)
    activity: str = ""
    due: str = ""
    responsible: str = ""
    baseline: str = ""
    target: str = ""
    expected_result: str = ""  # "Хүрэх үр дүн": what the measure should achieve, not criteria
    other: dict[str, str] = field(default_factory=dict)  # columns the plan has beyond these
    location: str = ""  # where the reader found it, for messages; not interchanged

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "text": self.text, "criteria": self.criteria}
        for key in OPTIONAL_MEASURE_KEYS:
            if value := getattr(self, key):
                data[key] = value
        if self.other:
            data["other"] = dict(self.other)
        return data


@dataclass
class DocActivity:
    code: str
    text: str
    legal_basis: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "legal_basis": self.legal_basis}


@dataclass
class DocGoal:
    number: int
    text: str
    measures: list[DocMeasure] = field(default_factory=list)
    activities: list[DocActivity] = field(default_factory=list)
    location: str = ""
    heading: str = ""  # the direction heading above the goal ("… чиглэлээр:"), if any

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"number": self.number}
        if self.heading:
            data["heading"] = self.heading
        data["text"] = self.text
        data["measures"] = [m.to_dict() for m in self.measures]
        if self.activities:
            data["activities"] = [a.to_dict() for a in self.activities]
        return data


@dataclass
class DocSignature:
    label: str
    title: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "title": self.title, "name": self.name}


@dataclass
class PlanDocument:
    title: str
    year: int | None
    approved_on: dt.date | None
    place: str
    goals: list[DocGoal] = field(default_factory=list)
    signatures: list[DocSignature] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # not interchanged
    basis: str = ""  # the annex line of the approving order ("… захирамжийн хавсралт")

    @property
    def measures(self) -> list[DocMeasure]:
        return [m for g in self.goals for m in g.measures]

    def has_extra_columns(self) -> dict[str, bool]:
        """Which optional measure columns the plan uses (due, responsible, baseline, target,
        expected result)."""
        return {key: any(getattr(m, key) for m in self.measures) for key in EXTRA_COLUMNS}

    @property
    def approvals(self) -> list[DocSignature]:
        """The approval blocks (`БАТЛАВ`), printed above the table."""
        return [s for s in self.signatures if s.label in APPROVAL_LABELS]

    @property
    def other_signatures(self) -> list[DocSignature]:
        """The other signature blocks (`ХЯНАСАН`, `БОЛОВСРУУЛСАН`), printed below it."""
        return [s for s in self.signatures if s.label not in APPROVAL_LABELS]

    def has_criteria_column(self) -> bool:
        """Whether the table shows the criteria column: unless no measure has criteria and
        the plan measures success by expected results instead."""
        return any(m.criteria for m in self.measures) or not any(
            m.expected_result for m in self.measures
        )

    def other_headers(self) -> list[str]:
        """The headers of the plan's other columns, in the order they first appear."""
        return list(dict.fromkeys(header for m in self.measures for header in m.other))

    def validate(self) -> None:
        """Check what a plan needs whatever format it came from; PlanImportError if not."""
        if self.year is None:
            raise PlanImportError(
                _(
                    "The document does not say the plan's year: write it in the title "
                    "(“2023 ОНЫ … ТӨЛӨВЛӨГӨӨ”) or give it when importing."
                )
            )
        if not 1990 <= self.year <= 2200:
            raise PlanImportError(_("The year %(year)s is not plausible.") % {"year": self.year})
        if not self.title.strip():
            raise PlanImportError(_("The plan has no title."))
        _check_text(_("The title"), self.title, MAX_LENGTHS["title"])
        _check_text(_("The place"), self.place, MAX_LENGTHS["place"])
        _check_text(_("The basis"), self.basis)
        for index, signature in enumerate(self.signatures, start=1):
            where = _("Signature %(number)s") % {"number": index}
            _check_text(where, signature.label, MAX_LENGTHS["signature_label"])
            _check_text(where, signature.title, MAX_LENGTHS["signature_title"])
            _check_text(where, signature.name, MAX_LENGTHS["signature_name"])
        if not self.goals:
            raise PlanImportError(_("The plan has no goals."))
        numbers: set[int] = set()
        codes: dict[str, str] = {}
        for goal in self.goals:
            where = goal.location or _("goal %(number)s") % {"number": goal.number}
            if goal.number in numbers:
                raise PlanImportError(
                    _("%(where)s: goal number %(number)s is used twice.")
                    % {"where": where, "number": goal.number}
                )
            numbers.add(goal.number)
            if not 0 <= goal.number <= MAX_GOAL_NUMBER:
                raise PlanImportError(
                    _("%(where)s: goal number %(number)s is out of range (0 to %(max)s).")
                    % {"where": where, "number": goal.number, "max": MAX_GOAL_NUMBER}
                )
            _check_text(where, goal.text)
            _check_text(where, goal.heading)
            for activity in goal.activities:
                awhere = _("activity %(code)s") % {"code": activity.code}
                _check_text(awhere, activity.code, MAX_LENGTHS["code"])
                _check_text(awhere, activity.text)
                _check_text(awhere, activity.legal_basis)
            activity_codes = {a.code for a in goal.activities}
            for measure in goal.measures:
                mwhere = measure.location or _("measure %(code)s") % {"code": measure.code}
                if not measure.code.strip() or not measure.text.strip():
                    raise PlanImportError(
                        _("%(where)s: a measure needs a code and a text.") % {"where": mwhere}
                    )
                if measure.code in codes:
                    raise PlanImportError(
                        _("%(where)s: measure %(code)s appears twice (first at %(first)s).")
                        % {"where": mwhere, "code": measure.code, "first": codes[measure.code]}
                    )
                codes[measure.code] = mwhere
                _check_text(mwhere, measure.code, MAX_LENGTHS["code"])
                for text in (measure.text, *measure.criteria, measure.activity, measure.due,
                             measure.responsible, measure.baseline, measure.target,
                             measure.expected_result, *measure.other,
                             *measure.other.values()):  # fmt: skip
                    _check_text(mwhere, text)
                for header in measure.other:
                    _check_text(mwhere, header, MAX_OTHER_HEADER)
                if measure.activity and measure.activity not in activity_codes:
                    raise PlanImportError(
                        _(
                            "%(where)s: measure %(code)s belongs to activity %(activity)s, which "
                            "its goal does not have."
                        )
                        % {"where": mwhere, "code": measure.code, "activity": measure.activity}
                    )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "year": self.year,
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "place": self.place,
        }
        if self.basis:
            data["basis"] = self.basis
        data["goals"] = [g.to_dict() for g in self.goals]
        data["signatures"] = [s.to_dict() for s in self.signatures]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> PlanDocument:
        """Build from interchange JSON, checking every key and type; PlanImportError if wrong."""
        if not isinstance(data, dict):
            raise PlanImportError(_("The JSON must be an object with the keys of a plan."))
        for key in ("title", "year", "approved_on", "place", "goals", "signatures"):
            if key not in data:
                raise PlanImportError(_("The JSON has no “%(key)s” key.") % {"key": key})
        approved_on = None
        if data["approved_on"] is not None:
            try:
                approved_on = dt.date.fromisoformat(_str(data, "approved_on", "approved_on"))
            except ValueError:
                raise PlanImportError(
                    _("“approved_on” must be a date written YYYY-MM-DD or null.")
                ) from None
        year = data["year"]
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise PlanImportError(_("“year” must be a whole number."))
        goals_raw = _list(data, "goals", "goals")
        goals: list[DocGoal] = []
        for gi, g in enumerate(goals_raw, start=1):
            where = f"goals[{gi}]"
            if not isinstance(g, dict):
                raise PlanImportError(_("%(where)s must be an object.") % {"where": where})
            number = g.get("number")
            if not isinstance(number, int) or isinstance(number, bool):
                raise PlanImportError(
                    _("%(where)s: “number” must be a whole number.") % {"where": where}
                )
            activities = [
                DocActivity(
                    code=_str(a, "code", f"{where}.activities[{ai}]"),
                    text=_str(a, "text", f"{where}.activities[{ai}]"),
                    legal_basis=_str(a, "legal_basis", f"{where}.activities[{ai}]", optional=True),
                )
                for ai, a in enumerate(_list(g, "activities", where, optional=True), start=1)
            ]
            measures = []
            for mi, m in enumerate(_list(g, "measures", where), start=1):
                mwhere = f"{where}.measures[{mi}]"
                criteria = _list(m, "criteria", mwhere)
                if not all(isinstance(c, str) for c in criteria):
                    raise PlanImportError(
                        _("%(where)s: every criterion must be text.") % {"where": mwhere}
                    )
                other = m.get("other", {}) if isinstance(m, dict) else {}
                if not isinstance(other, dict) or not all(
                    isinstance(k, str) and isinstance(x, str) for k, x in other.items()
                ):
                    raise PlanImportError(
                        _("%(where)s: “other” must map column headers to text.") % {"where": mwhere}
                    )
                measures.append(
                    DocMeasure(
                        code=_str(m, "code", mwhere),
                        text=_str(m, "text", mwhere),
                        criteria=list(criteria),
                        **{
                            key: _str(m, key, mwhere, optional=True)
                            for key in OPTIONAL_MEASURE_KEYS
                        },
                        other=dict(other),
                        location=mwhere,
                    )
                )
            goals.append(
                DocGoal(
                    number=number,
                    text=_str(g, "text", where),
                    measures=measures,
                    activities=activities,
                    location=where,
                    heading=_str(g, "heading", where, optional=True),
                )
            )
        signatures = [
            DocSignature(
                label=_str(s, "label", f"signatures[{si}]"),
                title=_str(s, "title", f"signatures[{si}]"),
                name=_str(s, "name", f"signatures[{si}]"),
            )
            for si, s in enumerate(_list(data, "signatures", "signatures"), start=1)
        ]
        return cls(
            title=_str(data, "title", "title"),
            year=year,
            approved_on=approved_on,
            place=_str(data, "place", "place"),
            goals=goals,
            signatures=signatures,
            basis=_str(data, "basis", "basis", optional=True),
        )


# Signatures that approve the plan stand above it, as on the official document.
APPROVAL_LABELS = frozenset({"БАТЛАВ", "БАТЛАСАН", "ЗӨВШӨӨРСӨН", "ЗӨВШӨӨРӨВ"})

# Measure keys written only when they hold something, in this order.
OPTIONAL_MEASURE_KEYS = ("activity", "due", "responsible", "baseline", "target", "expected_result")
EXTRA_COLUMNS = ("due", "responsible", "baseline", "target", "expected_result")

# The sizes of the plan tables' columns (plans/models.py; a test keeps them equal). A longer
# value is a reading mistake — a paragraph swallowed into a signature — and PostgreSQL would
# refuse it with an error instead of a message. `due` and `responsible` are cut to size.
MAX_LENGTHS = {
    "title": 500,
    "place": 255,
    "code": 20,
    "signature_label": 100,
    "signature_title": 500,
    "signature_name": 255,
}
MAX_OTHER_HEADER = 255  # a column header kept with a measure's other columns
MAX_GOAL_NUMBER = 32767  # a small integer column


def _check_text(where: str, text: str, limit: int | None = None) -> None:
    """PlanImportError when `text` holds a NUL (which PostgreSQL cannot store; only JSON
    can carry one) or is longer than `limit`."""
    if "\x00" in text:
        raise PlanImportError(
            _("%(where)s: the text holds a NUL character, which a plan cannot keep.")
            % {"where": where}
        )
    if limit is not None and len(text) > limit:
        raise PlanImportError(
            _("%(where)s: “%(text)s” is %(length)s characters long; at most %(limit)s fit.")
            % {"where": where, "text": text[:60] + "…", "length": len(text), "limit": limit}
        )


def _str(obj: Any, key: str, where: str, *, optional: bool = False) -> str:
    if not isinstance(obj, dict):
        raise PlanImportError(_("%(where)s must be an object.") % {"where": where})
    if key not in obj and optional:
        return ""
    value = obj.get(key)
    if not isinstance(value, str):
        raise PlanImportError(
            _("%(where)s: “%(key)s” must be text.") % {"where": where, "key": key}
        )
    return value


def _list(obj: Any, key: str, where: str, *, optional: bool = False) -> list:
    if not isinstance(obj, dict):
        raise PlanImportError(_("%(where)s must be an object.") % {"where": where})
    if key not in obj and optional:
        return []
    value = obj.get(key)
    if not isinstance(value, list):
        raise PlanImportError(
            _("%(where)s: “%(key)s” must be a list.") % {"where": where, "key": key}
        )
    return value
