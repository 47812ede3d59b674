"""Production settings: `check --deploy` is clean, and the security defaults hold.

Each case runs Django in a subprocess with a clean environment, as a server would start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x7Qp9rTz" * 8,  # long and varied, as `check --deploy` wants
    "SHUDARGA_AUDIT_KEY": "audit-" + "Rz8wQp3K" * 5,
    "ALLOWED_HOSTS": "shudarga.example.mn",
    "SHUDARGA_HTTPS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}
SHOW = """
import json, django
from django.conf import settings as s
django.setup()
names = ["SESSION_COOKIE_AGE", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
         "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SHUDARGA_REQUIRE_2FA_FOR",
         "AXES_FAILURE_LIMIT", "X_FRAME_OPTIONS"]
print(json.dumps({n: getattr(s, n, None) for n in names}))
"""


def run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "shudarga.settings",
        "SHUDARGA_DATA_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, *args], env=clean, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def settings_with(env: dict[str, str], tmp_path: Path) -> dict:
    result = run(["-c", SHOW], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_complains_when_served_over_plain_http(tmp_path):
    env = {**PRODUCTION, "SHUDARGA_HTTPS": "false"}
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr, check


def test_production_defaults(tmp_path):
    env = {**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    values = settings_with(env, tmp_path)
    assert values == {
        "SESSION_COOKIE_AGE": 30 * 60,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SHUDARGA_REQUIRE_2FA_FOR": ["reviewer", "admin"],
        "AXES_FAILURE_LIMIT": 5,
        "X_FRAME_OPTIONS": "DENY",
    }


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "true"}, {"SHUDARGA_REQUIRE_2FA_FOR": [], "SESSION_COOKIE_SECURE": False}),
        (
            {**PRODUCTION, "SHUDARGA_REQUIRE_2FA_FOR": "none", "SESSION_COOKIE_AGE": "900"},
            {"SHUDARGA_REQUIRE_2FA_FOR": [], "SESSION_COOKIE_AGE": 900},
        ),
        (
            {**PRODUCTION, "SHUDARGA_REQUIRE_2FA_FOR": "reviewer, coordinator, admin"},
            {"SHUDARGA_REQUIRE_2FA_FOR": ["reviewer", "coordinator", "admin"]},
        ),
    ],
)
def test_the_environment_changes_them(tmp_path, env, expected):
    values = settings_with(env, tmp_path)
    assert {name: values[name] for name in expected} == expected


def test_production_refuses_to_start_without_the_audit_key(tmp_path):
    """Issue 16: the key that seals the audit log must come from outside the database."""
    env = {**PRODUCTION, "SHUDARGA_AUDIT_KEY": ""}
    result = run(["-c", "import django; django.setup()"], env, tmp_path)
    assert result.returncode != 0
    assert "Set SHUDARGA_AUDIT_KEY or SHUDARGA_AUDIT_KEY_FILE" in result.stderr
    short = run(["manage.py", "check"], {**PRODUCTION, "SHUDARGA_AUDIT_KEY": "too-short"}, tmp_path)
    assert short.returncode != 0 and "shudarga.E002" in short.stderr
    key_file = tmp_path / "audit-key"
    key_file.write_text("from-a-file-" + "k" * 30 + "\n")
    env = {**PRODUCTION, "SHUDARGA_AUDIT_KEY": "", "SHUDARGA_AUDIT_KEY_FILE": str(key_file)}
    assert run(["-c", "import django; django.setup()"], env, tmp_path).returncode == 0
