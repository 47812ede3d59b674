"""Spreadsheet cells that stay text: the one rule every XLSX export of Shudarga follows."""

from __future__ import annotations

from typing import Any

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
