"""Word (DOCX) building blocks shared by every official document Shudarga writes: an A4
landscape page whose fonts carry Cyrillic (Ө ө Ү ү), page numbers, shaded cells, and text
cleaned of characters Word refuses."""

from __future__ import annotations

import re

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"  # has Cyrillic (Ө, Ү) in Word, LibreOffice and on every desktop
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(29.7), Cm(21.0), Cm(1.27)
_NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # Word would not open these


def clean(text: str) -> str:
    """`text` without the control characters XML cannot hold."""
    return _NOT_XML_RE.sub("", text)


def set_up_landscape_page(doc: DocxDocument) -> None:
    """A4 landscape, narrow margins, FONT for every script, no paragraph spacing, page
    numbers in the footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    # The default template names theme fonts (Calibri/Cambria) that win over a style's font
    # in Word: name the font for every script instead, and drop the 10 pt spacing.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.element.rPr.rFonts.set(qn("w:cs"), FONT)
    page_number_footer(section)


def page_number_footer(section: Section) -> None:
    """A centred PAGE field in the section's footer."""
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


def paragraph(
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
    result = container.paragraphs[0] if first else container.add_paragraph()
    if align is not None:
        result.alignment = align
    if text:
        run = result.add_run(clean(text))
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    return result


def fill(
    cell: _Cell,
    paragraphs: list[str],
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: float = 10,
) -> None:
    """Write `paragraphs` into an empty cell, one Word paragraph each."""
    for index, text in enumerate(paragraphs or [""]):
        paragraph(cell, text, bold=bold, align=align, size=size, first=index == 0)


def no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def date_and_place(doc: DocxDocument, date_text: str, place: str, *, size: float = 10) -> None:
    """Date on the left, place on the right of one line, as official letters put them: a
    borderless two-cell table, so each stays its own line for a reader of the file."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    no_borders(table)
    width = (PAGE_WIDTH - 2 * MARGIN) // 2
    left, right = table.rows[0].cells
    for cell, text, align in (
        (left, date_text, WD_ALIGN_PARAGRAPH.LEFT),
        (right, place, WD_ALIGN_PARAGRAPH.RIGHT),
    ):
        cell.width = width
        paragraph(cell, text, align=align, size=size, first=True)


def shade(cell: _Cell, fill_color: str) -> None:
    """Give `cell` a solid background `fill_color` (hex RGB)."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill_color)
    cell._tc.get_or_add_tcPr().insert_element_before(
        shading,
        *("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"),
        *("w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange"),
    )
