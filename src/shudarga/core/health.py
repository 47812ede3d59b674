"""Is this process fit to serve? The readiness checks behind `/readyz`, and the startup check
that refuses to serve a database with unapplied migrations."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)

# Once every migration is found applied, a process need not look again: migrations are not
# unapplied under a running server. Loading the migration graph takes tens of milliseconds,
# too much for every probe.
_migrations_applied = threading.Event()


def unapplied_migrations(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """`app.migration` names that `migrate` would apply to the database `using`, in order."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_migrations_applied(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise ImproperlyConfigured naming every unapplied migration. The WSGI application
    calls it at startup in production, so a server never runs code against a database
    that lacks the columns it expects (a deploy that forgot `migrate` fails at once, loudly,
    instead of with errors on some pages later)."""
    pending = unapplied_migrations(using=using)
    if pending:
        raise ImproperlyConfigured(
            f"The database has {len(pending)} unapplied migration(s): {', '.join(pending)}. "
            "Run `shudarga migrate` before starting the application."
        )
    _migrations_applied.set()


def _check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_migrations() -> None:
    if not _migrations_applied.is_set():
        check_migrations_applied()


def _check_storage() -> None:
    # Write and remove a tiny file where evidence goes (local disk or the S3 bucket).
    name = default_storage.save(
        f"readyz/{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex}.txt",
        ContentFile(b"ok"),
    )
    default_storage.delete(name)


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "ok":
        raise RuntimeError("the cache did not return what was just stored")


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "migrations": _check_migrations,
    "storage": _check_storage,
    "cache": _check_cache,
}


def readiness() -> dict[str, str]:
    """Run every readiness check: `{name: "ok" | "failed"}`. A failure is logged with its
    cause (which may name hosts or paths) and reported only as "failed", since the endpoint
    answers anyone. The migrations check is skipped while the database is unreachable."""
    results: dict[str, str] = {}
    for name, check in READINESS_CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "skipped"
            continue
        try:
            check()
        except Exception:
            logger.exception("Readiness check %r failed", name)
            results[name] = "failed"
        else:
            results[name] = "ok"
    return results
