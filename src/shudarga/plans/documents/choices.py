"""How a person corrects the importer's reading of a table: which table, which rows are
the header, what each column holds, what a row is.

The same small JSON is given on the command line (`import_plan --mapping FILE`), posted by
the import preview, and saved as an organization's layout so its next document is read the
same way::

    {"table": 1, "header_start": 6, "header_rows": 2,
     "columns": {"1": "activity", "Хугацаа": "due"},
     "rows": {"9": "heading", "Тайлбар": "ignore"}}

Columns are named by number (1 = the first) or by header text; rows by number within the
table or by the start of their text. A saved layout keeps names by text, which stay true
for next year's document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shudarga.core.text import fold, squash
from shudarga.plans.documents.model import PlanImportError
from shudarga.plans.documents.structure import CHOOSABLE_KINDS
from shudarga.plans.documents.vocabulary import ROLES

MAX_ENTRIES = 500
MAX_KEY = 255


@dataclass
class ImportChoices:
    table: int | None = None  # 1-based, among the document's tables (sheets)
    header_start: int | None = None  # 1-based row of the table where the header starts
    header_rows: int | None = None  # how many rows the header has
    columns: dict[str, str] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)
    # In a saved layout: the folded text of the header's first row, so `header_rows` is
    # only applied to a table whose header starts the same way.
    header_signature: str = ""

    def is_empty(self) -> bool:
        return not (
            self.table or self.header_start or self.header_rows or self.columns or self.rows
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key in ("table", "header_start", "header_rows"):
            if (value := getattr(self, key)) is not None:
                data[key] = value
        if self.columns:
            data["columns"] = dict(self.columns)
        if self.rows:
            data["rows"] = dict(self.rows)
        if self.header_signature:
            data["header_signature"] = self.header_signature
        return data

    @classmethod
    def from_dict(cls, data: Any) -> ImportChoices:
        """Choices from JSON data; PlanImportError naming what is wrong."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise PlanImportError(_("The mapping must be a JSON object."))
        known = {"table", "header_start", "header_rows", "columns", "rows", "header_signature"}
        if unknown := sorted(set(data) - known):
            raise PlanImportError(
                _("The mapping has unknown keys: %(keys)s. It may have: %(known)s.")
                % {"keys": ", ".join(map(str, unknown)), "known": ", ".join(sorted(known))}
            )
        choices = cls()
        for key, upper in (("table", 1000), ("header_start", 100000), ("header_rows", 10)):
            value = data.get(key)
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= upper:
                raise PlanImportError(
                    _("“%(key)s” in the mapping must be a whole number from 1 to %(upper)s.")
                    % {"key": key, "upper": upper}
                )
            setattr(choices, key, value)
        choices.columns = _mapping(data, "columns", ROLES)
        choices.rows = _mapping(data, "rows", CHOOSABLE_KINDS)
        signature = data.get("header_signature", "")
        if not isinstance(signature, str) or len(signature) > 2000:
            raise PlanImportError(_("“header_signature” in the mapping must be text."))
        choices.header_signature = signature
        return choices

    @classmethod
    def from_json(cls, raw: bytes | str) -> ImportChoices:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise PlanImportError(
                _("The mapping is not valid JSON: %(error)s") % {"error": str(exc)[:200]}
            ) from None
        return cls.from_dict(data)


def _mapping(data: dict, key: str, allowed: tuple[str, ...]) -> dict[str, str]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise PlanImportError(
            _('“%(key)s” in the mapping must be an object such as {"3": "%(example)s"}.')
            % {"key": key, "example": allowed[0]}
        )
    if len(value) > MAX_ENTRIES:
        raise PlanImportError(
            _("“%(key)s” in the mapping has more than %(max)s entries.")
            % {"key": key, "max": MAX_ENTRIES}
        )
    result = {}
    for name, role in value.items():
        if not isinstance(name, str) or not squash(name) or len(name) > MAX_KEY:
            raise PlanImportError(
                _("“%(key)s” in the mapping: each name must be a column or row number or text.")
                % {"key": key}
            )
        if role not in allowed:
            raise PlanImportError(
                _("“%(key)s” in the mapping: “%(value)s” is not one of %(allowed)s.")
                % {"key": key, "value": str(role)[:40], "allowed": ", ".join(allowed)}
            )
        result[squash(name)] = role
    return result


def row_key_matches(key: str, index: int, first_text: str) -> bool:
    """Whether a row named `key` (a 1-based number, or the start of its text) is the row
    at `index` whose first text is `first_text`."""
    if key.isdigit():
        return int(key) == index + 1
    folded = fold(squash(first_text))
    return bool(folded) and folded.startswith(fold(squash(key)))
