"""How a register row shows: as cells of the list page and as a row of the XLSX export.

Both are driven by the RegisterSpec, so every register gets the same table and download.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import models
from django.db.models import QuerySet
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from shudarga.registers.fields import is_choice_list
from shudarga.registers.importing import MEASURES
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import RegisterSpec
from shudarga.registers.tabular import write_xlsx

_LONG_TEXT = 120  # characters of a long text shown in the table; the form shows it all


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    is_number: bool
    is_wide: bool  # long text: gets room in the table instead of a one-word-wide column


@dataclass(frozen=True)
class Cell:
    kind: str  # "text", "number", "date", "bool", "link"
    text: str
    value: Any = None


def _is_number(model_field: models.Field) -> bool:
    return isinstance(model_field, models.IntegerField | models.DecimalField | models.FloatField)


def columns(spec: RegisterSpec) -> list[Column]:
    """The register's editable fields as table columns, labelled in the current language."""
    return [
        Column(
            name,
            capfirst(str(spec.field(name).verbose_name)),
            _is_number(spec.field(name)),
            _width(spec.field(name)) >= 40,
        )
        for name in spec.fields
    ]


def _number_text(value: int | Decimal) -> str:
    """A number with the locale's digit grouping; money with two decimals."""
    return formats.number_format(value, decimal_pos=2 if isinstance(value, Decimal) else None,
                                 force_grouping=True)  # fmt: skip


def cell(spec: RegisterSpec, row: RegisterRow, name: str) -> Cell:
    """One field of `row` as the list page shows it."""
    model_field = spec.field(name)
    value = getattr(row, name)
    if is_choice_list(model_field):
        return Cell("text", ", ".join(model_field.labels(value)), value)
    if model_field.choices:
        return Cell("text", str(getattr(row, f"get_{name}_display")()), value)
    if isinstance(model_field, models.BooleanField):
        return Cell("bool", _("Yes") if value else _("No"), value)
    if value is None or value == "":
        return Cell("text", "")
    if isinstance(value, dt.date):
        return Cell("date", value.isoformat(), value)
    if _is_number(model_field):
        return Cell("number", _number_text(value), value)
    if isinstance(model_field, models.URLField):
        return Cell("link", value, value)
    text = str(value)
    return Cell("text", text if len(text) <= _LONG_TEXT else text[: _LONG_TEXT - 1] + "…", value)


def row_cells(spec: RegisterSpec, row: RegisterRow) -> list[Cell]:
    """The row's fields in column order, as the list page shows them."""
    return [cell(spec, row, name) for name in spec.fields]


def measure_codes(row: RegisterRow) -> list[str]:
    """Codes of the row's measures; reads the prefetched `measures` (no query)."""
    return [measure.code for measure in row.measures.all()]


def export_header(spec: RegisterSpec) -> list[str]:
    """Column headers of the export: the fields' verbose names, then the measures column.
    The import reads them back in either language."""
    return [column.label for column in columns(spec)] + [
        capfirst(str(spec.field(MEASURES).verbose_name))
    ]


def export_values(spec: RegisterSpec, row: RegisterRow) -> list[Any]:
    """One spreadsheet row: dates as dates, numbers as numbers, choices as their labels,
    yes/no as words, and the measure codes joined by commas."""
    values: list[Any] = []
    for name in spec.fields:
        model_field = spec.field(name)
        value = getattr(row, name)
        if is_choice_list(model_field):
            value = ", ".join(model_field.labels(value))
        elif model_field.choices:
            value = str(getattr(row, f"get_{name}_display")())
        elif isinstance(model_field, models.BooleanField):
            value = _("Yes") if value else _("No")
        values.append(value)
    values.append(", ".join(measure_codes(row)))
    return values


def _width(model_field: models.Field) -> int:
    """A column width in characters: wide for long text, narrow for the rest."""
    if isinstance(model_field, models.TextField):
        return 50
    if isinstance(model_field, models.CharField) and model_field.max_length >= 255:
        return 40
    return 16


def export_xlsx(*, spec: RegisterSpec, rows: QuerySet[RegisterRow]) -> IO[bytes]:
    """`rows` of register `spec` as an XLSX file (open, at its start; the caller closes)."""
    return write_xlsx(
        title=capfirst(spec.verbose_name_plural),
        header=export_header(spec),
        rows=(export_values(spec, row) for row in rows.iterator(chunk_size=500)),
        widths=[_width(spec.field(name)) for name in spec.fields] + [16],
    )


def export_filename(*, spec: RegisterSpec, organization_code: str, on: dt.date) -> str:
    """`HOME-events-2024-05-01.xlsx`."""
    # Organization codes are already Latin letters, digits, "-" and "_" (code_validator).
    return f"{organization_code}-{spec.key}-{on.isoformat()}.xlsx"
