"""`shudarga enqueue_reminders`: hand the daily reminders to the task worker.

Run it once a day from a systemd timer (deploy/systemd/shudarga-reminders.timer) or cron:

    15 7 * * *  shudarga enqueue_reminders

The worker (`shudarga db_worker`) then sends the digests and the petition reminders, the same
services `send_reminders` and `send_petition_reminders` run in the foreground; either way a
rerun the same day sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shudarga.dashboards.tasks import send_reminders
from shudarga.petitions.tasks import send_petition_reminders


class Command(BaseCommand):
    help = (
        "Queue today's reminder digests and petition reminders for the task worker. Run it "
        "daily from a systemd timer or cron; reruns are safe."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for task in (send_reminders, send_petition_reminders):
            result = task.enqueue()
            self.stdout.write(f"Queued {task.name} as {result.id} ({result.status}).")
