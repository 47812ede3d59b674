"""`shudarga sweep_storage`: remove what crashes left in the file storage (daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from shudarga.core.storage import storage_sweep, sweep_grace


class Command(BaseCommand):
    help = (
        "Clean up after crashes: stored files no row refers to, uploads whose row was never "
        "saved, uploads whose move into place was interrupted (finished, not removed), "
        "temporary upload files and interrupted restores in the data directory — each only "
        "when older than STORAGE_SWEEP_GRACE_HOURS (24). Lists everything it does. Run it "
        "daily (`shudarga enqueue_daily` queues it); --dry-run only lists."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=None,
            help="Leave files younger than this alone (default STORAGE_SWEEP_GRACE_HOURS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["grace_hours"]
        grace = sweep_grace() if hours is None else dt.timedelta(hours=hours)
        report = storage_sweep(grace=grace, dry_run=options["dry_run"])
        verb = "Would have" if options["dry_run"] else ""
        for swept in report.files:
            size = f" ({filesizeformat(swept.size)})" if swept.size is not None else ""
            action = f"{verb} {swept.what}".strip().capitalize()
            self.stdout.write(f"{action} {swept.name}{size}: {swept.why}.")
        freed = sum(f.size or 0 for f in report.removed)
        self.stdout.write(
            f"{report.checked} files checked: {len(report.removed)} removed "
            f"({filesizeformat(freed)}), {len(report.finished)} finished, {report.young} younger "
            f"than {grace.total_seconds() / 3600:g} h left alone."
        )
