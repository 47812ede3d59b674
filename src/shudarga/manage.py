"""The `shudarga` console command: Django's manage.py, installed as an entry point."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shudarga.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Django would swallow a settings error and fail later with "Models aren't loaded yet";
    # the operator needs the real reason (a missing SECRET_KEY, a bad DATABASE_URL…).
    try:
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as exc:
        sys.exit(f"shudarga: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
