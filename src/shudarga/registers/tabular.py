"""Register tables as files: read an uploaded XLSX or CSV into rows of cell values, write a
register as an XLSX download.

Formats are told apart by their bytes, never by the file name: a PDF renamed `.xlsx` is
refused with a message that says what it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shudarga.core import filekinds
from shudarga.core.spreadsheets import page_setup, set_text

Table = list[list[Any]]

MAX_BYTES = getattr(settings, "REGISTER_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# An XLSX is a zip: refuse one that unpacks to far more than any real register (zip bombs).
MAX_UNPACKED_BYTES = getattr(settings, "PLAN_IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)


class TableError(ValueError):
    """The file is not a table we can read; the message says why, for the user."""


def sniff_table_format(data: bytes, *, name: str = "") -> str:
    """`xlsx` or `csv`, judged from the bytes by `core.filekinds`; TableError for anything
    else. An XLSX passes the same zip checks as evidence (bombs, unsafe parts, macros)."""
    if not data.strip():
        raise TableError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise TableError(
            _("The file is %(size)s MB; an import may be at most %(limit)s MB.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": f"{MAX_BYTES / 1024 / 1024:g}"}
        )
    mime = filekinds.sniff_mime(data[: filekinds.HEAD_SIZE])
    if mime == filekinds.PDF:
        raise TableError(
            _("This is a PDF file, not a table. Import the Excel (XLSX) or CSV version.")
        )
    if mime == filekinds.OLE:
        raise TableError(
            _("This is an old Excel file (.xls). Save it as an Excel Workbook (.xlsx).")
        )
    if mime == filekinds.ZIP:
        try:
            kind = filekinds.check_office_zip(
                io.BytesIO(data), name=name or "XLSX", max_unpacked=MAX_UNPACKED_BYTES
            )
        except ValidationError as exc:
            raise TableError(" ".join(exc.messages)) from None
        if kind != filekinds.XLSX:
            raise TableError(_("This is a ZIP archive or Word file, not an Excel (XLSX) workbook."))
        return "xlsx"
    if b"\x00" in data[:4096]:
        raise TableError(_("This file is neither an Excel (XLSX) workbook nor a CSV table."))
    return "csv"


def read_csv(data: bytes) -> Table:
    """Rows of a UTF-8 CSV file (a byte-order mark is allowed). The delimiter may be a
    comma, a semicolon (Excel in many locales) or a tab."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(
            _("The CSV file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise TableError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def read_xlsx(data: bytes) -> Table:
    """Rows of the first sheet of an XLSX workbook, as the values Excel shows (formulas
    are read as their last computed value)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise TableError(
            _("The Excel workbook cannot be opened: %(error)s") % {"error": exc.__class__.__name__}
        ) from None
    try:
        if not workbook.worksheets:
            raise TableError(_("The Excel workbook has no sheet."))
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(data: bytes, *, name: str = "") -> Table:
    """The rows of an uploaded XLSX (first sheet) or CSV file named `name`. TableError if it
    is neither."""
    if sniff_table_format(data, name=name) == "xlsx":
        return read_xlsx(data)
    return read_csv(data)


def _text_cell(sheet: Any, value: str) -> WriteOnlyCell:
    # data_type "s" keeps "=HYPERLINK(…)" a string in the file; quotePrefix keeps Excel from
    # turning it into a formula when someone edits the cell.
    return set_text(WriteOnlyCell(sheet), value)


def _cell(sheet: Any, value: object) -> WriteOnlyCell:
    if value is None or value == "":
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, int | float | Decimal):
        return WriteOnlyCell(sheet, value=value)
    return _text_cell(sheet, str(value))


def write_xlsx(
    *, title: str, header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[int]
) -> IO[bytes]:
    """An XLSX workbook with one sheet: a bold header row, then `rows`. Text cells are
    always text, never formulas. Returns an open temporary file positioned at its start;
    the caller streams and closes it."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "Sheet")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    page_setup(sheet, title_rows="1:1", freeze="A2")
    bold = Font(bold=True)
    header_cells = []
    for text in header:
        cell = _text_cell(sheet, text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    # Spooled: a small register stays in memory, a big one goes to disk, never both.
    out = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)  # noqa: SIM115 (caller closes)
    workbook.save(out)
    out.seek(0)
    return out
