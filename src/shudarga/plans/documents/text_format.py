"""Tab-separated text, as Word writes a plan when saved as plain text (the seed document)."""

from __future__ import annotations

import csv
import io
import re

from django.utils.translation import gettext as _

from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.source import Source, grid_from_texts


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; PlanImportError for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is not None:
            controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f\v")
            if controls <= max(2, len(text) // 1000):
                return text
    if b"\x00" not in data and _looks_like_windows_cyrillic(data):
        raise PlanImportError(
            _(
                "The text is not in UTF-8: it looks like Windows-1251 (Cyrillic), which has no "
                "Ө and Ү. Save it as UTF-8 (in Word: Save As → Plain Text → Unicode (UTF-8)) "
                "and import that."
            )
        )
    raise PlanImportError(
        _(
            "The file is not a plan document: it is neither UTF-8 text nor a Word (DOCX) or "
            "Excel (XLSX) file."
        )
    )


def _looks_like_windows_cyrillic(data: bytes) -> bool:
    text = data[:20000].decode("cp1251", errors="replace")
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    return len(letters) >= 20 and cyrillic >= 0.6 * len(letters)


def read_source(data: bytes) -> Source:
    """The text as one grid: a line is a row, its tab-separated parts its cells. A line
    without a tab is one cell across the whole table (a title, a heading, a signature).

    Text Excel saves ("Text (Tab delimited)") puts a cell holding line breaks in double
    quotes: such text is read as Excel wrote it, so the cell stays one cell."""
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    rows, first_lines = _excel_rows(text) if _QUOTED_CELL_RE.search(text) else (None, None)
    if rows is None:
        rows = [line.split("\t") for line in text.split("\n")]
        first_lines = list(range(1, len(rows) + 1))
    width = max((len(row) for row in rows), default=1)
    merges = [(r, 0, r, width - 1) for r, row in enumerate(rows) if len(row) == 1 and width > 1]

    def where(index: int) -> str:
        return _("line %(number)s") % {"number": first_lines[index]}

    grid = grid_from_texts(rows, name=_("the text"), where=where, kind="text", merges=merges)
    return Source(blocks=[grid], format="text")


# A cell in double quotes that holds a line break: Excel's way of saving such a cell.
_QUOTED_CELL_RE = re.compile(r'(?:^|\t)"[^"\t]*\n', re.M)


def _excel_rows(text: str) -> tuple[list[list[str]] | None, list[int] | None]:
    """Rows as Excel's tab-delimited text writes them, with the line each starts on; None
    when the quotes do not pair up as Excel writes them."""
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=True)
    rows: list[list[str]] = []
    first_lines: list[int] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            rows.append(row or [""])
            first_lines.append(start)
    except csv.Error:
        return None, None
    return rows, first_lines


def read(data: bytes) -> PlanDocument:
    """The plan in the document, read without any person's choices."""
    from shudarga.plans.documents.interpret import interpret

    return interpret(read_source(data))[0]
