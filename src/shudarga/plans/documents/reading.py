"""Read a plan from bytes: detect the format by content, never by the file name."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shudarga.core import filekinds
from shudarga.plans.documents import docx_format, json_format, text_format, xlsx_format
from shudarga.plans.documents.choices import ImportChoices
from shudarga.plans.documents.interpret import Reading, interpret
from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.source import Source
from shudarga.plans.documents.surroundings import name_untitled

FORMATS = ("text", "docx", "xlsx", "json")


def sniff_format(data: bytes, name: str = "") -> str:
    """`docx`, `xlsx`, `json` or `text`, from the bytes (`core.filekinds`, as every upload
    is checked); PlanImportError for anything else, a zip bomb or a macro included."""
    if not data or not data.strip():
        raise PlanImportError(_("The file is empty."))
    kind = filekinds.sniff_mime(data[: filekinds.HEAD_SIZE])
    if kind == filekinds.PDF:
        raise PlanImportError(
            _(
                "This is a PDF file. Import the plan from its Word (DOCX), Excel (XLSX) or text "
                "version; a PDF does not keep the table's cells."
            )
        )
    if kind == filekinds.OLE:
        raise PlanImportError(
            _(
                "This is an old Word or Excel file (.doc/.xls). Save it as DOCX or XLSX and "
                "import that."
            )
        )
    if kind == filekinds.ZIP:
        try:
            office = filekinds.check_office_zip(
                io.BytesIO(data),
                name=name or _("the file"),
                max_unpacked=settings.PLAN_IMPORT_MAX_UNPACKED_BYTES,
            )
        except ValidationError as exc:
            raise PlanImportError(" ".join(exc.messages)) from None
        if office == filekinds.DOCX:
            return "docx"
        if office == filekinds.XLSX:
            return "xlsx"
        if office == filekinds.ODF:
            raise PlanImportError(
                _(
                    "This is an OpenDocument file (LibreOffice). Save it as DOCX or XLSX and "
                    "import that."
                )
            )
        raise PlanImportError(
            _("This is a ZIP archive, but not a Word (DOCX) or Excel (XLSX) document.")
        )
    text_start = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text_start.startswith((b"{", b"[")):
        return "json"
    return "text"


def read_source(data: bytes, filename: str = "") -> Source | None:
    """The document's paragraphs and tables, or None for interchange JSON (which is the
    plan itself, not a table to understand). Checks size and format first."""
    limit = settings.PLAN_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise PlanImportError(
            _("The file is %(size)s MB; a plan document may be at most %(limit)s MB.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:g}"}
        )
    kind = sniff_format(data, filename)
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
    source = read_source(data, filename)
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
    name_untitled(document)
    try:
        document.validate()
    except PlanImportError as exc:
        described = f" {reading.describe()}" if reading is not None else ""
        raise PlanImportError(f"{exc}{described}", reading=reading) from None
    return document, reading


def read_plan_document(data: bytes, filename: str = "") -> PlanDocument:
    """The plan in `data`, read without any person's choices."""
    return read_plan(data, filename)[0]
