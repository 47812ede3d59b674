"""The parent body's consolidated report as an Excel workbook (issue 18): one sheet of
organizations (rank, both percents, how the report came, each goal's percent by the parent
body), one of the measures most often scored low, and the drafted summary."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from shudarga.core.spreadsheets import set_text
from shudarga.reports.periods import DOCUMENT_LABELS

TIMING = {
    "on_time": "хугацаандаа",
    "late": "хоцорсон",
    "returned": "засварт буцаасан",
    "not_submitted": "ирүүлээгүй",
}


# Sheet names of the consolidated report where it is an annex of the parent body's own
# report workbook (issue 18).
ANNEX_SHEETS = ("Хавсралт-Нэгтгэл", "Хавсралт-Хангалтгүй")


def write(consolidated: Any) -> bytes:
    workbook = openpyxl.Workbook()
    _add(workbook, consolidated, sheet=workbook.active, names=("Нэгтгэл", "Хангалтгүй"))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def annex(report: bytes, consolidated: Any) -> bytes:
    """`report` (an XLSX of the parent body's own report) with the consolidated report of
    its descendants in two more sheets (`ANNEX_SHEETS`), as its annex."""
    workbook = openpyxl.load_workbook(io.BytesIO(report))
    _add(workbook, consolidated, sheet=workbook.create_sheet(), names=ANNEX_SHEETS)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _add(workbook: Any, consolidated: Any, *, sheet: Any, names: tuple[str, str]) -> None:
    """The consolidated report in `sheet` (organizations) and one new sheet (the measures
    most often scored low), named `names`."""
    ranking = consolidated.ranking
    sheet.title = names[0]
    title = (
        f"{ranking.organization.name}: харьяа байгууллагуудын {ranking.year} оны "
        f"{DOCUMENT_LABELS[ranking.period]} тайлангийн нэгтгэл"
    )
    set_text(sheet.cell(row=1, column=1), title).font = Font(bold=True, size=12)
    summary = set_text(sheet.cell(row=2, column=1), consolidated.summary())
    summary.alignment = Alignment(wrap_text=True, vertical="top")
    headers = ["Байр", "Байгууллага", "Дээд байгууллагын үнэлгээ, %", "Өөрийн үнэлгээ, %",
               "Өмнөх он, %", "Өөрчлөлт", "Тайлан"]  # fmt: skip
    headers += [f"Зорилго {n}, %" for n in consolidated.goal_numbers]
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    sheet.row_dimensions[2].height = 60
    for index, text in enumerate(headers, start=1):
        cell = set_text(sheet.cell(row=4, column=index), text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = 36 if index == 2 else 14
    for offset, entry in enumerate(consolidated.rows, start=5):
        row = entry.row
        values = [str(row.rank or "—"), row.name, row.percent_text, row.own_percent_text,
                  row.last_percent_text, row.change_text, TIMING[entry.timing]]  # fmt: skip
        values += [entry.goal_text(n) for n in consolidated.goal_numbers]
        for index, text in enumerate(values, start=1):
            set_text(sheet.cell(row=offset, column=index), text)
    low = workbook.create_sheet(names[1])
    for index, text in enumerate(["Арга хэмжээ", "Агуулга", "Байгууллагын тоо"], start=1):
        set_text(low.cell(row=1, column=index), text).font = Font(bold=True)
    low.column_dimensions["B"].width = 80
    for offset, measure in enumerate(consolidated.low, start=2):
        set_text(low.cell(row=offset, column=1), measure.code)
        set_text(low.cell(row=offset, column=2), measure.text)
        low.cell(row=offset, column=3, value=measure.count)
