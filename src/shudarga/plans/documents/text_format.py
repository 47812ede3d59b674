"""Tab-separated text, as Word writes a plan when saved as plain text (the seed document)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.tabular import (
    RawDocument,
    RawLine,
    RawRow,
    find_columns,
    interpret,
    is_signature_label,
)


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
    raise PlanImportError(
        _(
            "The file is not a plan document: it is neither UTF-8 text nor a Word (DOCX) or "
            "Excel (XLSX) file."
        )
    )


def read(data: bytes) -> PlanDocument:
    lines = decode(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_index = None
    for index, line in enumerate(lines):
        if "\t" in line and find_columns(line.split("\t")) is not None:
            header_index = index
            break
    if header_index is None:
        raise PlanImportError(
            _(
                "No plan table found: no line has the column headers “Д/д”, “Зорилго”, "
                "“Хэрэгжүүлэх арга хэмжээ” and “Гүйцэтгэлийн шалгуур үзүүлэлт” separated by tabs."
            )
        )

    def where(index: int) -> str:
        return _("line %(number)s") % {"number": index + 1}

    before = [RawLine(lines[i], where(i)) for i in range(header_index)]
    rows: list[RawRow] = []
    after: list[RawLine] = []
    for index in range(header_index + 1, len(lines)):
        line = lines[index]
        if after or ("\t" not in line and is_signature_label(line.strip())):
            after.append(RawLine(line, where(index)))
        elif line.strip():
            rows.append(RawRow(line.split("\t"), where(index)))
    header = RawRow(lines[header_index].split("\t"), where(header_index))
    return interpret(RawDocument(before=before, header=header, rows=rows, after=after))
