"""The report as a Word document in the official table layout (A4 landscape).

Above the table: the organization, the title, the period and its dates, the date and place.
The table: Д/д · Зорилго · Арга хэмжээ · Шалгуур үзүүлэлт · (levels) · Хэрэгжилт · Нотломж ·
Үнэлгээ, the goal's cells merged over its measures and its total row, the plan's total at
the end, the two header rows repeated on every page. Below it: a summary sentence, the chart
of implementation per goal, the scale, and the signature blocks.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from shudarga.core.dates import format_mn_date
from shudarga.core.word import (
    MARGIN,
    PAGE_WIDTH,
    clean,
    date_and_place,
    fill,
    no_borders,
    paragraph,
    set_up_landscape_page,
    shade,
)
from shudarga.reports.documents.model import (
    GOAL_TOTAL,
    NATIONAL_CAPTION,
    PLAN_TOTAL,
    REVIEWER_NOTE,
    SHORTFALL,
    DocItem,
    ReportDocument,
    chart_png,
)

_WIDTHS = {  # cm; each set adds up to the width between the margins (27.16 cm)
    False: {"code": 1.0, "goal": 3.2, "measure": 5.0, "criteria": 4.6,
            "implementation": 8.06, "evidence": 3.6, "score": 1.7},
    True: {"code": 1.0, "goal": 2.4, "measure": 4.0, "criteria": 3.6, "baseline": 2.0,
           "target": 2.0, "achieved": 2.0, "implementation": 5.56, "evidence": 2.9,
           "score": 1.7},
}  # fmt: skip
_PARENT_CM = 1.9  # the parent body's score column, taken from the implementation's width
_HEADER_FILL = "D9E2F3"
_TOTAL_FILL = "F2F2F2"
_BODY_PT, _SMALL_PT = 9, 8


def write(document: ReportDocument) -> bytes:
    doc = docx.Document()
    set_up_landscape_page(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if document.national:
        paragraph(doc, NATIONAL_CAPTION, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=9)
    if document.organization:
        paragraph(doc, document.organization.upper(), bold=True, align=center)
    title = paragraph(doc, document.title, bold=True, align=center, size=13)
    title.paragraph_format.space_before = Pt(8)
    paragraph(doc, f"({document.period_label})", align=center)
    paragraph(
        doc,
        f"Тайлант хугацаа: {format_mn_date(document.period_start)} – "
        f"{format_mn_date(document.period_end)}",
        align=center,
        size=10,
    )
    date_and_place(doc, format_mn_date(document.date), document.place)
    paragraph(doc, "")

    if document.national:
        _national_table(doc, document)
    else:
        _report_table(doc, document)

    paragraph(doc, "")
    paragraph(doc, document.summary())
    paragraph(doc, "")
    paragraph(doc, "Зорилго тус бүрийн хэрэгжилт, хувиар", bold=True, align=center)
    picture = doc.add_paragraph()
    picture.alignment = center
    picture.add_run().add_picture(
        io.BytesIO(chart_png([(str(g.number), g.percent) for g in document.goals])),
        width=Cm(16),
    )
    scale = "; ".join(f"{value} — {label}" for value, label in document.scale)
    paragraph(
        doc,
        f"Үнэлгээний түвшин: {scale}; {document.not_due_mark} — {document.not_due_label}.",
        size=10,
    )
    paragraph(doc, "")
    _signatures(doc, document)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _implementation(cell: _Cell, item: DocItem) -> None:
    lines = [line for line in item.implementation.splitlines() if line.strip()]
    fill(cell, lines)
    if item.target_reached is False and item.shortfall_reason:
        p = paragraph(cell, f"{SHORTFALL}: ", bold=True, size=_BODY_PT)
        p.add_run(clean(item.shortfall_reason)).font.size = Pt(_BODY_PT)
    if item.comment:
        p = paragraph(cell, f"{REVIEWER_NOTE}: ", bold=True, italic=True, size=_SMALL_PT)
        run = p.add_run(clean(item.comment))
        run.italic, run.font.size = True, Pt(_SMALL_PT)


def _evidence(cell: _Cell, item: DocItem) -> None:
    lines = []
    for index, e in enumerate(item.evidence_listed, start=1):
        text = e.title if e.title == e.name or not e.name else f"{e.title} ({e.name})"
        lines.append(f"{index}. {text}")
    if item.evidence_more_text:
        lines.append(item.evidence_more_text)
    fill(cell, lines, size=_SMALL_PT)


def _score(cell: _Cell, item: DocItem) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(cell, item.score_mark, bold=True, align=center, size=11, first=True)
    if item.score_label:
        paragraph(cell, item.score_label, align=center, size=7)


def _parent_score(cell: _Cell, document: ReportDocument, item: DocItem) -> None:
    if document.parent is None:
        return
    scored = document.parent.item(item.code)
    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(cell, scored.score_mark if scored else "", bold=True, align=center, size=11,
              first=True)  # fmt: skip
    if scored and scored.score_label:
        paragraph(cell, scored.score_label, align=center, size=7)
    if scored and scored.comment:
        paragraph(cell, clean(scored.comment), italic=True, size=7)


def _widths(document: ReportDocument) -> list[float]:
    widths = dict(_WIDTHS[document.has_levels])
    if document.parent is not None:
        widths["implementation"] -= _PARENT_CM
        widths["parent"] = _PARENT_CM
    return [widths[key] for key in document.columns]


def _report_table(doc: DocxDocument, document: ReportDocument) -> None:
    keys = document.columns
    widths = [Cm(width) for width in _widths(document)]
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
        fill(rows[0].cells[index], [document.column_title(key)], bold=True, align=center)
        shade(rows[0].cells[index], _HEADER_FILL)
        rows[0].cells[index].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        fill(rows[1].cells[index], [str(index + 1)], align=center, size=_SMALL_PT)
        shade(rows[1].cells[index], _HEADER_FILL)
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
            fill(cells[column["measure"]], [f"{item.code}. {item.text}"])
            fill(cells[column["criteria"]], [f"-{c}" for c in item.criteria])
            if document.has_levels:
                for key in ("baseline", "target", "achieved"):
                    fill(cells[column[key]], [getattr(item, key)], align=center)
            _implementation(cells[column["implementation"]], item)
            _evidence(cells[column["evidence"]], item)
            _score(cells[column["score"]], item)
            if document.parent is not None:
                _parent_score(cells[column["parent"]], document, item)
            at += 1
        # The goal's total row: a merged label and the percent.
        label = table.cell(at, column["measure"]).merge(table.cell(at, column["evidence"]))
        fill(label, [GOAL_TOTAL], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        shade(label, _TOTAL_FILL)
        total = table.cell(at, column["score"])
        fill(total, [_percent(goal.percent_text)], bold=True, align=center)
        shade(total, _TOTAL_FILL)
        if document.parent is not None:
            total = table.cell(at, column["parent"])
            fill(total, [_percent(document.parent.goal_percent_text(goal.number))], bold=True,
                 align=center)  # fmt: skip
            shade(total, _TOTAL_FILL)
        for index, text in ((0, str(goal.number)), (1, goal.text)):
            cell = table.cell(first, index).merge(table.cell(at, index))
            fill(cell, [text], align=center if index == 0 else None)
        at += 1
    label = table.cell(at, 0).merge(table.cell(at, column["evidence"]))
    fill(label, [PLAN_TOTAL], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=10)
    shade(label, _HEADER_FILL)
    total = table.cell(at, column["score"])
    fill(total, [_percent(document.percent_text)], bold=True, align=center, size=10)
    shade(total, _HEADER_FILL)
    if document.parent is not None:
        total = table.cell(at, column["parent"])
        fill(total, [_percent(document.parent.percent_text)], bold=True, align=center, size=10)
        shade(total, _HEADER_FILL)


# The national template's widths (cm), adding up to 27.16 with or without the parent column.
_NATIONAL_WIDTHS = {
    True: {"goal": 4.5, "measure": 6.5, "implementation": 10.56, "score": 2.8, "parent": 2.8},
    False: {"goal": 4.5, "measure": 7.0, "implementation": 12.86, "score": 2.8},
}


def _national_table(doc: DocxDocument, document: ReportDocument) -> None:
    """The table of Government resolution 2017/89, annex 3: Зорилт (merged over its
    measures) · Хэрэгжүүлэх арга хэмжээ · Хэрэгжүүлсэн ажил … · Байгууллагын үнэлгээ ·
    <parent body> үнэлгээ; each goal's percent by each scorer, the plan's at the end."""
    keys = document.columns
    with_parent = "parent" in keys
    widths = [Cm(_NATIONAL_WIDTHS[with_parent][key]) for key in keys]
    body_rows = sum(len(goal.items) + 1 for goal in document.goals) + 1
    table = doc.add_table(rows=2 + body_rows, cols=len(keys))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    center = WD_ALIGN_PARAGRAPH.CENTER
    rows = table.rows
    for index, key in enumerate(keys):
        fill(rows[0].cells[index], [document.column_title(key)], bold=True, align=center)
        shade(rows[0].cells[index], _HEADER_FILL)
        rows[0].cells[index].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        fill(rows[1].cells[index], [str(index + 1)], align=center, size=_SMALL_PT)
        shade(rows[1].cells[index], _HEADER_FILL)
    for row in rows[:2]:
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(header)

    column = {key: index for index, key in enumerate(keys)}
    parent = document.parent
    at = 2
    for goal in document.goals:
        first = at
        for item in goal.items:
            cells = rows[at].cells
            fill(cells[column["measure"]], [f"{item.code}. {item.text}"])
            _implementation(cells[column["implementation"]], item)
            _score(cells[column["score"]], item)
            if with_parent:
                _parent_score(cells[column["parent"]], document, item)
            at += 1
        label = table.cell(at, column["measure"]).merge(table.cell(at, column["implementation"]))
        fill(label, [GOAL_TOTAL], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        totals = [("score", goal.percent_text)]
        if with_parent:
            totals.append(("parent", parent.goal_percent_text(goal.number) if parent else "—"))
        for key, text in totals:
            fill(table.cell(at, column[key]), [_percent(text)], bold=True, align=center)
        for cell in (label, *(table.cell(at, column[k]) for k, _t in totals)):
            shade(cell, _TOTAL_FILL)
        goal_cell = table.cell(first, 0).merge(table.cell(at, 0))
        fill(goal_cell, [f"{goal.number}. {goal.text}"])
        at += 1
    label = table.cell(at, 0).merge(table.cell(at, column["implementation"]))
    fill(label, [PLAN_TOTAL], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=10)
    shade(label, _HEADER_FILL)
    totals = [("score", document.percent_text)]
    if with_parent:
        totals.append(("parent", parent.percent_text if parent else "—"))
    for key, text in totals:
        cell = table.cell(at, column[key])
        fill(cell, [_percent(text)], bold=True, align=center, size=10)
        shade(cell, _HEADER_FILL)


def _percent(text: str) -> str:
    return text if text == "—" else f"{text}%"


def _signatures(doc: DocxDocument, document: ReportDocument) -> None:
    """Signature blocks side by side: label, job title, a line to sign on and the name."""
    if not document.signers:
        return
    table = doc.add_table(rows=1, cols=len(document.signers))
    table.autofit = False
    no_borders(table)
    width = (PAGE_WIDTH - 2 * MARGIN) // len(document.signers)
    for cell, signer in zip(table.rows[0].cells, document.signers, strict=True):
        cell.width = width
        paragraph(cell, f"{signer.label}:", bold=True, first=True)
        if signer.title:
            paragraph(cell, signer.title)
        paragraph(cell, "")
        paragraph(cell, f"____________________ {signer.name}".rstrip())
