"""`shudarga verify_audit`: check that no audit entry was edited, deleted or slipped in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shudarga.core.selectors import audit_chain_check, history_check


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain in order and report the first entry that was edited, "
        "deleted or inserted behind the application's back; then check every version in the "
        "history tables against the digest the chain sealed for it. Run it daily from cron "
        "and before trusting an exported history; it exits non-zero when anything was changed."
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
        versions = history_check(chunk_size=options["chunk_size"])
        if versions.first_break is not None:
            found = versions.first_break
            raise CommandError(
                f"History broken at {found.model} #{found.history_id}: the version "
                f"{found.reason} ({versions.checked} versions checked)."
            )
        self.stdout.write(f"{report.checked} entries and {versions.checked} versions, chain intact")
