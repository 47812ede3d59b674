"""`shudarga verify_audit`: check that no audit entry was edited, deleted or slipped in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shudarga.core.selectors import audit_chain_check


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain in order and report the first entry that was edited, "
        "deleted or inserted behind the application's back. Run it daily from cron and before "
        "trusting an exported history; it exits non-zero when the chain is broken."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Entries read from the database at a time (memory stays flat).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_check(chunk_size=options["chunk_size"])
        if report.first_break is not None:
            where = (
                f"entry #{report.first_break.entry_id}"
                if report.first_break.entry_id is not None
                else "the end of the log"
            )
            raise CommandError(
                f"Audit chain broken at {where}: {report.first_break.reason} "
                f"({report.checked} entries checked)."
            )
        self.stdout.write(f"{report.checked} entries, chain intact")
