"""Plan downloads: one place that knows each export format's bytes, type and file name."""

from __future__ import annotations

from dataclasses import dataclass

from shudarga.plans.documents import docx_format, json_format, xlsx_format
from shudarga.plans.models import Plan
from shudarga.plans.selectors import plan_to_document

EXPORT_FORMATS = ("json", "docx", "xlsx")

_CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class ExportedFile:
    content: bytes
    content_type: str
    filename: str


def plan_export(*, plan: Plan, fmt: str) -> ExportedFile:
    """The plan as `fmt` (json, docx or xlsx). ValueError for any other format."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    document = plan_to_document(plan=plan)
    if fmt == "json":
        content = json_format.write(document)
    elif fmt == "docx":
        content = docx_format.write(document, organization_name=plan.organization.name)
    else:
        content = xlsx_format.write(document, organization_name=plan.organization.name)
    filename = f"{plan.organization.code}-{plan.year}-plan-{plan.pk}.{fmt}"
    return ExportedFile(content=content, content_type=_CONTENT_TYPES[fmt], filename=filename)
