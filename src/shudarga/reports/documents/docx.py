"""The report as a Word document in the official table layout (A4 landscape).

Above the table: the organization, the title, the period and its dates, the date and place.
The table: Д/д · Зорилго · Арга хэмжээ · Шалгуур үзүүлэлт · (levels) · Хэрэгжилт · Нотломж ·
Үнэлгээ, the goal's cells merged over its measures and its total row, the plan's total at
the end, the two header rows repeated on every page. Below it: a summary sentence, the chart
of implementation per goal, the scale, and the signature blocks.
"""

from __future__ import annotations

import io
import re

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from shudarga.core.dates import format_mn_date
from shudarga.reports.documents import chart
from shudarga.reports.documents.model import (
    COLUMNS,
    GOAL_TOTAL,
    PLAN_TOTAL,
    REVIEWER_NOTE,
    SHORTFALL,
    DocItem,
    ReportDocument,
)

_FONT = "Times New Roman"  # has Cyrillic (Ө, Ү) in Word, LibreOffice and on every desktop
_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = Cm(29.7), Cm(21.0), Cm(1.27)
_WIDTHS = {  # cm; each set adds up to the width between the margins (27.16 cm)
    False: {"code": 1.0, "goal": 3.2, "measure": 5.0, "criteria": 4.6,
            "implementation": 8.06, "evidence": 3.6, "score": 1.7},
    True: {"code": 1.0, "goal": 2.4, "measure": 4.0, "criteria": 3.6, "baseline": 2.0,
           "target": 2.0, "achieved": 2.0, "implementation": 5.56, "evidence": 2.9,
           "score": 1.7},
}  # fmt: skip
_HEADER_FILL = "D9E2F3"
_TOTAL_FILL = "F2F2F2"
_BODY_PT, _SMALL_PT = 9, 8
_NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # Word would not open these


def write(document: ReportDocument) -> bytes:
    doc = docx.Document()
    _set_up_page(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if document.organization:
        _paragraph(doc, document.organization.upper(), bold=True, align=center)
    title = _paragraph(doc, document.title, bold=True, align=center, size=13)
    title.paragraph_format.space_before = Pt(8)
    _paragraph(doc, f"({document.period_label})", align=center)
    _paragraph(
        doc,
        f"Тайлант хугацаа: {format_mn_date(document.period_start)} – "
        f"{format_mn_date(document.period_end)}",
        align=center,
        size=10,
    )
    _date_and_place(doc, format_mn_date(document.date), document.place)
    _paragraph(doc, "")

    _report_table(doc, document)

    _paragraph(doc, "")
    _paragraph(doc, document.summary())
    _paragraph(doc, "")
    _paragraph(doc, "Зорилго тус бүрийн хэрэгжилт, хувиар", bold=True, align=center)
    picture = doc.add_paragraph()
    picture.alignment = center
    picture.add_run().add_picture(
        io.BytesIO(chart.png([(str(g.number), g.percent) for g in document.goals])),
        width=Cm(16),
    )
    scale = "; ".join(f"{value} — {label}" for value, label in document.scale)
    _paragraph(
        doc,
        f"Үнэлгээний түвшин: {scale}; {document.not_due_mark} — {document.not_due_label}.",
        size=10,
    )
    _paragraph(doc, "")
    _signatures(doc, document)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_up_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
    section.left_margin = section.right_margin = _MARGIN
    section.top_margin = section.bottom_margin = _MARGIN
    # The default template names theme fonts (Calibri/Cambria) that win over a style's font
    # in Word: name the font for every script instead, and drop the 10 pt spacing.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), _FONT)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), _FONT)
    normal.element.rPr.rFonts.set(qn("w:cs"), _FONT)
    _page_number_footer(section)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for tag, attrs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {"xml:space": "preserve"}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        element = OxmlElement(tag)
        for name, value in attrs.items():
            element.set(qn(name), value)
        if tag == "w:instrText":
            element.text = " PAGE "
        run._r.append(element)


def _clean(text: str) -> str:
    return _NOT_XML_RE.sub("", text)


def _paragraph(
    container: DocxDocument | _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: float | None = None,
    first: bool = False,
) -> Paragraph:
    """A paragraph in a document or a cell; `first` writes into a cell's empty paragraph."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(_clean(text))
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    return paragraph


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _date_and_place(doc: DocxDocument, date_text: str, place: str) -> None:
    """Date on the left, place on the right of one line, as official letters put them."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    width = (_PAGE_WIDTH - 2 * _MARGIN) // 2
    left, right = table.rows[0].cells
    for cell, text, align in (
        (left, date_text, WD_ALIGN_PARAGRAPH.LEFT),
        (right, place, WD_ALIGN_PARAGRAPH.RIGHT),
    ):
        cell.width = width
        _paragraph(cell, text, align=align, size=10, first=True)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(
        shading,
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
    )  # fmt: skip


def _fill(
    cell: _Cell,
    paragraphs: list[str],
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: float = _BODY_PT,
) -> None:
    """Write `paragraphs` into an empty cell, one Word paragraph each."""
    for index, text in enumerate(paragraphs or [""]):
        _paragraph(cell, text, bold=bold, align=align, size=size, first=index == 0)


def _implementation(cell: _Cell, item: DocItem) -> None:
    lines = [line for line in item.implementation.splitlines() if line.strip()]
    _fill(cell, lines)
    if item.target_reached is False and item.shortfall_reason:
        p = _paragraph(cell, f"{SHORTFALL}: ", bold=True, size=_BODY_PT)
        p.add_run(_clean(item.shortfall_reason)).font.size = Pt(_BODY_PT)
    if item.comment:
        p = _paragraph(cell, f"{REVIEWER_NOTE}: ", bold=True, italic=True, size=_SMALL_PT)
        run = p.add_run(_clean(item.comment))
        run.italic, run.font.size = True, Pt(_SMALL_PT)


def _evidence(cell: _Cell, item: DocItem) -> None:
    lines = []
    for index, e in enumerate(item.evidence, start=1):
        text = e.title if e.title == e.name or not e.name else f"{e.title} ({e.name})"
        lines.append(f"{index}. {text}")
    _fill(cell, lines, size=_SMALL_PT)


def _score(cell: _Cell, item: DocItem) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(cell, item.score_mark, bold=True, align=center, size=11, first=True)
    if item.score_label:
        _paragraph(cell, item.score_label, align=center, size=7)


def _report_table(doc: DocxDocument, document: ReportDocument) -> None:
    keys = document.columns
    widths = [Cm(_WIDTHS[document.has_levels][key]) for key in keys]
    body_rows = sum(len(goal.items) + 1 for goal in document.goals) + 1
    table = doc.add_table(rows=2 + body_rows, cols=len(keys))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # each cell, which Word follows

    center = WD_ALIGN_PARAGRAPH.CENTER
    rows = table.rows
    for index, key in enumerate(keys):
        _fill(rows[0].cells[index], [COLUMNS[key]], bold=True, align=center)
        _shade(rows[0].cells[index], _HEADER_FILL)
        rows[0].cells[index].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill(rows[1].cells[index], [str(index + 1)], align=center, size=_SMALL_PT)
        _shade(rows[1].cells[index], _HEADER_FILL)
    for row in rows[:2]:  # both repeat at the top of every page, as printed reports do
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(header)

    column = {key: index for index, key in enumerate(keys)}
    at = 2
    for goal in document.goals:
        first = at
        for item in goal.items:
            cells = rows[at].cells
            _fill(cells[column["measure"]], [f"{item.code}. {item.text}"])
            _fill(cells[column["criteria"]], [f"-{c}" for c in item.criteria])
            if document.has_levels:
                for key in ("baseline", "target", "achieved"):
                    _fill(cells[column[key]], [getattr(item, key)], align=center)
            _implementation(cells[column["implementation"]], item)
            _evidence(cells[column["evidence"]], item)
            _score(cells[column["score"]], item)
            at += 1
        # The goal's total row: a merged label and the percent.
        label = table.cell(at, column["measure"]).merge(table.cell(at, column["evidence"]))
        _fill(label, [GOAL_TOTAL], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _shade(label, _TOTAL_FILL)
        total = table.cell(at, column["score"])
        _fill(total, [_percent(goal.percent_text)], bold=True, align=center)
        _shade(total, _TOTAL_FILL)
        for index, text in ((0, str(goal.number)), (1, goal.text)):
            cell = table.cell(first, index).merge(table.cell(at, index))
            _fill(cell, [text], align=center if index == 0 else None)
        at += 1
    label = table.cell(at, 0).merge(table.cell(at, column["evidence"]))
    _fill(label, [PLAN_TOTAL], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=10)
    _shade(label, _HEADER_FILL)
    total = table.cell(at, column["score"])
    _fill(total, [_percent(document.percent_text)], bold=True, align=center, size=10)
    _shade(total, _HEADER_FILL)


def _percent(text: str) -> str:
    return text if text == "—" else f"{text}%"


def _signatures(doc: DocxDocument, document: ReportDocument) -> None:
    """Signature blocks side by side: label, job title, a line to sign on and the name."""
    if not document.signers:
        return
    table = doc.add_table(rows=1, cols=len(document.signers))
    table.autofit = False
    _no_borders(table)
    width = (_PAGE_WIDTH - 2 * _MARGIN) // len(document.signers)
    for cell, signer in zip(table.rows[0].cells, document.signers, strict=True):
        cell.width = width
        _paragraph(cell, f"{signer.label}:", bold=True, first=True)
        if signer.title:
            _paragraph(cell, signer.title)
        _paragraph(cell, "")
        _paragraph(cell, f"____________________ {signer.name}".rstrip())
