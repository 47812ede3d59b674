"""Report downloads: one place that knows each format's bytes, type and file name."""

from __future__ import annotations

from dataclasses import dataclass

from shudarga.reports.documents import docx, json_format, pdf, xlsx
from shudarga.reports.documents.model import EVIDENCE_ALL, EVIDENCE_FIRST, EVIDENCE_NEWEST
from shudarga.reports.models import Report
from shudarga.reports.selectors import report_to_document

EXPORT_FORMATS = ("docx", "xlsx", "pdf", "json")
# Layouts of the DOCX, XLSX and PDF: the official table (default) and the national template
# of Government resolution 2017/89, annex 3, with the parent body's score (issue 18).
LAYOUTS = ("official", "national")

_CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_WRITERS = {"docx": docx.write, "xlsx": xlsx.write, "pdf": pdf.write, "json": json_format.write}
# How much evidence each format holds: the Word document lists the first few of a measure,
# the PDF summarises it (counts and the newest few), the JSON and XLSX keep it all.
_EVIDENCE = {
    "docx": EVIDENCE_FIRST, "xlsx": EVIDENCE_ALL, "pdf": EVIDENCE_NEWEST, "json": EVIDENCE_ALL,
}  # fmt: skip


@dataclass
class ExportedFile:
    content: bytes
    content_type: str
    filename: str


def report_filename(*, report: Report, suffix: str) -> str:
    """`UB-AGENCY-2023-h1-report-7.docx`: ASCII, so every browser keeps it."""
    plan = report.plan
    return f"{plan.organization.code}-{plan.year}-{report.period}-report-{report.pk}.{suffix}"


def report_export(*, report: Report, fmt: str, layout: str = "official") -> ExportedFile:
    """The report as `fmt` (docx, xlsx, pdf or json) in `layout` (`LAYOUTS`; the JSON is
    the same in both). ValueError for any other format or layout."""
    if fmt not in EXPORT_FORMATS or layout not in LAYOUTS:
        raise ValueError(fmt)
    document = report_to_document(report=report, layout=layout, evidence=_EVIDENCE[fmt])
    content = _WRITERS[fmt](document)
    name = report_filename(report=report, suffix=fmt)
    if layout != "official" and fmt != "json":
        name = name.replace("-report-", f"-report-{layout}-")
    return ExportedFile(content=content, content_type=_CONTENT_TYPES[fmt], filename=name)
