"""`shudarga restore PATH`: bring a backup back, after checking every digest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shudarga.core.anchors import check_anchors
from shudarga.core.backup import BackupError, backup_restore, pending_migrations
from shudarga.core.selectors import audit_chain_check


class Command(BaseCommand):
    help = (
        "Restore a backup made by `shudarga backup` (a directory or .tar.gz) into this "
        "installation: the manifest's signature (the audit key) and every file's size and "
        "SHA-256 are checked first, and links are never followed. Stop the "
        "web and background processes before running it, and run it as the user they run "
        "as, so the restored files are theirs. It refuses an installation that "
        "already holds data unless --force, which replaces the database and makes MEDIA_ROOT "
        "(with SHUDARGA_STORAGE=s3, the bucket's prefix) equal to the backup's files "
        "(removing the others)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="The backup directory or .tar.gz file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data of an installation that is not empty.",
        )
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help=(
                "Accept a backup made before backups were signed (format version 1): a change "
                "to it cannot be detected, so use it only for a backup you kept safe."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(
                source=Path(options["path"]),
                force=options["force"],
                allow_unsigned=options["allow_unsigned"],
                progress=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: the "
            f"{manifest['database']['engine']} database and "
            f"{len(manifest['files']) - 1} media files."
        )
        if pending := pending_migrations():
            self.stdout.write(
                f"The backup predates {len(pending)} migrations of this version: "
                "run `shudarga migrate` next."
            )
        else:
            report = audit_chain_check()
            state = "intact" if report.intact else f"BROKEN: {report.first_break}"
            self.stdout.write(f"Audit log: {report.checked} entries, chain {state}.")
            anchors = check_anchors([("the backup's manifest", manifest.get("anchors") or [])])
            if anchors.problems:
                self.stdout.write(
                    "Anchors of the backup do NOT hold: " + "; ".join(anchors.problems)
                )
            else:
                self.stdout.write(f"{anchors.checked} anchors of the backup hold.")
