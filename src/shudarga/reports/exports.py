"""Report downloads: one place that knows each format's bytes, type and file name."""

from __future__ import annotations

from dataclasses import dataclass

from shudarga.organizations.models import Organization
from shudarga.reports.consolidated import consolidated_report
from shudarga.reports.documents import (
    consolidated_docs,
    consolidated_xlsx,
    docx,
    json_format,
    pdf,
    xlsx,
)
from shudarga.reports.documents.model import EVIDENCE_ALL, EVIDENCE_FIRST, EVIDENCE_NEWEST
from shudarga.reports.models import Report
from shudarga.reports.selectors import report_to_document

EXPORT_FORMATS = ("docx", "xlsx", "pdf", "json")
# Layouts of the DOCX, XLSX and PDF: the official table and the national template of
# Government resolution 2017/89, annex 3, with the parent body's score (issue 18). Which is
# the default depends on the organization: `default_layout`.
LAYOUTS = ("official", "national")
# What a parent body's own report may carry as an annex: the consolidated report of its
# descendants for the same year and period (issue 18). None: no annex.
ANNEXES = (None, "consolidated")
ANNEX_FORMATS = ("docx", "xlsx", "pdf")

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


def default_layout(*, organization: Organization) -> str:
    """The layout of an organization's report downloads when none is asked for: the
    national template where a parent body evaluates the organization (it has a parent),
    the official table elsewhere."""
    return "national" if organization.parent_id is not None else "official"


def report_export(
    *, report: Report, fmt: str, layout: str | None = None, annex: str | None = None
) -> ExportedFile:
    """The report as `fmt` (docx, xlsx, pdf or json) in `layout` (`LAYOUTS`; the JSON is
    the same in both; None: the organization's `default_layout`). With `annex=
    "consolidated"` (DOCX, XLSX, PDF) the consolidated report of the organization's
    descendants for the report's year and period follows it as its annex, read from
    `consolidated.consolidated_report` like the consolidated page, so the figures are the
    same. ValueError for any other format, layout or annex."""
    if layout is None:
        layout = default_layout(organization=report.plan.organization)
    if fmt not in EXPORT_FORMATS or layout not in LAYOUTS or annex not in ANNEXES:
        raise ValueError(fmt)
    if annex is not None and fmt not in ANNEX_FORMATS:
        raise ValueError(fmt)
    document = report_to_document(report=report, layout=layout, evidence=_EVIDENCE[fmt])
    name = report_filename(report=report, suffix=fmt)
    if layout != "official" and fmt != "json":
        name = name.replace("-report-", f"-report-{layout}-")
    if annex is None:
        content = _WRITERS[fmt](document)
    else:
        consolidated = consolidated_report(
            organization=report.plan.organization, year=report.plan.year, period=report.period
        )
        if fmt == "pdf":
            content = consolidated_docs.annex_pdf(pdf.html(document), consolidated)
        elif fmt == "docx":
            content = consolidated_docs.annex_docx(docx.write(document), consolidated)
        else:
            content = consolidated_xlsx.annex(xlsx.write(document), consolidated)
        name = name.removesuffix(f".{fmt}") + f"-with-{annex}.{fmt}"
    return ExportedFile(content=content, content_type=_CONTENT_TYPES[fmt], filename=name)
