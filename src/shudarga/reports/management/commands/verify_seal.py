"""`shudarga verify_seal`: check that approved plans and reports are still what was sealed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shudarga.core.selectors import seals_to_verify
from shudarga.organizations.models import Organization
from shudarga.reports.sealing import seal_verify


class Command(BaseCommand):
    help = (
        "Compare sealed plans and reports with the database and the evidence files: for each "
        "seal print intact, changed (and what: which measures, items, evidence files), "
        "reopened or superseded. Evidence files are read from storage and hashed again. Run "
        "it from cron and before trusting an approved report; it exits non-zero when "
        "anything sealed changed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("seal_ids", nargs="*", type=int, metavar="ID", help="Seal ids.")
        parser.add_argument("--all", action="store_true", help="Every seal.")
        parser.add_argument("--organization", metavar="CODE", help="The seals of one organization.")
        parser.add_argument(
            "--no-rehash",
            action="store_true",
            help="Compare evidence digests with the database only; do not read the files.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["seal_ids"] or None
        if not ids and not options["all"] and not options["organization"]:
            raise CommandError("Name seal ids, or use --all or --organization CODE.")
        organization_ids = None
        if options["organization"]:
            organization = Organization.objects.filter(code=options["organization"]).first()
            if organization is None:
                raise CommandError(f"No organization has the code {options['organization']!r}.")
            organization_ids = [organization.pk]
        seals = list(seals_to_verify(seal_ids=ids, organization_ids=organization_ids))
        if ids:
            missing = sorted(set(ids) - {s.pk for s in seals})
            if missing:
                raise CommandError(f"No seal has the id {', '.join(map(str, missing))}.")
        faults = 0
        for seal in seals:
            check = seal_verify(seal=seal, rehash=not options["no_rehash"])
            head = (
                f"seal #{seal.pk} {seal.kind} #{seal.object_id} “{seal.object_repr}”, sealed "
                f"{timezone.localtime(seal.sealed_at):%Y-%m-%d %H:%M} by {seal.sealed_by_label}: "
            )
            if check.state == "superseded":
                head += f"superseded by seal #{check.superseded_by}"
            elif check.state == "reopened":
                head += "reopened since (not in force)"
            else:
                head += check.state
            self.stdout.write(head)
            for difference in check.differences:
                line = f"  {difference.where}: {difference.what}"
                if difference.before or difference.after:
                    line += f" ({difference.before!s} → {difference.after!s})"
                self.stdout.write(line)
            faults += check.is_fault
        summary = f"{len(seals)} seals checked, {faults} changed"
        if faults:
            raise CommandError(summary)
        self.stdout.write(summary)
