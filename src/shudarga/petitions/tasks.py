"""Background work of petitions, run by the task worker (`shudarga db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from shudarga.petitions.services import petition_send_reminders


@task()
def send_petition_reminders(days_before: int | None = None) -> dict[str, int]:
    """What `shudarga send_petition_reminders` does, for today: remind officers of petitions
    due within `days_before` days (PETITION_REMINDER_DAYS by default). Safe to repeat."""
    if days_before is None:
        days_before = int(getattr(settings, "PETITION_REMINDER_DAYS", 3))
    result = petition_send_reminders(today=timezone.localdate(), days_before=days_before)
    return {"sent": result.sent, "skipped_no_email": result.skipped_no_email}
