"""Spreadsheet cells that stay text: the one rule every XLSX and CSV export of Shudarga
follows. XLSX cells go through `set_text`, CSV rows through `csv_writer` (or `csv_text`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What a spreadsheet program reads as the start of a formula (CSV/XLSX injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell: Any, text: object) -> Any:
    """Put `text` in `cell` (a normal or write-only openpyxl cell) as text, whatever it
    starts with: characters XML cannot hold are dropped, the type is forced to string so
    `=HYPERLINK(…)` is never stored as a formula, and a quote prefix keeps it text when
    someone edits the cell in Excel. Returns the cell."""
    value = ILLEGAL_CHARACTERS_RE.sub("", "" if text is None else str(text))
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def csv_text(value: object) -> object:
    """`value` as a CSV cell a spreadsheet program shows as text: text starting like a
    formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading apostrophe, which
    Excel and LibreOffice show as the plain text it was (the OWASP advice for CSV
    injection). Numbers and None stay as they are, so a size or a count is still a number.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _SafeWriter:
    """A `csv.writer` whose every cell goes through `csv_text`."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([csv_text(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str], **options: Any) -> _SafeWriter:
    """`csv.writer(out, **options)` that writes every text cell formula-safe (`csv_text`):
    the only way Shudarga writes CSV."""
    return _SafeWriter(out, **options)


def page_setup(
    sheet: Any,
    *,
    landscape: bool = True,
    title_rows: str | None = None,
    freeze: str | None = None,
) -> Any:
    """The one page setup of every XLSX Shudarga writes: A4, landscape unless told
    otherwise, fitted to the page's width (as many pages down as needed), half-inch
    margins, "page / pages" in the footer; `title_rows` ("4:5") repeat on every printed
    page and `freeze` ("A2") keeps the header in sight on screen. Works on normal and
    write-only sheets (call it before writing rows). Returns the sheet."""
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.5, bottom=0.6)
    sheet.oddFooter.center.text = "&P / &N"
    if title_rows:
        sheet.print_title_rows = title_rows
    if freeze:
        sheet.freeze_panes = freeze
    return sheet
