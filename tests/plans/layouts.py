"""Builders for plan tables laid out the ways real plans are: Word tables with merged
cells and Word's own list numbering, Excel sheets with or without merged cells, tab text.

A table is given as rows of cell texts; `merges` are (first row, first column, last row,
last column) areas, written as Word and Excel merge them. A cell text may hold several
paragraphs separated by "\n"; a paragraph "{list:LEVEL}text" is numbered by Word's list
(see `numbered_docx`).
"""

from __future__ import annotations

import io
import re

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_LIST_RE = re.compile(r"^\{(list|bullet):(\d)\}")


def _fill(cell, text: str, num_id: int | None, bullet_id: int | None) -> None:
    paragraphs = text.split("\n") if text else [""]
    cell.paragraphs[0].text = ""
    for index, line in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        match = _LIST_RE.match(line)
        if match:
            line = line[match.end() :]
            _number(paragraph, num_id if match[1] == "list" else bullet_id, int(match[2]))
        paragraph.add_run(line)


def _number(paragraph, num_id: int | None, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(num)
    ppr.append(numpr)


def _add_lists(document) -> tuple[int, int]:
    """A multi-level decimal list ("1.", "1.1.", "1.1.1.") and a bullet list."""
    numbering = document.part.numbering_part.element

    def abstract(abstract_id: int, levels: list[tuple[str, str]]) -> None:
        element = OxmlElement("w:abstractNum")
        element.set(qn("w:abstractNumId"), str(abstract_id))
        for ilvl, (fmt, text) in enumerate(levels):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(ilvl))
            for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
                child = OxmlElement(tag)
                child.set(qn("w:val"), value)
                lvl.append(child)
            element.append(lvl)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)

    def num(num_id: int, abstract_id: int) -> None:
        element = OxmlElement("w:num")
        element.set(qn("w:numId"), str(num_id))
        child = OxmlElement("w:abstractNumId")
        child.set(qn("w:val"), str(abstract_id))
        element.append(child)
        numbering.append(element)

    abstract(901, [("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3.")])
    abstract(902, [("bullet", "\uf0b7")])
    num(901, 901)
    num(902, 902)
    return 901, 902


def docx_bytes(
    *,
    before: list[str] = (),  # type: ignore[assignment]
    tables: list[tuple[list[list[str]], list[tuple[int, int, int, int]]]],
    between: list[list[str]] | None = None,
    after: list[str] = (),  # type: ignore[assignment]
) -> bytes:
    """A Word document: paragraphs `before`, the tables (each rows + merges) with the
    paragraphs `between[i]` after table i, then paragraphs `after`."""
    document = docx.Document()
    num_id, bullet_id = _add_lists(document)
    for line in before:
        document.add_paragraph(line)
    for index, (rows, merges) in enumerate(tables):
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        table.style = document.styles["Table Grid"]
        covered = set()
        for r1, c1, r2, c2 in merges:
            table.cell(r1, c1).merge(table.cell(r2, c2))
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
        for r, texts in enumerate(rows):
            for c in range(width):
                if (r, c) in covered:
                    continue
                text = texts[c] if c < len(texts) else ""
                _fill(table.cell(r, c), text, num_id, bullet_id)
        for line in (between or [])[index] if between and index < len(between) else []:
            document.add_paragraph(line)
    for line in after:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(
    sheets: list[tuple[str, list[list[object]], list[tuple[int, int, int, int]]]],
) -> bytes:
    """A workbook: each sheet (title, rows, merges as 0-based areas)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows, merges in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
        for r1, c1, r2, c2 in merges:
            sheet.merge_cells(
                start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def tsv_bytes(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8")
