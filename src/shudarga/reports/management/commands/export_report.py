"""`shudarga export_report REPORT_ID --format docx|xlsx|pdf|json [-o PATH]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shudarga.reports.exports import EXPORT_FORMATS, report_export
from shudarga.reports.models import Report


class Command(BaseCommand):
    help = (
        "Write an implementation report (DOCX, XLSX, PDF: in the national template where the "
        "organization has a parent body, the official layout elsewhere) or as JSON, to PATH "
        "or to standard output. Use it to file a report outside the web, or in scripts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("report_id", type=int)
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="pdf")
        parser.add_argument("-o", "--output", help="File to write; standard output if absent.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = (
            Report.objects.select_related("plan__organization")
            .filter(pk=options["report_id"])
            .first()
        )
        if report is None:
            raise CommandError(f"No report with id {options['report_id']}.")
        exported = report_export(report=report, fmt=options["format"])
        if options["output"]:
            Path(options["output"]).write_bytes(exported.content)
            self.stderr.write(f"Wrote {options['output']} ({len(exported.content)} bytes).")
            return
        self.stdout.flush()
        out = getattr(self.stdout, "_out", sys.stdout)
        if hasattr(out, "buffer"):
            out.buffer.write(exported.content)
            out.flush()
        elif options["format"] == "json":  # a text stream (tests)
            out.write(exported.content.decode("utf-8"))
        else:
            raise CommandError("Binary formats need -o PATH when standard output is not a file.")
