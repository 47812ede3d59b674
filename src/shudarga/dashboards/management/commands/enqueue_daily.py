"""`shudarga enqueue_daily`: hand the day's work to the task worker.

Run it once a day from the systemd timer (deploy/systemd/shudarga-reminders.timer) or cron:

    15 7 * * *  shudarga enqueue_daily

The worker (`shudarga db_worker`) then sends the reminder digests and petition reminders
(as `enqueue_reminders` alone does), anchors the audit chain (`anchor_audit`) and sweeps the
file storage (`sweep_storage`). Reruns the same day are safe.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shudarga.core.tasks import anchor_audit, sweep_storage
from shudarga.dashboards.tasks import send_reminders
from shudarga.petitions.tasks import send_petition_reminders


class Command(BaseCommand):
    help = (
        "Queue the day's work for the task worker: reminder digests, petition reminders, the "
        "audit chain's anchor and the storage sweep. Run it daily from a systemd timer or "
        "cron; reruns are safe."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for task in (send_reminders, send_petition_reminders, anchor_audit, sweep_storage):
            result = task.enqueue()
            self.stdout.write(f"Queued {task.name} as {result.id} ({result.status}).")
