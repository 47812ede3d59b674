"""Turn a table read from a spreadsheet into register values, row by row. Pure: no database.

Columns are matched by the field's verbose name in Mongolian or English, or its field name,
ignoring case. Every problem becomes one message naming the spreadsheet row and the column
as the file writes it: `Row 5, “Огноо”: 31.02.2024 is not a real date.`
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from shudarga.core.text import fold, squash
from shudarga.registers.fields import is_choice_list
from shudarga.registers.registry import RegisterSpec

MEASURES = "measures"  # the column of measure codes, "1.2, 4.2"
LANGUAGES = ("mn", "en")

_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DOTTED_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_CODE_SPLIT_RE = re.compile(r"[,;\s]+")
_TRUE_WORDS = frozenset({"тийм", "yes", "1", "true", "үнэн"})
_FALSE_WORDS = frozenset({"үгүй", "no", "0", "false", "худал"})
# Excel's serial day numbers that are real dates (1900-01-01 … 9999-12-31).
_EXCEL_DAYS = (1, 2958465)


class CellError(ValueError):
    """A cell's value cannot become the field's value; the message says why."""


@dataclass
class ParsedRow:
    line: int  # the row's number in the spreadsheet, as the user sees it
    values: dict[str, Any]
    measure_codes: list[str]


@dataclass
class ParsedTable:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # field name -> header in the file


def row_error(line: int, column: str | None, message: str) -> str:
    """The message for one bad cell (or one bad row when `column` is None)."""
    if column is None:
        return _("Row %(row)s: %(message)s") % {"row": line, "message": message}
    return _("Row %(row)s, “%(column)s”: %(message)s") % {
        "row": line,
        "column": column,
        "message": message,
    }


def _in_languages(text: Any) -> set[str]:
    found = set()
    for language in LANGUAGES:
        with translation.override(language):
            found.add(fold(squash(str(text))))
    return found


def column_aliases(spec: RegisterSpec) -> dict[str, str]:
    """Header text (folded) -> field name, for every column a file may carry."""
    aliases: dict[str, str] = {}
    for name in (*spec.fields, MEASURES):
        model_field = spec.field(name)
        names = {fold(name), *_in_languages(model_field.verbose_name)}
        if is_choice_list(model_field) and model_field.singular:
            names |= _in_languages(model_field.singular)
        for alias in names:
            aliases.setdefault(alias, name)
    return aliases


def _is_required(model_field: models.Field) -> bool:
    return not model_field.blank and not model_field.has_default()


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return squash(str(raw))


def parse_date(raw: Any) -> dt.date:
    """A date from an Excel date cell, an Excel day number, `YYYY-MM-DD` or `DD.MM.YYYY`."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if not _EXCEL_DAYS[0] <= raw <= _EXCEL_DAYS[1]:
            raise CellError(_("%(value)s is not a date.") % {"value": _text(raw)})
        return from_excel(raw).date()
    text = _text(raw)
    if match := _ISO_DATE_RE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DOTTED_DATE_RE.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise CellError(
            _("“%(value)s” is not a date; write it as 2024-03-31 or 31.03.2024.") % {"value": text}
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("%(value)s is not a real date.") % {"value": text}) from None


def parse_bool(raw: Any) -> bool:
    """True or False from тийм/үгүй, yes/no, 1/0, true/false (any case) or a logical cell."""
    if isinstance(raw, bool):
        return raw
    word = fold(_text(raw))
    if word in _TRUE_WORDS or word in _in_languages(gettext_lazy("Yes")):
        return True
    if word in _FALSE_WORDS or word in _in_languages(gettext_lazy("No")):
        return False
    raise CellError(
        _("“%(value)s” is not yes or no; write тийм/үгүй, yes/no, 1/0 or true/false.")
        % {"value": _text(raw)}
    )


@functools.cache
def _choice_values(model_field: models.Field) -> dict[str, str]:
    # Stored values first, so a label can never shadow another choice's value.
    found = {fold(str(value)): value for value, _label in model_field.flatchoices}
    for value, label in model_field.flatchoices:
        for key in _in_languages(label):
            found.setdefault(key, value)
    return found


def parse_choice(model_field: models.Field, raw: Any) -> str:
    """The stored value of a choice, given that value or its label in either language."""
    value = _choice_values(model_field).get(fold(_text(raw)))
    if value is not None:
        return value
    labels = ", ".join(str(label) for _value, label in model_field.flatchoices)
    raise CellError(
        _("“%(value)s” is not one of: %(choices)s.") % {"value": _text(raw), "choices": labels}
    )


def _parse_number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = _text(raw).replace(" ", "").replace("\u202f", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as Mongolian Excel writes it
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": _text(raw)}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": _text(raw)})
    return number


def parse_integer(raw: Any) -> int:
    number = _parse_number(raw)
    if number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.") % {"value": _text(raw)})
    return int(number)


def parse_choice_list(model_field: models.Field, raw: Any) -> list[str]:
    """Several choices in one cell ("Facebook, Цахим хуудас"), by value or label in either
    language, separated by commas or semicolons."""
    choices = {fold(str(value)): value for value in model_field.options.values}
    for value, label in model_field.options.choices:
        for key in _in_languages(label):
            choices.setdefault(key, value)
    found = []
    for part in re.split(r"[;,\n]", _text(raw)):
        if not part.strip():
            continue
        value = choices.get(fold(squash(part)))
        if value is None:
            labels = ", ".join(str(label) for _value, label in model_field.options.choices)
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": part.strip(), "choices": labels}
            )
        found.append(value)
    return model_field.normalize(found)


def parse_cell(model_field: models.Field, raw: Any) -> Any:
    """The value of `model_field` for one cell, checked by the field's validators."""
    if is_choice_list(model_field):
        return parse_choice_list(model_field, raw)
    if isinstance(raw, str):
        raw = squash(raw) if not isinstance(model_field, models.TextField) else raw.strip()
    if raw is None or raw == "":
        if isinstance(model_field, models.BooleanField):
            return False
        if model_field.has_default():
            return model_field.get_default()
        if not model_field.blank:
            raise CellError(_("A value is required."))
        return None if model_field.null else ""
    if model_field.choices:
        value: Any = parse_choice(model_field, raw)
    elif isinstance(model_field, models.DateField):
        value = parse_date(raw)
    elif isinstance(model_field, models.BooleanField):
        value = parse_bool(raw)
    elif isinstance(model_field, models.IntegerField):
        value = parse_integer(raw)
    elif isinstance(model_field, models.DecimalField):
        value = _parse_number(raw)
    else:
        value = _text(raw) if not isinstance(raw, str) else raw
    try:
        model_field.run_validators(value)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None
    return value


def parse_measure_codes(raw: Any, known: Collection[str] | None) -> list[str]:
    """Codes from "1.2, 4.2"; each must be in `known` (when given)."""
    codes = []
    for part in _CODE_SPLIT_RE.split(_text(raw)):
        code = part.strip().rstrip(".")
        if not code:
            continue
        if known is not None and code not in known:
            raise CellError(
                _("There is no measure %(code)s in the organization's latest plan.")
                % {"code": code}
            )
        if code not in codes:
            codes.append(code)
    return codes


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def parse_table(
    *, spec: RegisterSpec, table: list[list[Any]], measure_codes: Collection[str] | None
) -> ParsedTable:
    """The rows of `table` as values for register `spec`, plus every error found.

    The first non-empty row is the header. Rows are numbered as in the spreadsheet
    (the header of a sheet starting at the top is row 1). `measure_codes` are the codes a
    row may link to; None skips that check.
    """
    result = ParsedTable()
    header_at = next((i for i, row in enumerate(table) if not _is_blank(row)), None)
    if header_at is None:
        result.errors.append(_("The file has no rows."))
        return result
    aliases = column_aliases(spec)
    columns: dict[int, str] = {}
    for index, cell in enumerate(table[header_at]):
        text = _text(cell)
        if not text:
            continue
        name = aliases.get(fold(text))
        if name is None:
            result.warnings.append(
                _("Column “%(column)s” was ignored: this register has no such field.")
                % {"column": text}
            )
        elif name in result.headers:
            result.errors.append(
                _("Columns “%(first)s” and “%(second)s” are the same field.")
                % {"first": result.headers[name], "second": text}
            )
        else:
            columns[index] = name
            result.headers[name] = text
    missing = [
        str(spec.field(name).verbose_name)
        for name in spec.fields
        if name not in result.headers and _is_required(spec.field(name))
    ]
    if missing:
        result.errors.append(
            _("The file has no column for: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if result.errors:
        return result

    for offset, cells in enumerate(table[header_at + 1 :], start=header_at + 2):
        if _is_blank(cells):
            continue
        row = ParsedRow(line=offset, values={}, measure_codes=[])
        ok = True
        for index, name in columns.items():
            raw = cells[index] if index < len(cells) else None
            try:
                if name == MEASURES:
                    row.measure_codes = parse_measure_codes(raw, measure_codes)
                else:
                    row.values[name] = parse_cell(spec.field(name), raw)
            except CellError as exc:
                result.errors.append(row_error(offset, result.headers[name], str(exc)))
                ok = False
        if ok:
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(_("The file has a header but no rows."))
    return result


def validation_messages(
    line: int, error: ValidationError, headers: dict[str, str], spec: RegisterSpec
) -> list[str]:
    """`error` from saving row `line` as messages naming the row and the column."""
    if not hasattr(error, "error_dict"):
        return [row_error(line, None, message) for message in error.messages]
    messages = []
    for name, errors in error.message_dict.items():
        column = headers.get(name)
        if column is None and name in {*spec.fields, MEASURES}:
            column = str(spec.field(name).verbose_name)
        messages.extend(row_error(line, column, message) for message in errors)
    return messages
