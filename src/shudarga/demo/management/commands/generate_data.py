"""`shudarga generate_data --orgs 3000`: national-scale data for the benchmark."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shudarga.demo.generate import Generator, Scale


class Command(BaseCommand):
    help = (
        "Fill the database with national-scale generated data (organizations GEN-…): plans, "
        "reports, register rows, evidence and petitions. Use an empty database; PostgreSQL "
        "is fast (COPY), SQLite works for small sizes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=3000, help="organizations (3000)")
        parser.add_argument("--measures", type=int, default=60, help="measures per plan (60)")
        parser.add_argument(
            "--years", type=int, nargs="+", default=None, help="plan years (last two)"
        )
        parser.add_argument("--register-rows", type=int, help="total (667 per organization)")
        parser.add_argument("--petitions", type=int, help="total (167 per organization)")
        parser.add_argument("--evidence", type=int, help="total (1667 per organization)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--check-keys",
            action="store_true",
            help="check foreign keys row by row on PostgreSQL (slow; off for a superuser)",
        )
        parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (today)")

    def handle(self, *args, **options):
        if options["orgs"] < 2 or options["measures"] < 5:
            raise CommandError("Use at least 2 organizations and 5 measures.")
        today = options["today"] or timezone.localdate()
        scale = Scale.national(
            options["orgs"],
            register_rows=options["register_rows"],
            petitions=options["petitions"],
            evidence=options["evidence"],
        )
        scale.measures = options["measures"]
        scale.years = tuple(options["years"] or (today.year - 1, today.year))
        scale.seed = options["seed"]
        scale.today = today
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"{time.monotonic() - started:7.1f} s  {message}")

        try:
            counts = Generator(scale, check_keys=options["check_keys"], progress=progress).run()
        except ValueError as error:
            raise CommandError(str(error)) from error
        for label, count in counts.items():
            self.stdout.write(f"{count:>10,}  {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.1f} s, {sum(counts.values()):,} rows."
            )
        )
