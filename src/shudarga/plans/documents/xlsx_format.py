"""Excel (XLSX) plans: every sheet as a grid for the table interpreter, merged cells kept
(the text in the merged area's first cell, as Excel shows it).

Writing lays the plan out as the official table on one sheet, which `read` takes back to
the same `PlanDocument`. Every text cell is stored as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.etree.ElementTree import ParseError

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from shudarga.core.dates import format_mn_date
from shudarga.core.spreadsheets import set_text
from shudarga.plans.documents.model import APPROVAL_LABELS, PlanDocument, PlanImportError
from shudarga.plans.documents.source import Source, grid_from_texts
from shudarga.plans.documents.tabular import lay_out_table

_DECIMALS_RE = re.compile(r"^0\.(0+)(%?)$")


def _cell_text(value: object, number_format: str = "General") -> str:
    """A cell's value as the sheet shows it: 1.1 typed as a number with two decimals shows
    "1.10", 1 formatted as a percentage "100%", a date its ISO form."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fmt = (number_format or "General").split(";")[0]
        if match := _DECIMALS_RE.match(fmt):
            shown = value * 100 if match[2] else value
            return f"{shown:.{len(match[1])}f}{match[2]}"
        if fmt.endswith("%"):
            return f"{value * 100:g}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_source(data: bytes) -> Source:
    """Each sheet of the workbook as a grid, in the workbook's order."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, ParseError, Exception) as exc:
        raise PlanImportError(
            _("The Excel workbook cannot be opened: %(error)s") % {"error": exc.__class__.__name__}
        ) from None
    source = Source(format="xlsx")
    for sheet in workbook.worksheets:
        rows = [[_cell_text(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]
        merges = [
            (r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
            for r in sheet.merged_cells.ranges
        ]

        def where(index: int, title: str = sheet.title) -> str:
            return _("sheet “%(sheet)s”, row %(row)s") % {"sheet": title, "row": index + 1}

        name = _("sheet “%(sheet)s”") % {"sheet": sheet.title}
        source.blocks.append(
            grid_from_texts(rows, name=name, where=where, kind="sheet", merges=merges)
        )
    return source


def read(data: bytes) -> PlanDocument:
    """The plan in the document, read without any person's choices."""
    from shudarga.plans.documents.interpret import interpret

    return interpret(read_source(data))[0]


# -- writing ----------------------------------------------------------------------------

_FONT = "Times New Roman"
# Widths in Excel's character units (of the default font's digits).
_WIDTHS = {
    "code": 6, "goal": 26, "measure": 58, "criteria": 52, "due": 13, "responsible": 20,
    "baseline": 14, "target": 14, "expected_result": 30, "activity": 30,
}  # fmt: skip
_OTHER_WIDTH = 18
_NARROW = {"goal": 22, "measure": 44, "criteria": 40}  # when optional columns take room
_LINE_HEIGHT = 13.0  # points per line of 11 pt Times New Roman
_MAX_ROW_HEIGHT = 409.0  # Excel's limit, in points
_CHARS_PER_UNIT = 1.12  # its Cyrillic letters per unit of column width (measured: about 1.2)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_TOP = Alignment(wrap_text=True, vertical="top")
_TOP_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
_CENTERED = {"due", "baseline", "target"}  # short values: a date, a number, a percentage


def write(document: PlanDocument, *, organization_name: str = "") -> bytes:
    """The plan as an Excel workbook in the official layout; `read` gives the same plan back.

    One sheet: the organization (if given), approval date, title, date and place above the
    table, merged across its width; signature blocks below it. No cell holds a formula.
    """
    layout = lay_out_table(document)
    width = len(layout.keys)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Төлөвлөгөө"
    widths = [
        (_NARROW if width > 4 else _WIDTHS).get(key, _WIDTHS.get(key, _OTHER_WIDTH))
        for key in layout.keys
    ]
    for index, column_width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width

    row = 1
    date_text = format_mn_date(document.approved_on) if document.approved_on else ""

    def line(text: str, *, bold: bool = False, horizontal: str = "left", size: int = 11) -> None:
        nonlocal row
        cell = _put(sheet, row, 1, text, bold=bold, size=size)
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        # A merged cell does not grow its row: give a long title the lines it needs.
        lines = _lines([text], sum(widths) * 11 / size)
        if lines > 1:
            sheet.row_dimensions[row].height = _height(lines) * size / 11
        row += 1

    if document.basis:
        line(document.basis, horizontal="right")
        row += 1
    for signature in document.signatures:
        if signature.label in APPROVAL_LABELS:  # the approval stands above the plan
            for text in (f"{signature.label}:", signature.title, signature.name):
                if text:
                    line(text, horizontal="right", bold=text.endswith(":"))
            row += 1
    if organization_name.strip():
        line(organization_name.strip(), bold=True, horizontal="center")
        row += 1
    if date_text:
        line(date_text, horizontal="right")
    row += 1
    line(document.title, bold=True, horizontal="center", size=13)
    row += 1
    if date_text or document.place:
        # Date on the left, place on the right of one row, as on the printed plan.
        split = max(1, width // 2)
        if date_text:
            _put(sheet, row, 1, date_text)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=split)
        if document.place:
            cell = _put(sheet, row, split + 1, document.place)
            cell.alignment = Alignment(horizontal="right")
            if split + 1 < width:
                sheet.merge_cells(
                    start_row=row, start_column=split + 1, end_row=row, end_column=width
                )
        row += 2

    header_row = row
    for index, title in enumerate(layout.titles, start=1):
        cell = _put(sheet, header_row, index, title, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill, cell.border = _HEADER_FILL, _BORDER
        number = sheet.cell(row=header_row + 1, column=index, value=index)
        number.font = Font(name=_FONT, size=9)
        number.alignment = _TOP_CENTER
        number.fill, number.border = _HEADER_FILL, _BORDER
    first_data_row = header_row + 2

    # Heights are set, not left to the application: LibreOffice keeps the default height
    # of rows written without one, and no application grows a row for a merged cell.
    lines: list[int] = []
    spanned = {1, 2} | (
        {activity + 1} if (activity := layout.index("activity")) is not None else set()
    )
    for offset, cells in enumerate(layout.rows):
        at = first_data_row + offset
        if offset in layout.heading_rows:  # a direction heading across the table
            cell = _put(sheet, at, 1, "\n".join(cells[0]), bold=True)
            cell.alignment, cell.border = _TOP, _BORDER
            sheet.merge_cells(start_row=at, start_column=1, end_row=at, end_column=width)
            lines.append(_lines(cells[0], sum(widths)))
            continue
        row_lines = 1
        for index, paragraphs in enumerate(cells, start=1):
            if index == 1 and paragraphs and paragraphs[0].isdigit():
                cell = sheet.cell(row=at, column=1, value=int(paragraphs[0]))
                cell.font = Font(name=_FONT, size=11)
            else:
                cell = _put(sheet, at, index, "\n".join(paragraphs))
                if index not in spanned:  # a merged cell's text may span rows: settled below
                    row_lines = max(row_lines, _lines(paragraphs, widths[index - 1]))
            short = index == 1 or layout.keys[index - 1] in _CENTERED
            cell.alignment = _TOP_CENTER if short else _TOP
            cell.border = _BORDER
        lines.append(row_lines)
    merges = [(span, column) for span in layout.goal_spans for column in (1, 2)]
    if activity is not None:
        merges += [(span, activity + 1) for span in layout.activity_spans]
    for (first, last), column in merges:
        if last > first:
            sheet.merge_cells(
                start_row=first_data_row + first,
                start_column=column,
                end_row=first_data_row + last,
                end_column=column,
            )
        # When the goal needs more lines than its rows have, its last row makes them up.
        needed = _lines(layout.rows[first][1], widths[1])
        lines[last] += max(0, needed - sum(lines[first : last + 1]))
    header_lines = max(  # bold letters are wider
        _lines([title], w * 0.85) for title, w in zip(layout.titles, widths, strict=True)
    )
    sheet.row_dimensions[header_row].height = _height(header_lines)
    for offset, row_lines in enumerate(lines):
        sheet.row_dimensions[first_data_row + offset].height = _height(row_lines)

    row = first_data_row + len(layout.rows) + 1
    for signature in document.signatures:
        if signature.label in APPROVAL_LABELS:
            continue  # written above the table
        _put(sheet, row, 2, f"{signature.label}:", bold=True)
        row += 1
        if signature.title:
            _put(sheet, row, 2, signature.title)
            row += 1
        _put(sheet, row, 2, signature.name)
        row += 2

    sheet.freeze_panes = sheet.cell(row=first_data_row, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row + 1}"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.5, bottom=0.6)
    sheet.oddFooter.center.text = "&P / &N"

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _put(
    sheet: Worksheet, row: int, column: int, text: str, *, bold: bool = False, size: int = 11
) -> Cell:
    """Write `text` as a text cell, whatever it starts with (`=`, `-`, `#N/A`): openpyxl
    would otherwise store `=…` as a formula, which Excel runs when the file opens."""
    cell = set_text(sheet.cell(row=row, column=column), text)
    cell.font = Font(name=_FONT, size=size, bold=bold)
    return cell


def _lines(paragraphs: list[str], width: float) -> int:
    """Wrapped lines of `paragraphs` in a column `width` units wide, wrapping at spaces as
    Excel does; a little generous, since a clipped line hides text and a spare one does not."""
    capacity = max(4, int(width * _CHARS_PER_UNIT))
    total = 0
    for text in paragraphs:
        count, used = 1, 0
        for word in text.split():
            if used and used + 1 + len(word) > capacity:
                count, used = count + 1, 0
            if len(word) > capacity:  # a long word breaks anywhere
                count += (used + len(word) - 1) // capacity
                used = (used + len(word)) % capacity or capacity
            else:
                used += len(word) + (1 if used else 0)
        total += count
    return max(1, total)


def _height(lines: int) -> float:
    return min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 4)
