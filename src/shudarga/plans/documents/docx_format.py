"""Word (DOCX) plans: paragraphs and tables in document order, for the table interpreter.

Reading keeps the merged cells: a horizontally merged cell (`gridSpan`) and a vertically
merged one (`vMerge`) become one merged area whose text is its first cell's, as the page
shows it. Word's automatic numbering and bullets (`numbering.xml`) are written in front of
their paragraphs, as Word draws them. Content controls and custom XML wrapping paragraphs,
rows or cells are looked through; a table nested in a cell is not part of that cell.

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
from shudarga.plans.documents.source import Cell, Grid, Line, Source
from shudarga.plans.documents.tabular import lay_out_table
from shudarga.plans.documents.wordnum import BULLET, SYMBOL_BULLETS, Numbering

_P, _T, _TAB, _BR, _CR = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_TBL, _TR, _TC = qn("w:tbl"), qn("w:tr"), qn("w:tc")
_SYM, _NB_HYPHEN = qn("w:sym"), qn("w:noBreakHyphen")
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
_W_VAL = qn("w:val")


def _children(element, tags: set[str]):
    """Child elements with one of `tags`, looking through content controls and custom XML."""
    for child in element.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def _paragraph_text(p, labels: dict) -> str:
    parts = []
    label = labels.get(p, "")
    if label:
        parts.append(label + " ")
    for node in p.iter():
        if node.tag == _T and node.text:
            parts.append("".join(BULLET if ch in SYMBOL_BULLETS else ch for ch in node.text))
        elif node.tag == _TAB:
            parts.append(" ")
        elif node.tag in (_BR, _CR):
            parts.append("\n")
        elif node.tag == _NB_HYPHEN:
            parts.append("-")
        elif node.tag == _SYM:
            char = (node.get(qn("w:char")) or "").lower()
            parts.append(BULLET if char in {"f0b7", "f0a7", "f076", "f0d8", "f0fc", "f0a8"} else "")
    return "".join(parts)


def _cell_text(tc, labels: dict) -> str:
    # Direct paragraphs only: a table nested in a cell is not part of this cell's text.
    return "\n".join(_paragraph_text(p, labels) for p in _children(tc, {_P}))


def _tc_property(tc, tag: str):
    tc_pr = tc.find(qn("w:tcPr"))
    return tc_pr.find(qn(tag)) if tc_pr is not None else None


def _grid(tbl, labels: dict, number: int) -> Grid:
    rows: list[list[Cell]] = []
    for r, tr in enumerate(_children(tbl, {_TR})):
        row: list[Cell] = []
        tr_pr = tr.find(qn("w:trPr"))
        before = tr_pr.find(qn("w:gridBefore")) if tr_pr is not None else None
        for _index in range(int(before.get(_W_VAL, "0")) if before is not None else 0):
            row.append(Cell("", (r, len(row))))
        for tc in _children(tr, {_TC}):
            span_element = _tc_property(tc, "w:gridSpan")
            span = max(1, int(span_element.get(_W_VAL, "1"))) if span_element is not None else 1
            vmerge = _tc_property(tc, "w:vMerge")
            column = len(row)
            continues = vmerge is not None and vmerge.get(_W_VAL, "continue") != "restart"
            if continues and rows and column < len(rows[-1]):
                origin, text = rows[-1][column].origin, ""
            else:
                origin, text = (r, column), _cell_text(tc, labels)
            row.append(Cell(text, origin))
            row.extend(Cell("", origin) for _index in range(span - 1))
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    for r, row in enumerate(rows):
        row.extend(Cell("", (r, c)) for c in range(len(row), width))

    def where(index: int) -> str:
        return _("table %(table)s, row %(row)s") % {"table": number, "row": index + 1}

    return Grid(rows=rows, name=_("table %(number)s") % {"number": number}, where=where)


def read_source(data: bytes) -> Source:
    """The document's paragraphs and tables in order, numbering labels written in."""
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = document.part.numbering_part.element
        styles = document.styles.element
    except (zipfile.BadZipFile, KeyError, ValueError, ParseError, Exception) as exc:
        raise PlanImportError(
            _("The Word document cannot be opened: %(error)s") % {"error": exc.__class__.__name__}
        ) from None
    replay = Numbering(numbering, styles)
    # Keyed by the elements themselves, which keeps lxml's proxies alive: the walk below
    # meets the same objects again.
    labels = {p: label for p in body.iter(_P) if (label := replay.label(p))}
    source = Source(format="docx")
    paragraphs = tables = 0
    for element in _children(body, {_P, _TBL}):
        if element.tag == _P:
            paragraphs += 1
            where = _("paragraph %(number)s") % {"number": paragraphs}
            source.blocks.extend(
                Line(line, where) for line in _paragraph_text(element, labels).split("\n")
            )
        else:
            tables += 1
            source.blocks.append(_grid(element, labels, tables))
    return source


def read(data: bytes) -> PlanDocument:
    """The plan in the document, read without any person's choices."""
    from shudarga.plans.documents.interpret import interpret

    return interpret(read_source(data))[0]


# -- writing ----------------------------------------------------------------------------

# Column widths in cm; the measure and criteria columns share what the others leave.
_FIXED_WIDTHS = {
    "code": 1.1, "due": 2.4, "responsible": 3.2, "baseline": 2.3, "target": 2.3,
    "expected_result": 3.6, "activity": 3.6,
}  # fmt: skip
_OTHER_WIDTH = 2.6  # a column the plan has beyond the official ones
_HEADER_FILL = "D9E2F3"
_CENTERED = {"due", "baseline", "target"}  # short values: a date, a number, a percentage


def write(document: PlanDocument, *, organization_name: str = "") -> bytes:
    """The plan as a Word document in the official layout; `read` gives the same plan back.

    Above the table: the annex line of the approving order and the approval block (right),
    the organization (if given), the approval date, the title, the date and place; below
    it, one block per other signature (`ХЯНАСАН:`, title, name).
    """
    doc = docx.Document()
    set_up_landscape_page(doc)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    approvals, others = document.approvals, document.other_signatures

    if document.basis:
        paragraph(doc, document.basis, align=right, size=10)
        paragraph(doc, "")
    for signature in approvals:
        _signature(doc, signature, align=right)
    if organization_name.strip():
        paragraph(doc, organization_name.strip(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph(doc, "")
    date_text = format_mn_date(document.approved_on) if document.approved_on else ""
    if date_text:
        paragraph(doc, date_text, align=right)
    title = paragraph(doc, document.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(12)
    if date_text or document.place:
        date_and_place(doc, date_text, document.place)
    paragraph(doc, "")

    _plan_table(doc, document)

    paragraph(doc, "")
    for signature in others:
        _signature(doc, signature)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _signature(doc: DocxDocument, signature, *, align=None) -> None:
    paragraph(doc, f"{signature.label}:", bold=True, align=align)
    if signature.title:
        paragraph(doc, signature.title, align=align)
    paragraph(doc, signature.name, align=align)
    paragraph(doc, "")


def _column_widths(keys: list[str]) -> list[int]:
    fixed = {
        key: Cm(_FIXED_WIDTHS.get(key, _OTHER_WIDTH))
        for key in keys
        if key not in ("goal", "measure", "criteria")
    }
    extras = len(keys) > 4
    goal = Cm(4.0 if extras else 5.0)
    rest = max(PAGE_WIDTH - 2 * MARGIN - goal - sum(fixed.values()), Cm(6))
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

    merged = {0, 1} | (
        {layout.index("activity")} if layout.index("activity") is not None else set()
    )
    for offset, cells in enumerate(layout.rows):
        if offset in layout.heading_rows:
            cell = table.cell(2 + offset, 0).merge(table.cell(2 + offset, len(layout.keys) - 1))
            fill(cell, cells[0], bold=True)
            continue
        row_cells = rows[2 + offset].cells
        for index, paragraphs in enumerate(cells):
            if index not in merged:  # the goal's and activity's cells are filled once merged
                short = layout.keys[index] in _CENTERED
                fill(row_cells[index], paragraphs, align=centered if short else None)
    spans = [(span, index) for span in layout.goal_spans for index in (0, 1)]
    if (activity := layout.index("activity")) is not None:
        spans += [(span, activity) for span in layout.activity_spans]
    for (first, last), index in spans:
        cell = table.cell(2 + first, index)
        if last > first:
            cell = cell.merge(table.cell(2 + last, index))
        fill(cell, layout.rows[first][index], align=centered if index == 0 else None)
