"""The report as JSON: the document with every measure, score and evidence item."""

from __future__ import annotations

import json

from shudarga.reports.documents.model import ReportDocument


def write(document: ReportDocument) -> bytes:
    return json.dumps(document.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
