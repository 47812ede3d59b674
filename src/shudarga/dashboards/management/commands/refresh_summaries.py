"""`shudarga refresh_summaries`: bring every organization's summary up to date now.

The parent view recomputes the summaries of organizations that changed since it last read
them (`dashboards.summary`); after an upgrade, a restore or a bulk load every summary is
stale, and the first parent view of a country would compute them all (seconds per thousand
organizations). `scripts/serve_production.sh` runs this after `migrate`; rerun it any time,
it recomputes only what changed.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shudarga.dashboards.summary import refresh, stale_organizations
from shudarga.organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Recompute the parent view's summary of every organization that changed since it "
        "was computed (or of the organizations under --organization)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organization", help="code: only this organization's descendants")

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = Organization.objects.all()
        if code := options.get("organization"):
            root = Organization.objects.filter(code=code).first()
            if root is None:
                raise CommandError(f"No organization has the code {code!r}.")
            organizations = organizations.filter(path__startswith=root.path)
        started = time.monotonic()
        stale = stale_organizations(organizations)
        refresh(stale)
        self.stdout.write(
            f"{len(stale)} of {organizations.count()} summaries recomputed in "
            f"{time.monotonic() - started:.1f} s."
        )
