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
