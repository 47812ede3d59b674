"""`shudarga export_plan PLAN_ID --format json|docx|xlsx [-o PATH]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shudarga.plans.exports import EXPORT_FORMATS, plan_export
from shudarga.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Write a plan in the official table layout (DOCX, XLSX) or as interchange JSON, to "
        "PATH or to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="json")
        parser.add_argument("-o", "--output", help="File to write; standard output if absent.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.select_related("organization").filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"No plan with id {options['plan_id']}.")
        exported = plan_export(plan=plan, fmt=options["format"])
        if options["output"]:
            Path(options["output"]).write_bytes(exported.content)
            self.stderr.write(f"Wrote {options['output']} ({len(exported.content)} bytes).")
        else:
            self.stdout.flush()
            out = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(out, "buffer"):
                out.buffer.write(exported.content)
                out.flush()
            else:  # a text stream (tests): binary formats cannot go there meaningfully
                out.write(exported.content.decode("utf-8", errors="replace"))
