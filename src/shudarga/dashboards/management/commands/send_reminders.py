"""Daily reminder digests. Run once a day (or more often: a second run the same day sends
nothing), e.g. from cron:

    15 7 * * *  shudarga send_reminders --base-url https://shudarga.example.mn

or a systemd timer (`OnCalendar=*-*-* 07:15`, `Persistent=true`) running the same command.
Several app servers may run it: the database lets one digest per person and day through.
The e-mail backend is configuration (EMAIL_BACKEND; the console backend in development).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from shudarga.dashboards.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send each person one digest e-mail (and in-app notification) of what is due in the "
        "next days or overdue. At most one per person a day: run it daily from cron or a "
        "systemd timer; reruns are safe."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--base-url", default="", help="Site address put before links, e.g. https://…"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        result = reminders_send(today=today, base_url=options["base_url"].rstrip("/"))
        self.stdout.write(
            f"{today:%Y-%m-%d}: sent {result['sent']} digests, "
            f"{result['skipped']} already sent today."
        )
