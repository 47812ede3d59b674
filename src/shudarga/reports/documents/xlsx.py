"""The report as an Excel workbook: the official table on one sheet, with formulas for the
totals so a reader can check them.

Scores are numbers, ХБ is text: AVERAGE skips text, so a goal's total is
`TRUNC(ROUND(AVERAGE(scores), 6), 1)` — the mean over due measures (ХБ out, 0 in), cut to one
decimal as official reports print it (the ROUND removes floating-point dust such as
56.29999… before the cut). Every other cell is stored as text, never as a formula, whatever
it starts with.
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shudarga.core.dates import format_mn_date
from shudarga.core.spreadsheets import page_setup, set_text
from shudarga.reports.documents.model import (
    GOAL_TOTAL,
    NATIONAL_CAPTION,
    PLAN_TOTAL,
    REVIEWER_NOTE,
    SHORTFALL,
    DocItem,
    ReportDocument,
)

_FONT = "Times New Roman"
_WIDTHS = {
    "code": 6, "goal": 24, "measure": 40, "criteria": 34, "baseline": 14, "target": 14,
    "achieved": 14, "implementation": 60, "evidence": 30, "score": 10, "parent": 14,
}  # fmt: skip
_LINE_HEIGHT = 12.5  # points per line of 10 pt Times New Roman
_MAX_ROW_HEIGHT = 409.0  # Excel's limit
_CHARS_PER_UNIT = 1.15
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_TOP = Alignment(wrap_text=True, vertical="top")
_TOP_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")


def write(document: ReportDocument) -> bytes:
    if document.national:
        return _write_national(document)
    keys = document.columns
    width = len(keys)
    column = {key: index for index, key in enumerate(keys, start=1)}
    score_letter = get_column_letter(column["score"])
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Тайлан"
    widths = [_WIDTHS[key] for key in keys]
    for index, column_width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width

    row = 1

    def line(text: str, *, bold: bool = False, horizontal: str = "center", size: int = 11) -> None:
        nonlocal row
        cell = _put(sheet, row, 1, text, bold=bold, size=size)
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1

    if document.organization:
        line(document.organization.upper(), bold=True)
    line(document.title, bold=True, size=13)
    line(f"({document.period_label})")
    line(
        f"Тайлант хугацаа: {format_mn_date(document.period_start)} – "
        f"{format_mn_date(document.period_end)}",
        size=10,
    )
    _put(sheet, row, 1, format_mn_date(document.date))
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    if document.place:
        cell = _put(sheet, row, width - 1, document.place)
        cell.alignment = Alignment(horizontal="right")
        sheet.merge_cells(start_row=row, start_column=width - 1, end_row=row, end_column=width)
    row += 2

    header_row = row
    for index, key in enumerate(keys, start=1):
        cell = _put(sheet, header_row, index, document.column_title(key), bold=True, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill, cell.border = _HEADER_FILL, _BORDER
        number = sheet.cell(row=header_row + 1, column=index, value=index)
        number.font = Font(name=_FONT, size=9)
        number.alignment = _TOP_CENTER
        number.fill, number.border = _HEADER_FILL, _BORDER
    sheet.row_dimensions[header_row].height = 2 * _LINE_HEIGHT + 4
    row = header_row + 2

    score_ranges: list[str] = []
    parent_ranges: list[str] = []
    parent_letter = get_column_letter(column["parent"]) if "parent" in column else ""
    for goal in document.goals:
        first = row
        for item in goal.items:
            cells = _item_cells(item, document)
            lines = 1
            for key, text in cells.items():
                cell = _put(sheet, row, column[key], text, size=10)
                cell.alignment = _TOP_CENTER if key in ("baseline", "target", "achieved") else _TOP
                lines = max(lines, _lines(text, _WIDTHS[key]))
            score = sheet.cell(row=row, column=column["score"])
            if item.due and item.score is not None:
                score.value = item.score  # a number: AVERAGE counts it
            else:
                _put(sheet, row, column["score"], item.score_mark)  # ХБ (text) or blank
            score.font = Font(name=_FONT, size=11, bold=True)
            score.alignment = _TOP_CENTER
            if document.parent is not None:
                _parent_score(sheet, row, column["parent"], document, item)
            sheet.row_dimensions[row].height = min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 4)
            row += 1
        last = row - 1
        # The goal's total row.
        label = _put(sheet, row, column["measure"], GOAL_TOTAL, bold=True, size=10)
        label.alignment = Alignment(horizontal="right", vertical="center")
        sheet.merge_cells(
            start_row=row,
            start_column=column["measure"],
            end_row=row,
            end_column=column["evidence"],
        )
        if goal.items:
            scores = f"{score_letter}{first}:{score_letter}{last}"
            score_ranges.append(scores)
            _total(sheet.cell(row=row, column=column["score"]), scores)
            if document.parent is not None:
                scores = f"{parent_letter}{first}:{parent_letter}{last}"
                parent_ranges.append(scores)
                _total(sheet.cell(row=row, column=column["parent"]), scores)
        else:
            _put(sheet, row, column["score"], "—")
        for index in range(column["measure"], width + 1):
            sheet.cell(row=row, column=index).fill = _TOTAL_FILL
        for index, text in ((1, str(goal.number)), (2, goal.text)):
            cell = _put(sheet, first, index, text, size=10)
            cell.alignment = _TOP_CENTER if index == 1 else _TOP
            sheet.merge_cells(start_row=first, start_column=index, end_row=row, end_column=index)
        for r in range(first, row + 1):
            for c in range(1, width + 1):
                sheet.cell(row=r, column=c).border = _BORDER
        row += 1

    label = _put(sheet, row, 1, PLAN_TOTAL, bold=True)
    label.alignment = Alignment(horizontal="right", vertical="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=column["evidence"])
    if score_ranges:
        _total(sheet.cell(row=row, column=column["score"]), ",".join(score_ranges))
    else:
        _put(sheet, row, column["score"], "—")
    if parent_ranges:
        _total(sheet.cell(row=row, column=column["parent"]), ",".join(parent_ranges))
    for c in range(1, width + 1):
        sheet.cell(row=row, column=c).fill = _HEADER_FILL
        sheet.cell(row=row, column=c).border = _BORDER
    last_table_row = row

    row += 2
    _put(sheet, row, 2, document.summary())
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
    sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[row].height = 3 * _LINE_HEIGHT
    row += 1
    scale = "; ".join(f"{value} — {label}" for value, label in document.scale)
    _put(sheet, row, 2, f"Үнэлгээний түвшин: {scale}; {document.not_due_mark} — "
         f"{document.not_due_label}.")  # fmt: skip
    row += 2
    for signer in document.signers:
        _put(sheet, row, 2, f"{signer.label}:", bold=True)
        row += 1
        if signer.title:
            _put(sheet, row, 2, signer.title)
            row += 1
        _put(sheet, row, 2, f"____________________ {signer.name}".rstrip())
        row += 2

    page_setup(
        sheet,
        title_rows=f"{header_row}:{header_row + 1}",
        freeze=sheet.cell(row=header_row + 2, column=1).coordinate,
    )
    sheet.print_area = f"A1:{get_column_letter(width)}{max(row, last_table_row)}"

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_NATIONAL_WIDTHS = {"goal": 28, "measure": 44, "implementation": 70, "score": 14, "parent": 16}


def _write_national(document: ReportDocument) -> bytes:
    """The national template (Government resolution 2017/89, annex 3): Зорилт ·
    Хэрэгжүүлэх арга хэмжээ · Хэрэгжүүлсэн ажил … · Байгууллагын үнэлгээ · <parent body>
    үнэлгээ, each goal's and the plan's percent as formulas for each scorer."""
    keys = document.columns
    width = len(keys)
    column = {key: index for index, key in enumerate(keys, start=1)}
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Тайлан"
    for key, index in column.items():
        sheet.column_dimensions[get_column_letter(index)].width = _NATIONAL_WIDTHS[key]
    cell = _put(sheet, 1, 1, NATIONAL_CAPTION, size=9)
    cell.alignment = Alignment(horizontal="right")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    row = 2
    for text, size in ((document.organization.upper(), 11), (document.title, 13),
                       (f"({document.period_label})", 11)):  # fmt: skip
        if text:
            cell = _put(sheet, row, 1, text, bold=size > 11 or row == 2, size=size)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
    row += 1
    header_row = row
    for key, index in column.items():
        cell = _put(sheet, header_row, index, document.column_title(key), bold=True, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill, cell.border = _HEADER_FILL, _BORDER
    sheet.row_dimensions[header_row].height = 3 * _LINE_HEIGHT + 4
    row = header_row + 1
    letters = {key: get_column_letter(index) for key, index in column.items()}
    ranges: dict[str, list[str]] = {"score": [], "parent": []}
    for goal in document.goals:
        first = row
        for item in goal.items:
            _put(sheet, row, column["measure"], f"{item.code}. {item.text}", size=10)
            text = item.implementation.strip()
            if item.comment:
                text += f"\n{REVIEWER_NOTE}: {item.comment}"
            _put(sheet, row, column["implementation"], text, size=10)
            for key in ("measure", "implementation"):
                sheet.cell(row=row, column=column[key]).alignment = _TOP
            score = sheet.cell(row=row, column=column["score"])
            if item.due and item.score is not None:
                score.value = item.score
            else:
                _put(sheet, row, column["score"], item.score_mark)
            score.font, score.alignment = Font(name=_FONT, size=11, bold=True), _TOP_CENTER
            if "parent" in column:
                _parent_score(sheet, row, column["parent"], document, item)
            lines = max(_lines(text, _NATIONAL_WIDTHS["implementation"]),
                        _lines(item.text, _NATIONAL_WIDTHS["measure"]))  # fmt: skip
            sheet.row_dimensions[row].height = min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 4)
            row += 1
        label = _put(sheet, row, column["measure"], GOAL_TOTAL, bold=True, size=10)
        label.alignment = Alignment(horizontal="right", vertical="center")
        sheet.merge_cells(start_row=row, start_column=column["measure"], end_row=row,
                          end_column=column["implementation"])  # fmt: skip
        for key in ranges:
            if key not in column:
                continue
            if goal.items:
                cells = f"{letters[key]}{first}:{letters[key]}{row - 1}"
                ranges[key].append(cells)
                _total(sheet.cell(row=row, column=column[key]), cells)
            else:
                _put(sheet, row, column[key], "—")
        for index in range(column["measure"], width + 1):
            sheet.cell(row=row, column=index).fill = _TOTAL_FILL
        cell = _put(sheet, first, 1, f"{goal.number}. {goal.text}", size=10)
        cell.alignment = _TOP
        sheet.merge_cells(start_row=first, start_column=1, end_row=row, end_column=1)
        for r in range(first, row + 1):
            for c in range(1, width + 1):
                sheet.cell(row=r, column=c).border = _BORDER
        row += 1
    label = _put(sheet, row, 1, PLAN_TOTAL, bold=True)
    label.alignment = Alignment(horizontal="right", vertical="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row,
                      end_column=column["implementation"])  # fmt: skip
    for key, found in ranges.items():
        if key in column:
            if found:
                _total(sheet.cell(row=row, column=column[key]), ",".join(found))
            else:
                _put(sheet, row, column[key], "—")
    for c in range(1, width + 1):
        sheet.cell(row=row, column=c).fill = _HEADER_FILL
        sheet.cell(row=row, column=c).border = _BORDER
    last_table_row = row
    row += 2
    _put(sheet, row, 1, document.summary())
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    row += 2
    for signer in document.signers:
        _put(sheet, row, 2, f"{signer.label}: ____________________ {signer.name}".rstrip())
        row += 1
    page_setup(
        sheet,
        title_rows=f"{header_row}:{header_row}",
        freeze=sheet.cell(row=header_row + 1, column=1).coordinate,
    )
    sheet.print_area = f"A1:{get_column_letter(width)}{max(row, last_table_row)}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _item_cells(item: DocItem, document: ReportDocument) -> dict[str, str]:
    implementation = item.implementation
    if item.target_reached is False and item.shortfall_reason:
        implementation += f"\n{SHORTFALL}: {item.shortfall_reason}"
    if item.comment:
        implementation += f"\n{REVIEWER_NOTE}: {item.comment}"
    evidence = "\n".join(
        f"{i}. {e.title if e.title == e.name or not e.name else f'{e.title} ({e.name})'}"
        for i, e in enumerate(item.evidence, start=1)
    )
    cells = {
        "measure": f"{item.code}. {item.text}",
        "criteria": "\n".join(f"-{c}" for c in item.criteria),
        "implementation": implementation.strip(),
        "evidence": evidence,
    }
    if document.has_levels:
        cells.update(baseline=item.baseline, target=item.target, achieved=item.achieved)
    return cells


def _parent_score(
    sheet: Worksheet, row: int, column: int, document: ReportDocument, item: DocItem
) -> None:
    """The parent body's score: a number when due and scored (the totals average it), else
    its mark; its comment, if any, as the cell's note."""
    if document.parent is None:
        return
    scored = document.parent.item(item.code)
    cell = sheet.cell(row=row, column=column)
    if scored is not None and item.due and scored.score is not None:
        cell.value = scored.score
    else:
        _put(sheet, row, column, scored.score_mark if scored else "")
    cell.font = Font(name=_FONT, size=11, bold=True)
    cell.alignment = _TOP_CENTER
    if scored is not None and scored.comment:
        cell.comment = Comment(scored.comment, document.parent.organization)


def _total(cell: Cell, ranges: str) -> None:
    """The truncated mean of the score cells in `ranges`; "—" when none is a number."""
    cell.value = f'=IFERROR(TRUNC(ROUND(AVERAGE({ranges}),6),1),"—")'
    cell.number_format = "0.0"
    cell.font = Font(name=_FONT, size=11, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")


def _put(
    sheet: Worksheet, row: int, column: int, text: str, *, bold: bool = False, size: int = 11
) -> Cell:
    """Write `text` as a text cell whatever it starts with (`=`, `-`, `@`): openpyxl would
    store `=…` as a formula, which a spreadsheet runs when the file opens."""
    cell = set_text(sheet.cell(row=row, column=column), text)
    cell.font = Font(name=_FONT, size=size, bold=bold)
    return cell


def _lines(text: str, width: float) -> int:
    """Wrapped lines of `text` in a column `width` units wide (a little generous)."""
    capacity = max(4, int(width * _CHARS_PER_UNIT))
    total = 0
    for paragraph in (text or "").split("\n"):
        count, used = 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > capacity:
                count, used = count + 1, 0
            used += len(word) + (1 if used else 0)
        total += count
    return max(1, total)
