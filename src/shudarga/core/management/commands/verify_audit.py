"""`shudarga verify_audit`: check that no audit entry was edited, deleted or slipped in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shudarga.core.anchors import check_anchors, stored_anchor_sources
from shudarga.core.selectors import audit_chain_check, history_check


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chains (one per organization, one country-wide, and the "
        "legacy chain of entries from before the split) in order and report, for each chain "
        "that breaks, its organization and the first entry that was edited, deleted or "
        "inserted behind the application's back; then check every version in the "
        "history tables against the digest the chain sealed for it. Run it daily from cron "
        "and before trusting an exported history; it exits non-zero when anything was changed. "
        "With --anchors it also checks the chain against its anchors (the database's, the "
        "anchor file's, and those of the FILEs given: anchor files, backup manifests or "
        "backups, the transparency page's JSON), which finds a rewrite of anything older than "
        "the last anchor even when every digest was recomputed with the key."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Entries read from the database at a time (memory stays flat).",
        )
        parser.add_argument(
            "--anchors",
            nargs="*",
            metavar="FILE",
            help="Also check the anchors: the stored ones and those in each FILE.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        if options["anchors"] is not None:
            problems = self._check_anchors([Path(p) for p in options["anchors"]])
        try:
            self._check_chain(options["chunk_size"])
        except CommandError as exc:
            problems.insert(0, str(exc))
        if problems:
            raise CommandError("\n".join(problems))

    def _check_anchors(self, paths: list[Path]) -> list[str]:
        from shudarga.core.backup import BackupError, manifest_anchors

        sources = []
        try:
            sources = stored_anchor_sources(p for p in paths if not p.name.endswith(".tar.gz"))
            for path in paths:
                if path.name.endswith(".tar.gz"):
                    sources.append((str(path), manifest_anchors(path)))
        except (OSError, ValueError, BackupError) as exc:
            raise CommandError(f"Cannot read the anchors: {exc}") from None
        report = check_anchors(sources)
        for line in report.unverifiable:
            self.stderr.write(f"Not checked: {line}.")
        if report.problems:
            return [f"Rewritten history found by the anchors: {line}." for line in report.problems]
        self.stdout.write(
            f"{report.checked} anchors from {', '.join(report.sources)} hold: nothing before "
            f"the last anchor was rewritten."
        )
        return []

    def _check_chain(self, chunk_size: int) -> None:
        report = audit_chain_check(chunk_size=chunk_size)
        if report.breaks:
            lines = []
            for found in report.breaks:
                where = (
                    f"entry #{found.entry_id}"
                    if found.entry_id is not None
                    else "the end of the chain"
                )
                lines.append(f"Audit chain broken at {where}: {found.reason} (in {found.chain}).")
            raise CommandError(
                "\n".join(lines) + f" ({report.checked} entries in {report.chains} chains checked; "
                f"{len(report.breaks)} broken)"
            )
        versions = history_check(chunk_size=chunk_size)
        if versions.first_break is not None:
            found = versions.first_break
            raise CommandError(
                f"History broken at {found.model} #{found.history_id}: the version "
                f"{found.reason} ({versions.checked} versions checked)."
            )
        self.stdout.write(
            f"{report.checked} entries ({report.chains} chains) and {versions.checked} "
            f"versions, chain intact"
        )
