"""WSGI entry point for gunicorn: `gunicorn shudarga.wsgi` (see deploy/gunicorn.conf.py).

In production (DEBUG off) the application refuses to start while the database has unapplied
migrations, naming them, and loads every URL and view. With gunicorn's `preload_app` this
runs once, in the master process, before any worker is forked.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shudarga.settings")
application = get_wsgi_application()

if not settings.DEBUG:
    from shudarga.core.health import check_migrations_applied

    try:
        check_migrations_applied()
    finally:
        # Forked workers must not share the master's database connection.
        connections.close_all()
    # Import every view now (about a second), not in each worker's first request.
    get_resolver().url_patterns  # noqa: B018
