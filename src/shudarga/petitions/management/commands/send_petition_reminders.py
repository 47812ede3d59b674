"""`shudarga send_petition_reminders`: e-mail officers whose petitions fall due soon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from shudarga.petitions.services import petition_send_reminders


class Command(BaseCommand):
    help = (
        "E-mail the assigned officer of every open petition whose deadline is at most N days "
        "away (PETITION_REMINDER_DAYS, default 3) or already passed. Each deadline is "
        "reminded once, so run it as often as you like (cron: daily, in the morning)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days before the deadline (default: the PETITION_REMINDER_DAYS setting, 3)",
        )
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (for tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is None:
            days = int(getattr(settings, "PETITION_REMINDER_DAYS", 3))
        today = options["today"] or timezone.localdate()
        result = petition_send_reminders(today=today, days_before=days)
        self.stdout.write(f"Sent {result.sent} reminder(s).")
        if result.skipped_no_email:
            self.stdout.write(
                f"{result.skipped_no_email} petition(s) skipped: the assigned officer has no "
                "e-mail address."
            )
