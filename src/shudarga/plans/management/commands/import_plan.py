"""`shudarga import_plan PATH --org CODE`: read a plan document and save it as a draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shudarga.organizations.models import Organization
from shudarga.organizations.services import organization_create
from shudarga.plans import services
from shudarga.plans.documents.choices import ImportChoices
from shudarga.plans.documents.interpret import Reading
from shudarga.plans.documents.model import PlanImportError
from shudarga.plans.documents.reading import read_valid_plan
from shudarga.plans.documents.structure import ROW_KIND_LABELS
from shudarga.plans.selectors import organization_layout


class Command(BaseCommand):
    help = (
        "Import an anti-corruption plan (tab-separated text, DOCX, XLSX or interchange JSON) "
        "into an organization, creating the organization if it does not exist. Prints the "
        "new plan's id as the last line. Nothing is saved if the document has an error. "
        "With --mapping, a JSON file corrects the reading (see the README); the "
        "organization's saved layout applies too, unless --no-layout."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The plan document.")
        parser.add_argument("--org", required=True, help="Organization code, e.g. UB-HR.")
        parser.add_argument("--org-name", default="", help="Name for a new organization.")
        parser.add_argument("--parent", default="", help="Parent organization code (new only).")
        parser.add_argument("--year", type=int, help="The plan's year, if the document lacks it.")
        parser.add_argument(
            "--mapping",
            help='JSON file of corrections: {"header_rows": 2, "columns": {"3": "due"}, …}.',
        )
        parser.add_argument(
            "--save-layout",
            action="store_true",
            help="Keep the --mapping as the organization's layout for its next documents.",
        )
        parser.add_argument(
            "--no-layout", action="store_true", help="Ignore the organization's saved layout."
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--replace", action="store_true", help="Replace the year's draft plan."
        )
        existing.add_argument(
            "--revision", action="store_true", help="Save as a revision of the year's plan."
        )
        parser.add_argument(
            "--show-reading",
            action="store_true",
            help="Print how each column and row was read (also printed when refused).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        size = path.stat().st_size
        if size > settings.PLAN_IMPORT_MAX_BYTES:
            raise CommandError(
                f"{path}: the file is {size / 1024 / 1024:.1f} MB; a plan document may be at "
                f"most {settings.PLAN_IMPORT_MAX_BYTES / 1024 / 1024:g} MB. Nothing was saved."
            )
        organization = Organization.objects.filter(code=options["org"]).first()
        try:
            choices = self._mapping(options["mapping"])
            layout = (
                organization_layout(organization=organization)
                if organization is not None and not options["no_layout"]
                else ImportChoices()
            )
            document, reading = read_valid_plan(
                path.read_bytes(), path.name, choices=choices, layout=layout, year=options["year"]
            )
        except PlanImportError as exc:
            if exc.reading is not None:
                self._show(exc.reading)
            raise CommandError(f"{path}: {exc} Nothing was saved.") from None
        if options["show_reading"] and reading is not None:
            self._show(reading)

        on_existing = (
            services.REPLACE
            if options["replace"]
            else services.REVISION
            if options["revision"]
            else services.REFUSE
        )
        with transaction.atomic():
            if organization is None:
                organization = self._new_organization(options)
            try:
                plan = services.plan_create_from_document(
                    organization=organization,
                    document=document,
                    actor=None,
                    source_name=path.name,
                    on_existing=on_existing,
                )
            except ValidationError as exc:
                hint = (
                    " Give --replace or --revision."
                    if getattr(exc, "code", "") == "plan_exists"
                    else ""
                )
                raise CommandError(f"{'; '.join(exc.messages)}{hint} Nothing was saved.") from None
            if options["save_layout"] and reading is not None and not choices.is_empty():
                services.plan_import_layout_save(
                    organization=organization, choices=choices, reading=reading, actor=None
                )
        for warning in plan.import_warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            f"Imported “{plan.title}” ({plan.year}): {len(document.goals)} goals, "
            f"{len(document.measures)} measures, {len(document.signatures)} signatures."
        )
        self.stdout.write(str(plan.pk))

    def _mapping(self, name: str | None) -> ImportChoices:
        if not name:
            return ImportChoices()
        mapping = Path(name)
        if not mapping.is_file():
            raise CommandError(f"No such mapping file: {mapping}")
        return ImportChoices.from_json(mapping.read_bytes())

    def _new_organization(self, options: dict[str, Any]) -> Organization:
        parent = None
        if options["parent"]:
            parent = Organization.objects.filter(code=options["parent"]).first()
            if parent is None:
                raise CommandError(f"No organization with code {options['parent']!r}.")
        try:
            organization = organization_create(
                name=options["org_name"] or options["org"], code=options["org"], parent=parent
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"Created organization {organization.code} ({organization.name}).")
        return organization

    def _show(self, reading: Reading) -> None:
        """The reading, for a person to check or to write a --mapping from."""
        out = self.stderr
        out.write(reading.describe())
        for column in reading.columns:
            out.write(
                f"  column {column.index + 1} “{column.header or '—'}”: {column.role} "
                f"({column.reason})"
            )
        for row in reading.rows:
            if row.kind in ("empty",):
                continue
            label = f" {row.label}" if row.label else ""
            out.write(
                f"  row {row.index + 1} ({row.location}): {ROW_KIND_LABELS.get(row.kind, row.kind)}"
                f"{label} — {row.reason}"
            )
