"""`shudarga import_register REGISTER PATH --org CODE`: add rows to a register from a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shudarga.organizations.models import Organization
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_rows_import
from shudarga.registers.tabular import MAX_BYTES, TableError, read_table


class Command(BaseCommand):
    help = (
        "Add the rows of an Excel (XLSX, first sheet) or UTF-8 CSV file to one register of an "
        "organization, e.g. when moving last year's spreadsheets into Shudarga. The first row "
        "names the columns, as in the register's Excel download. All rows are saved or, if "
        "any row has a mistake, none; the mistakes are listed with their row numbers. "
        f"Registers: {', '.join(REGISTERS)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("register", choices=sorted(REGISTERS), help="The register's key.")
        parser.add_argument("path", help="The XLSX or CSV file.")
        parser.add_argument("--org", required=True, help="Organization code, e.g. UB-HR.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, then save nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        spec = REGISTERS[options["register"]]
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{path}: the file is larger than {MAX_BYTES / 1024 / 1024:g} MB. "
                "Nothing was saved."
            )
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(f"No organization with code {options['org']!r}.")
        try:
            table = read_table(path.read_bytes(), name=path.name)
        except TableError as exc:
            raise CommandError(f"{path}: {exc} Nothing was saved.") from None
        self.stdout.write(f"Read {max(len(table) - 1, 0)} lines from {path.name}; checking…")
        try:
            saved = register_rows_import(
                spec=spec,
                organization=organization,
                table=table,
                actor=None,
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError("\n".join([f"{path}: nothing was saved.", *exc.messages])) from None
        if options["dry_run"]:
            self.stdout.write(f"{len(saved)} rows are fine; nothing was saved (--dry-run).")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Saved {len(saved)} rows to {spec.key} of {organization.code}.")
            )
