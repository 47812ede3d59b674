"""Background work of dashboards, run by the task worker (`shudarga db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from shudarga.dashboards.services import reminders_send


@task()
def send_reminders(base_url: str | None = None) -> dict[str, int]:
    """What `shudarga send_reminders` does, for today: one digest per person and day, links
    prefixed with `base_url` (SITE_URL by default). Safe to repeat."""
    if base_url is None:
        base_url = settings.SITE_URL
    return reminders_send(today=timezone.localdate(), base_url=base_url.rstrip("/"))
