"""The parent body's consolidated report as a Word document and a PDF (issue 18), in
Mongolian: the title, the drafted summary, the table of organizations (rank, both
percents, how the report came, each goal's percent by the parent body) and the measures
most often scored low. The XLSX is `consolidated_xlsx`."""

from __future__ import annotations

import io
from typing import Any

import docx
from django.template.loader import render_to_string
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from shudarga.core.word import fill, paragraph, set_up_landscape_page, shade
from shudarga.reports.documents.consolidated_xlsx import TIMING
from shudarga.reports.documents.pdf import FONT_FAMILY
from shudarga.reports.periods import DOCUMENT_LABELS

_HEADER_FILL = "D9E2F3"


def title(consolidated: Any) -> str:
    ranking = consolidated.ranking
    return (
        f"{ranking.organization.name.upper()}: ХАРЬЯА БАЙГУУЛЛАГУУДЫН {ranking.year} ОНЫ "
        f"АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨНИЙ ХЭРЭГЖИЛТИЙН НЭГТГЭЛ"
    )


def headers(consolidated: Any) -> list[str]:
    return [
        "Байр", "Байгууллага", "Дээд байгууллагын үнэлгээ, %", "Өөрийн үнэлгээ, %",
        "Өмнөх он, %", "Өөрчлөлт", "Тайлан",
        *(f"Зорилго {n}, %" for n in consolidated.goal_numbers),
    ]  # fmt: skip


def rows(consolidated: Any) -> list[list[str]]:
    result = []
    for entry in consolidated.rows:
        row = entry.row
        result.append(
            [
                str(row.rank or "—"),
                row.name,
                row.percent_text,
                row.own_percent_text,
                row.last_percent_text,
                row.change_text,
                TIMING[entry.timing],
                *(entry.goal_text(n) for n in consolidated.goal_numbers),
            ]
        )
    return result


# The heading of the consolidated report where it is an annex of the parent body's own
# plan report (issue 18).
ANNEX_HEADING = "Хавсралт. Харьяа байгууллагуудын тайлангийн нэгтгэл"


def _append(doc: Any, consolidated: Any) -> None:
    """The consolidated report's title, summary, table and low measures, at the end of
    `doc` (a python-docx document)."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(doc, title(consolidated), bold=True, align=center, size=12)
    paragraph(doc, f"({DOCUMENT_LABELS[consolidated.ranking.period]})", align=center)
    paragraph(doc, consolidated.summary(), size=10)
    head = headers(consolidated)
    body = rows(consolidated)
    table = doc.add_table(rows=1 + len(body), cols=len(head))
    table.style = doc.styles["Table Grid"]
    # Rows and their cells read once each: indexing `table.rows` walks the whole table,
    # which made a 3,000-organization report take minutes.
    table_rows = list(table.rows)
    for cell, text in zip(table_rows[0].cells, head, strict=True):
        fill(cell, [text], bold=True, align=center, size=9)
        shade(cell, _HEADER_FILL)
    for row, values in zip(table_rows[1:], body, strict=True):
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            fill(cell, [text], size=9, align=None if index == 1 else center)
    if consolidated.low:
        paragraph(doc, "")
        paragraph(doc, "Олон байгууллагад хангалтгүй үнэлэгдсэн арга хэмжээ", bold=True)
        for measure in consolidated.low:
            p = paragraph(doc, f"{measure.code}. {measure.text} — {measure.count}", size=9)
            p.paragraph_format.space_after = Pt(2)


def write_docx(consolidated: Any) -> bytes:
    doc = docx.Document()
    set_up_landscape_page(doc)
    _append(doc, consolidated)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def annex_docx(report: bytes, consolidated: Any) -> bytes:
    """`report` (a DOCX of the parent body's own report) with the consolidated report of
    its descendants after it, on a new page, as its annex."""
    doc = docx.Document(io.BytesIO(report))
    doc.add_page_break()
    paragraph(doc, ANNEX_HEADING, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=9)
    _append(doc, consolidated)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def html(consolidated: Any, *, annex: bool = False) -> str:
    with translation.override("mn"):
        return render_to_string(
            "reports/consolidated_pdf.html",
            {
                "annex_heading": ANNEX_HEADING if annex else "",
                "title": title(consolidated),
                "period_label": DOCUMENT_LABELS[consolidated.ranking.period],
                "summary": consolidated.summary(),
                "headers": headers(consolidated),
                "rows": rows(consolidated),
                "low": consolidated.low,
                "font_family": FONT_FAMILY,
            },
        )


def write_pdf(consolidated: Any) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(consolidated), base_url=None).write_pdf()


def annex_pdf(report_html: str, consolidated: Any) -> bytes:
    """The PDF of the parent body's own report (`report_html`, `pdf.html` of it) with the
    consolidated report of its descendants after it, as its annex: the pages of both."""
    from weasyprint import HTML

    report = HTML(string=report_html, base_url=None).render()
    annex = HTML(string=html(consolidated, annex=True), base_url=None).render()
    return report.copy([*report.pages, *annex.pages]).write_pdf()
