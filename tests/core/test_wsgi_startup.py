"""In production the WSGI application refuses to start while migrations are unapplied, and
names them. Run in a subprocess: importing `shudarga.wsgi` is what gunicorn does."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SHUDARGA_", "DATABASE_URL", "TEST_DATABASE_URL"))
    }
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="shudarga.settings",
        DEBUG="false",
        SECRET_KEY="startup-test-key",
        SHUDARGA_AUDIT_KEY="startup-test-audit-key-" + "x" * 20,
        SHUDARGA_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SHUDARGA_LOG_FORMAT="text",
    )
    env.update(extra)
    return env


def _run(tmp_path: Path, code: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _start(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    return _run(tmp_path, "import shudarga.wsgi; print('started')", **extra)


def test_it_refuses_to_start_with_unapplied_migrations_and_names_them(tmp_path):
    empty = _start(tmp_path)
    assert empty.returncode != 0
    assert "ImproperlyConfigured" in empty.stderr
    assert "contenttypes.0001_initial" in empty.stderr and "shudarga migrate" in empty.stderr

    migrate = _run(
        tmp_path, "from django.core.management import execute_from_command_line as run; "
        "run(['manage.py', 'migrate', '-v0'])",
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    started = _start(tmp_path)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "started"

    # One migration forgotten: exactly that one is named.
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        (name,) = db.execute(
            "SELECT name FROM django_migrations WHERE app = 'reports' ORDER BY name DESC LIMIT 1"
        ).fetchone()
        db.execute("DELETE FROM django_migrations WHERE app = 'reports' AND name = ?", (name,))
    forgotten = _start(tmp_path)
    assert forgotten.returncode != 0
    assert f"1 unapplied migration(s): reports.{name}." in forgotten.stderr


def test_development_starts_whatever_the_migrations(tmp_path):
    started = _start(tmp_path, DEBUG="true")
    assert started.returncode == 0, started.stderr
