"""The kinds of file evidence may be, written once: the validators allow exactly these, the
storage names and the pages read their labels and extensions from here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from shudarga.core import filekinds


@dataclass(frozen=True)
class FileType:
    mime: str
    label: str  # lazily translated
    extensions: tuple[str, ...]  # the first is used for storage names
    inline: bool = False  # shown in the page (image preview, PDF viewer) from the inline URL


# The MIME types are those `core.filekinds` sniffs.
PDF = filekinds.PDF
JPEG = filekinds.JPEG
PNG = filekinds.PNG
MP4 = filekinds.MP4
DOCX = filekinds.DOCX
XLSX = filekinds.XLSX

FILE_TYPES: dict[str, FileType] = {
    t.mime: t
    for t in (
        FileType(PDF, _("a PDF document"), (".pdf",), inline=True),
        FileType(JPEG, _("a JPEG image"), (".jpg", ".jpeg"), inline=True),
        FileType(PNG, _("a PNG image"), (".png",), inline=True),
        FileType(MP4, _("an MP4 video"), (".mp4",)),
        FileType(DOCX, _("a Word document (DOCX)"), (".docx",)),
        FileType(XLSX, _("an Excel workbook (XLSX)"), (".xlsx",)),
    )
}

# Short names for the list's "type" column.
SHORT_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", MP4: "MP4", DOCX: "DOCX", XLSX: "XLSX"}

IMAGE_TYPES = frozenset({JPEG, PNG})


def type_label(mime: str) -> str:
    """`a PDF document` for `application/pdf`; the MIME type itself when unknown."""
    file_type = FILE_TYPES.get(mime)
    return str(file_type.label) if file_type else mime


def storage_extension(mime: str) -> str:
    """The extension a stored file of type `mime` gets (`.bin` for anything unknown)."""
    file_type = FILE_TYPES.get(mime)
    return file_type.extensions[0] if file_type else ".bin"
