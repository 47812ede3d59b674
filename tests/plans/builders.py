"""The seed plan laid out as people lay out plans in Word and Excel, for the readers' tests.

These builders do not use the writers under test: each lays the cells out itself, from the
seed's tab-text parse, so the values a reader must find are the seed's. The lines above the
table are the seed's own lines.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.shared import Cm

from shudarga.plans.documents import text_format
from shudarga.plans.documents.model import PlanDocument

SEED_PATH = Path(__file__).resolve().parents[2] / "src/shudarga/plans/fixtures/seed_plan_2023.txt"
FOUR_HEADERS = ["Д/д", "Зорилго", "Хэрэгжүүлэх арга хэмжээ", "Гүйцэтгэлийн шалгуур үзүүлэлт"]


def seed_document() -> PlanDocument:
    """The seed plan as the tab-text reader parses it: the expected values."""
    return text_format.read(SEED_PATH.read_bytes())


def seed_lines_before_table() -> list[str]:
    """The seed's non-empty lines above its table header (date, title, date, place)."""
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Д/д\t"))
    return [line for line in lines[:header] if line.strip()]


def extra_values(code: str) -> tuple[str, str]:
    """The `Хугацаа` and `Хариуцах нэгж` the extra-column layouts give measure `code`."""
    goal = int(code.split(".")[0])
    due = "Жилдээ" if goal <= 2 else "Улирал бүр"
    responsible = "Хүний нөөцийн алба" if goal % 2 else "Захиргаа, санхүүгийн хэлтэс"
    return due, responsible


# -- Word ---------------------------------------------------------------------------------


def _landscape_document() -> docx.document.Document:
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    return document


def _set_paragraphs(cell, paragraphs: list[str]) -> None:
    cell.paragraphs[0].text = paragraphs[0] if paragraphs else ""
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def docx_merged_goals() -> bytes:
    """(a) Four columns; goal number and goal text merged down the goal's rows; the
    `1 2 3 4` row; `1.1.Text` measures; criteria one `-…` paragraph each; signatures as
    paragraphs after the table, label, title lines and name each a paragraph."""
    plan = seed_document()
    document = _landscape_document()
    for line in seed_lines_before_table():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=4)
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, FOUR_HEADERS, strict=True):
        cell.text = text
    for index, cell in enumerate(table.rows[1].cells, start=1):
        cell.text = str(index)
    for goal in plan.goals:
        first = len(table.rows)
        for measure in goal.measures:
            cells = table.add_row().cells
            _set_paragraphs(cells[2], [f"{measure.code}.{measure.text}"])
            _set_paragraphs(cells[3], [f"-{criterion}" for criterion in measure.criteria])
        last = len(table.rows) - 1
        number_cell = table.cell(first, 0).merge(table.cell(last, 0))
        goal_cell = table.cell(first, 1).merge(table.cell(last, 1))
        number_cell.text = str(goal.number)
        goal_cell.text = goal.text
    document.add_paragraph("")
    for signature in plan.signatures:
        document.add_paragraph(f"{signature.label}:")
        document.add_paragraph("")
        for line in _two_lines(signature.title):
            document.add_paragraph(line)
        document.add_paragraph(signature.name)
        document.add_paragraph("")
    return _save_docx(document)


def docx_extra_columns() -> bytes:
    """(b) Six columns with `Хугацаа` and `Хариуцах нэгж` filled; goal cells merged;
    `1.1. Text` measures; criteria as `- …` lines in one paragraph; the signatures side by
    side in a borderless two-column table, one block per cell."""
    plan = seed_document()
    document = _landscape_document()
    for line in seed_lines_before_table():
        document.add_paragraph(line)
    headers = [*FOUR_HEADERS[:3], "Хугацаа", "Хариуцах нэгж", FOUR_HEADERS[3]]
    table = document.add_table(rows=2, cols=len(headers))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for index, cell in enumerate(table.rows[1].cells, start=1):
        cell.text = str(index)
    for goal in plan.goals:
        first = len(table.rows)
        for measure in goal.measures:
            due, responsible = extra_values(measure.code)
            cells = table.add_row().cells
            cells[2].text = f"{measure.code}. {measure.text}"
            cells[3].text = due
            cells[4].text = responsible
            # One paragraph, criteria separated by line breaks (Shift+Enter in Word).
            cells[5].text = "\n".join(f"- {criterion}" for criterion in measure.criteria)
        last = len(table.rows) - 1
        table.cell(first, 0).merge(table.cell(last, 0)).text = str(goal.number)
        table.cell(first, 1).merge(table.cell(last, 1)).text = goal.text
    document.add_paragraph("")
    signatures = document.add_table(rows=1, cols=len(plan.signatures))  # no style: no borders
    for cell, signature in zip(signatures.rows[0].cells, plan.signatures, strict=True):
        _set_paragraphs(cell, [f"{signature.label}:", signature.title, signature.name])
    return _save_docx(document)


def _save_docx(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _two_lines(text: str) -> list[str]:
    """`text` broken at the space nearest its middle, as a long title is typed."""
    words = text.split()
    middle = len(words) // 2
    return [" ".join(words[:middle]), " ".join(words[middle:])] if middle else [text]


# -- Excel --------------------------------------------------------------------------------


def xlsx_merged_goals() -> bytes:
    """(c) Four columns; the lines above the table in column A; goal number and text merged
    down the goal's rows; criteria `-…` lines in one wrapped cell; signatures in column B,
    label, title and name a row each."""
    plan = seed_document()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Төлөвлөгөө 2023"
    for line in seed_lines_before_table():
        sheet.append([line])
    sheet.append([])
    sheet.append(FOUR_HEADERS)
    sheet.append([1, 2, 3, 4])
    for goal in plan.goals:
        first = sheet.max_row + 1
        for index, measure in enumerate(goal.measures):
            sheet.append(
                [
                    goal.number if index == 0 else None,
                    goal.text if index == 0 else None,
                    f"{measure.code}.{measure.text}",
                    "\n".join(f"-{criterion}" for criterion in measure.criteria),
                ]
            )
        last = sheet.max_row
        if last > first:
            sheet.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
            sheet.merge_cells(start_row=first, start_column=2, end_row=last, end_column=2)
    sheet.append([])
    for signature in plan.signatures:
        sheet.append([None, f"{signature.label}:"])
        sheet.append([None, signature.title])
        sheet.append([None, signature.name])
        sheet.append([])
    return _save_xlsx(workbook)


def xlsx_extra_columns() -> bytes:
    """(d) Six columns in another order (`Хугацаа`, `Хариуцах нэгж` before the criteria);
    the goal on a row of its own, each measure's code typed as a number in the `Д/д` column
    and its text in the measure column; a signature's title on two rows."""
    plan = seed_document()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([])  # a blank first row, as exported sheets often have
    for line in seed_lines_before_table():
        sheet.append([None, line])
    headers = [*FOUR_HEADERS[:3], "Хугацаа", "Хариуцах нэгж", FOUR_HEADERS[3]]
    sheet.append(headers)
    sheet.append(list(range(1, len(headers) + 1)))
    for goal in plan.goals:
        sheet.append([goal.number, goal.text])
        for measure in goal.measures:
            due, responsible = extra_values(measure.code)
            sheet.append(
                [
                    float(measure.code),  # typed as 1.1, Excel keeps a number
                    None,
                    measure.text,
                    due,
                    responsible,
                    "\n".join(f"-{criterion}" for criterion in measure.criteria),
                ]
            )
    sheet.append([])
    for signature in plan.signatures:
        sheet.append([None, f"{signature.label}:"])
        for line in _two_lines(signature.title):
            sheet.append([None, line])
        sheet.append([None, signature.name])
    return _save_xlsx(workbook)


def _save_xlsx(workbook: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


LAYOUTS: dict[str, Callable[[], bytes]] = {
    "docx_merged_goals": docx_merged_goals,
    "docx_extra_columns": docx_extra_columns,
    "xlsx_merged_goals": xlsx_merged_goals,
    "xlsx_extra_columns": xlsx_extra_columns,
}
EXTRA_COLUMN_LAYOUTS = {"docx_extra_columns", "xlsx_extra_columns"}
