"""`shudarga build_report_bundle REPORT_ID [-o PATH]` and `--pending`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shudarga.reports.models import Report, ReportBundle
from shudarga.reports.services import bundle_build, bundle_request


class Command(BaseCommand):
    help = (
        "Build the evidence bundle of a report: a ZIP with the report PDF, a folder per "
        "measure with its evidence files, and a manifest of SHA-256 digests. The bundle is "
        "kept for download in the web; -o also copies it to PATH. Large bundles requested in "
        "the web are built by the task worker (shudarga db_worker); --pending builds every "
        "requested bundle not yet started, e.g. after the worker was stopped for a while."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("report_id", type=int, nargs="?")
        parser.add_argument("-o", "--output", help="Also copy the ZIP to this path.")
        parser.add_argument(
            "--pending", action="store_true", help="Build the bundles waiting in the queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pending"]:
            pending = list(ReportBundle.objects.filter(status=ReportBundle.Status.PENDING))
            for bundle in pending:
                self._build(bundle)
            self.stdout.write(f"Built {len(pending)} pending bundles.")
            return
        if options["report_id"] is None:
            raise CommandError("Give a REPORT_ID, or --pending.")
        report = (
            Report.objects.select_related("plan__organization")
            .filter(pk=options["report_id"])
            .first()
        )
        if report is None:
            raise CommandError(f"No report with id {options['report_id']}.")
        try:
            bundle = bundle_request(report=report, actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        bundle = self._build(bundle)
        if options["output"]:
            with bundle.file.open("rb") as source, Path(options["output"]).open("wb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
            self.stdout.write(f"Wrote {options['output']}.")

    def _build(self, bundle: ReportBundle) -> ReportBundle:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\r{done}/{total} files", ending="")
            self.stdout.flush()

        try:
            bundle = bundle_build(bundle=bundle, progress=progress)
        except Exception as exc:
            raise CommandError(f"Bundle {bundle.pk} failed: {exc}") from None
        self.stdout.write("")
        self.stdout.write(
            f"Bundle {bundle.pk}: {bundle.total} files, {bundle.size} bytes, "
            f"SHA-256 {bundle.sha256}, stored as {bundle.file.name}."
        )
        return bundle
