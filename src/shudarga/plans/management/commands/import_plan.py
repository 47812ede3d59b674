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
from shudarga.plans.documents.model import PlanImportError
from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.services import plan_create_from_document


class Command(BaseCommand):
    help = (
        "Import an anti-corruption plan (tab-separated text, DOCX, XLSX or interchange JSON) "
        "into an organization, creating the organization if it does not exist. Prints the "
        "new plan's id as the last line. Nothing is saved if the document has an error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The plan document.")
        parser.add_argument("--org", required=True, help="Organization code, e.g. UB-HR.")
        parser.add_argument("--org-name", default="", help="Name for a new organization.")
        parser.add_argument("--parent", default="", help="Parent organization code (new only).")
        parser.add_argument("--year", type=int, help="The plan's year, if the document lacks it.")

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
        try:
            document = read_plan_document(path.read_bytes(), path.name)
            if document.year is None and options["year"]:
                document.year = options["year"]
            document.validate()
        except PlanImportError as exc:
            raise CommandError(f"{path}: {exc} Nothing was saved.") from None

        with transaction.atomic():
            organization = Organization.objects.filter(code=options["org"]).first()
            if organization is None:
                parent = None
                if options["parent"]:
                    parent = Organization.objects.filter(code=options["parent"]).first()
                    if parent is None:
                        raise CommandError(f"No organization with code {options['parent']!r}.")
                try:
                    organization = organization_create(
                        name=options["org_name"] or options["org"],
                        code=options["org"],
                        parent=parent,
                    )
                except ValidationError as exc:
                    raise CommandError("; ".join(exc.messages)) from None
                self.stdout.write(
                    f"Created organization {organization.code} ({organization.name})."
                )
            plan = plan_create_from_document(
                organization=organization, document=document, actor=None, source_name=path.name
            )
        for warning in document.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            f"Imported “{plan.title}” ({plan.year}): {len(document.goals)} goals, "
            f"{len(document.measures)} measures, {len(document.signatures)} signatures."
        )
        self.stdout.write(str(plan.pk))
