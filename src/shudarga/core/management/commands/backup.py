"""`shudarga backup PATH`: the database and every uploaded file (from disk or the S3 bucket),
with a manifest of digests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shudarga.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and every uploaded file "
        "(evidence, petition attachments) to PATH: a new directory, or an archive when PATH "
        "ends with .tar.gz. The files come from MEDIA_ROOT, or with SHUDARGA_STORAGE=s3 "
        "from the bucket under its prefix, read through the storage and copied in. A "
        "manifest.json lists every file's size and SHA-256 and where the files came from. "
        "Run it nightly from cron (the app may keep running) and copy the result off the "
        "machine; it holds personal data, so keep it as private as the database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="A new directory, or a file name ending in .tar.gz.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup_create(destination=Path(options["path"]), progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
