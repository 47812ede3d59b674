"""Run `manage.py` as an operator would, against an installation of its own (a data folder,
and on PostgreSQL a database of its own), outside the test settings."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "backup-test-Pa55word"


def manage(
    data_dir: Path,
    *args: str,
    database_url: str = "",
    check: bool = True,
    extra_env: dict[str, str] | None = None,
):
    """`python manage.py ARGS` with production settings, DEBUG on, data in `data_dir`, and
    `extra_env` (such as an S3 bucket's variables) on top."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TEST_DATABASE_URL", "MEDIA_ROOT"}
    }
    env |= {
        "DEBUG": "true",
        "SHUDARGA_DATA_DIR": str(data_dir),
        "SHUDARGA_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    env |= extra_env or {}
    result = subprocess.run(  # noqa: S603 (our interpreter, our arguments)
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def media_digests(media_root: Path) -> dict[str, str]:
    return {
        p.relative_to(media_root).as_posix(): sha256(p)
        for p in sorted(media_root.rglob("*"))
        if p.is_file()
    }


def manifest_of(backup_dir: Path) -> dict:
    return json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
