"""The parent body's consolidated report as a Word document and a PDF (issue 18), in
Mongolian: the title, the drafted summary, the table of organizations (rank, both
percents, how the report came, each goal's percent by the parent body) and the measures
most often scored low. The XLSX is `consolidated_xlsx`."""

from __future__ import annotations

import io
import textwrap
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import docx
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from shudarga.core.word import clean, fill, paragraph, set_up_landscape_page, shade
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
    table = doc.add_table(rows=1, cols=len(head))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        fill(cell, [text], bold=True, align=center, size=9)
        shade(cell, _HEADER_FILL)
    _append_rows(table, body, size=9, left={1})
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


# -- the PDF ------------------------------------------------------------------------------
# Thousands of organizations: WeasyPrint lays out a table cell in about the time of a line
# of text, so twelve cells a row made 3,000 organizations take 40 s. The PDF prints each
# organization as ONE line of monospaced text, its columns padded to fixed widths and ruled
# with "│"; above them the column titles are a real table whose columns are exactly those
# widths, repeated on every page. Every other organization is shaded, a line is drawn under
# each `ROWS_PER_BLOCK`. A name too long for its column goes on under itself.

MONO_FONT = "DejaVu Sans Mono"
MONO_PT = 7.0
MONO_ADVANCE = 0.6021  # DejaVu Sans Mono: every glyph is 1233/2048 em wide
TABLE_PT = 773.0  # A4 landscape less 12 mm margins: 273 mm
ROWS_PER_BLOCK = 5
_PADDING = 3  # characters a column adds to its values: the rule and a space either side
_NAME_MIN = 24


def _widths(consolidated: Any, body: list[list[str]]) -> tuple[list[int], float]:
    """Characters of each column's values: the longest value (at least what the title needs
    not to be cut mid-word), the name at most the rest of the line; and the font size, below
    `MONO_PT` only when so many goals leave the name too little room at that size."""
    minimum = [4, 0, 10, 9, 9, 8, max(len(t) for t in TIMING.values())]
    minimum += [6] * len(consolidated.goal_numbers)
    widths = [max([minimum[i], *(len(values[i]) for values in body)]) for i in range(len(minimum))]
    fixed = sum(widths) - widths[1] + _PADDING * len(widths) + 1  # all but the name
    size = min(MONO_PT, TABLE_PT / ((fixed + _NAME_MIN) * MONO_ADVANCE))
    room = max(_NAME_MIN, int(TABLE_PT / (size * MONO_ADVANCE)) - fixed)
    # No wider than the longest name: padding is drawn glyph by glyph, and a name reads
    # better near its figures.
    widths[1] = min(room, max(_NAME_MIN, widths[1]))
    return widths, size


def _line(values: list[str], widths: list[int]) -> str:
    cells = [
        value.ljust(width) if index in (1, 6) else value.rjust(width)
        for index, (value, width) in enumerate(zip(values, widths, strict=True))
    ]
    return "│ " + " │ ".join(cells) + " │"


def _row_lines(values: list[str], widths: list[int]) -> str:
    names = textwrap.wrap(values[1], widths[1], break_on_hyphens=False) or [""]
    lines = [_line([values[0], names[0], *values[2:]], widths)]
    lines += [_line(["", name, *[""] * (len(values) - 2)], widths) for name in names[1:]]
    return "\n".join(lines)


def _table_body(body: list[list[str]], widths: list[int]) -> list[str]:
    """The organizations' lines as HTML, `ROWS_PER_BLOCK` organizations a block."""
    blocks = []
    for start in range(0, len(body), ROWS_PER_BLOCK):
        lines = []
        for offset, values in enumerate(body[start : start + ROWS_PER_BLOCK]):
            text = escape(_row_lines(values, widths))
            lines.append(f'<span class="z">{text}</span>' if (start + offset) % 2 else text)
        blocks.append("\n".join(lines))
    return blocks


def _append_rows(table: Any, body: list[list[str]], *, size: float, left: set[int]) -> None:
    """`body` as rows of `table`, each cell one paragraph of one run of `size` points,
    centred but for the columns in `left`: the XML `fill` writes, put together as text and
    parsed once (python-docx, cell by cell, took seconds for 3,000 organizations)."""
    widths = [cell.width for cell in table.rows[0].cells]
    half_points = round(size * 2)
    centre = '<w:pPr><w:jc w:val="center"/></w:pPr>'
    parts = []
    for values in body:
        parts.append("<w:tr>")
        for index, (text, width) in enumerate(zip(values, widths, strict=True)):
            text = clean(text)
            space = ' xml:space="preserve"' if text != text.strip() else ""
            run = (
                f'<w:r><w:rPr><w:sz w:val="{half_points}"/></w:rPr>'
                f"<w:t{space}>{xml_escape(text)}</w:t></w:r>"
                if text
                else ""
            )
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width.twips}"/></w:tcPr>'
                f"<w:p>{'' if index in left else centre}{run}</w:p></w:tc>"
            )
        parts.append("</w:tr>")
    rows_xml = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(parts)}</w:tbl>")
    table._tbl.extend(list(rows_xml))


def html(consolidated: Any, *, annex: bool = False) -> str:
    body = rows(consolidated)
    widths, size = _widths(consolidated, body)
    char = size * MONO_ADVANCE
    with translation.override("mn"):
        return render_to_string(
            "reports/consolidated_pdf.html",
            {
                "annex_heading": ANNEX_HEADING if annex else "",
                "title": title(consolidated),
                "period_label": DOCUMENT_LABELS[consolidated.ranking.period],
                "summary": consolidated.summary(),
                "headers": headers(consolidated),
                "columns": [f"{(width + _PADDING) * char:.3f}" for width in widths],
                "table_width": f"{sum(w + _PADDING for w in widths) * char:.3f}",
                "half_char": f"{char / 2:.3f}",
                "blocks": [mark_safe(b) for b in _table_body(body, widths)],  # noqa: S308 - escaped
                "low": consolidated.low,
                "font_family": FONT_FAMILY,
                "mono_font": MONO_FONT,
                "mono_pt": f"{size:.3f}",
                "head_pt": f"{size * 6.5 / MONO_PT:.3f}",  # the titles shrink with the lines
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
