"""Read a plan from bytes: detect the format by content, never by the file name."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from shudarga.plans.documents import docx_format, json_format, text_format, xlsx_format
from shudarga.plans.documents.choices import ImportChoices
from shudarga.plans.documents.interpret import Reading, interpret
from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.source import Source

FORMATS = ("text", "docx", "xlsx", "json")


def sniff_format(data: bytes) -> str:
    """`docx`, `xlsx`, `json` or `text`, from the bytes; PlanImportError for anything else."""
    if not data or not data.strip():
        raise PlanImportError(_("The file is empty."))
    if data.startswith(b"%PDF"):
        raise PlanImportError(
            _(
                "This is a PDF file. Import the plan from its Word (DOCX), Excel (XLSX) or text "
                "version; a PDF does not keep the table's cells."
            )
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanImportError(
            _(
                "This is an old Word or Excel file (.doc/.xls). Save it as DOCX or XLSX and "
                "import that."
            )
        )
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise PlanImportError(
                _("The file looks like a DOCX or XLSX but is damaged and cannot be opened.")
            ) from None
        if unpacked > settings.PLAN_IMPORT_MAX_UNPACKED_BYTES:
            raise PlanImportError(
                _("The document unpacks to %(size)s MB, more than the %(limit)s MB allowed.")
                % {
                    "size": f"{unpacked / 1024 / 1024:.1f}",
                    "limit": settings.PLAN_IMPORT_MAX_UNPACKED_BYTES // 1024 // 1024,
                }
            )
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise PlanImportError(
            _("This is a ZIP archive, but not a Word (DOCX) or Excel (XLSX) document.")
        )
    text_start = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text_start.startswith((b"{", b"[")):
        return "json"
    return "text"


def read_source(data: bytes) -> Source | None:
    """The document's paragraphs and tables, or None for interchange JSON (which is the
    plan itself, not a table to understand). Checks size and format first."""
    limit = settings.PLAN_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise PlanImportError(
            _("The file is %(size)s MB; a plan document may be at most %(limit)s MB.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:g}"}
        )
    kind = sniff_format(data)
    if kind == "docx":
        return docx_format.read_source(data)
    if kind == "xlsx":
        return xlsx_format.read_source(data)
    if kind == "json":
        return None
    return text_format.read_source(data)


def read_plan(
    data: bytes,
    filename: str = "",
    *,
    choices: ImportChoices | None = None,
    layout: ImportChoices | None = None,
) -> tuple[PlanDocument, Reading | None]:
    """The plan in `data` (tab text, DOCX, XLSX or interchange JSON) and how its table was
    read (None for JSON), with a person's `choices` over the organization's `layout`.

    Raises PlanImportError with a message naming the line, row or cell at fault and what
    was understood; its `reading` is set when the table was found.
    """
    source = read_source(data)
    if source is None:
        return json_format.read(data), None
    return interpret(source, choices=choices, layout=layout)


def read_valid_plan(
    data: bytes,
    filename: str = "",
    *,
    choices: ImportChoices | None = None,
    layout: ImportChoices | None = None,
    year: int | None = None,
) -> tuple[PlanDocument, Reading | None]:
    """`read_plan`, the year given where the document lacks it, then checked as a plan;
    a refusal of the check also says what was understood of the table."""
    document, reading = read_plan(data, filename, choices=choices, layout=layout)
    if document.year is None and year:
        document.year = year
    try:
        document.validate()
    except PlanImportError as exc:
        described = f" {reading.describe()}" if reading is not None else ""
        raise PlanImportError(f"{exc}{described}", reading=reading) from None
    return document, reading


def read_plan_document(data: bytes, filename: str = "") -> PlanDocument:
    """The plan in `data`, read without any person's choices."""
    return read_plan(data, filename)[0]
