"""Word (DOCX) plans: the plan is the first table with the plan's column headers.

Reading handles merged cells: a horizontally merged cell counts once at its first grid
column; a vertically merged cell's continuation is empty, as if the page showed nothing
there (the goal cell merged over its measures).

Writing lays the plan out as the official table (A4 landscape), which `read` takes back
to the same `PlanDocument`.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import ParseError

import docx
from django.utils.translation import gettext as _
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from shudarga.core.dates import format_mn_date
from shudarga.core.word import (
    MARGIN,
    PAGE_WIDTH,
    date_and_place,
    fill,
    paragraph,
    set_up_landscape_page,
    shade,
)
from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.tabular import (
    RawDocument,
    RawLine,
    RawRow,
    find_columns,
    interpret,
    lay_out_table,
    signature_lines,
)

_P, _T, _TAB, _BR, _CR = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_TBL, _TR, _TC = qn("w:tbl"), qn("w:tr"), qn("w:tc")


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter():
        if node.tag == _T and node.text:
            parts.append(node.text)
        elif node.tag == _TAB:
            parts.append(" ")
        elif node.tag in (_BR, _CR):
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    # Direct paragraphs only: a table nested in a cell is not part of this cell's text.
    return "\n".join(_paragraph_text(p) for p in tc.iterchildren(_P))


def _cell_span(tc) -> int:
    tc_pr = tc.find(qn("w:tcPr"))
    span = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
    return int(span.get(qn("w:val"), "1")) if span is not None else 1


def _is_merge_continuation(tc) -> bool:
    tc_pr = tc.find(qn("w:tcPr"))
    vmerge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
    return vmerge is not None and vmerge.get(qn("w:val"), "continue") != "restart"


def _table_rows(tbl) -> list[list[str]]:
    rows = []
    for tr in tbl.iterchildren(_TR):
        cells: list[str] = []
        for tc in tr.iter(_TC):
            if tc.getparent().getparent() is not tbl:
                continue  # a cell of a nested table
            text = "" if _is_merge_continuation(tc) else _cell_text(tc)
            cells.append(text)
            cells.extend([""] * (_cell_span(tc) - 1))
        rows.append(cells)
    return rows


def read(data: bytes) -> PlanDocument:
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, ParseError, Exception) as exc:
        raise PlanImportError(
            _("The Word document cannot be opened: %(error)s") % {"error": exc.__class__.__name__}
        ) from None

    before: list[RawLine] = []
    after: list[RawLine] = []
    header: RawRow | None = None
    rows: list[RawRow] = []
    table_number = 0
    paragraph_number = 0
    for element in document.element.body.iterchildren():
        if element.tag == _P:
            paragraph_number += 1
            where = _("paragraph %(number)s") % {"number": paragraph_number}
            target = before if header is None else after
            target.extend(RawLine(line, where) for line in _paragraph_text(element).split("\n"))
        elif element.tag == _TBL:
            table_number += 1
            table_rows = _table_rows(element)
            if header is None:
                for index, cells in enumerate(table_rows):
                    if find_columns(cells) is not None:
                        header = RawRow(cells, _row_where(table_number, index))
                        rows = [
                            RawRow(c, _row_where(table_number, i))
                            for i, c in enumerate(table_rows[index + 1 :], start=index + 1)
                        ]
                        break
                    # Rows above the header inside the plan's table (a title row, say).
                    where = _row_where(table_number, index)
                    before.extend(RawLine(c, where) for c in dict.fromkeys(cells) if c.strip())
                else:
                    continue
            else:
                # Tables after the plan: signature blocks laid out side by side.
                after.extend(
                    RawLine(line, _row_where(table_number, index))
                    for index, line in signature_lines(table_rows)
                )
    if header is None:
        raise PlanImportError(
            _(
                "No plan table found in the Word document: no table has the column headers "
                "“Д/д”, “Зорилго”, “Хэрэгжүүлэх арга хэмжээ” and “Гүйцэтгэлийн шалгуур "
                "үзүүлэлт”."
            )
        )
    return interpret(RawDocument(before=before, header=header, rows=rows, after=after))


def _row_where(table: int, index: int) -> str:
    return _("table %(table)s, row %(row)s") % {"table": table, "row": index + 1}


# -- writing ----------------------------------------------------------------------------

# Column widths in cm; the measure and criteria columns share what the others leave.
_FIXED_WIDTHS = {"code": 1.1, "due": 2.4, "responsible": 3.2, "baseline": 2.3, "target": 2.3}
_HEADER_FILL = "D9E2F3"
_CENTERED = {"due", "baseline", "target"}  # short values: a date, a number, a percentage
# XML 1.0 has no place for these (a text file may carry a stray one); Word would not open it.


def write(document: PlanDocument, *, organization_name: str = "") -> bytes:
    """The plan as a Word document in the official layout; `read` gives the same plan back.

    Lines above the table: the organization (if given), the approval date, the title, the
    date and place; below it, one block per signature (`ХЯНАСАН:`, title, name).
    """
    doc = docx.Document()
    set_up_landscape_page(doc)

    if organization_name.strip():
        paragraph(doc, organization_name.strip(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    date_text = format_mn_date(document.approved_on) if document.approved_on else ""
    if date_text:
        paragraph(doc, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    title = paragraph(doc, document.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(12)
    if date_text or document.place:
        date_and_place(doc, date_text, document.place)
    paragraph(doc, "")

    _plan_table(doc, document)

    paragraph(doc, "")
    for signature in document.signatures:
        paragraph(doc, f"{signature.label}:", bold=True)
        if signature.title:
            paragraph(doc, signature.title)
        paragraph(doc, signature.name)
        paragraph(doc, "")

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _column_widths(keys: list[str]) -> list[int]:
    fixed = {key: Cm(_FIXED_WIDTHS[key]) for key in keys if key in _FIXED_WIDTHS}
    extras = len(keys) > 4
    goal = Cm(4.0 if extras else 5.0)
    rest = PAGE_WIDTH - 2 * MARGIN - goal - sum(fixed.values())
    shares = {"goal": goal, "measure": int(rest * 0.53), "criteria": rest - int(rest * 0.53)}
    return [int(fixed.get(key) or shares[key]) for key in keys]


def _plan_table(doc: DocxDocument, document: PlanDocument) -> None:
    layout = lay_out_table(document)
    widths = _column_widths(layout.keys)
    table = doc.add_table(rows=2 + len(layout.rows), cols=len(layout.keys))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    rows = table.rows
    for row in rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # each cell, which Word follows

    centered = WD_ALIGN_PARAGRAPH.CENTER
    for index, title in enumerate(layout.titles):
        cell = rows[0].cells[index]
        fill(cell, [title], bold=True, align=centered)
        shade(cell, _HEADER_FILL)
        fill(rows[1].cells[index], [str(index + 1)], align=centered, size=9)
        shade(rows[1].cells[index], _HEADER_FILL)
    # Both rows repeat at the top of every page, as the printed plans do.
    for row in rows[:2]:
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(header)

    for offset, cells in enumerate(layout.rows):
        row_cells = rows[2 + offset].cells
        for index, paragraphs in enumerate(cells):
            if index > 1:  # the goal's cells are filled once merged
                short = layout.keys[index] in _CENTERED
                fill(row_cells[index], paragraphs, align=centered if short else None)
    for first, last in layout.goal_spans:
        for index in (0, 1):
            cell = table.cell(2 + first, index)
            if last > first:
                cell = cell.merge(table.cell(2 + last, index))
            fill(cell, layout.rows[first][index], align=centered if index == 0 else None)
