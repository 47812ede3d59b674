"""Run the django-tasks database worker inside a test."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def run_worker(monkeypatch) -> None:
    """One run of `shudarga db_worker --batch`: every waiting task, then exit. The worker
    closes "old" connections between tasks, which would close the test's own transaction on
    PostgreSQL (Django's test client stops the same for requests); here it keeps it."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, stdout=StringIO()
    )
