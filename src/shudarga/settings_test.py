"""Settings for the test suite: a fixed key, fast hashing, files in a temporary folder."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SHUDARGA_AUDIT_KEY", "test-only-audit-key-" + "0123456789" * 2)
os.environ.setdefault("SHUDARGA_HTTPS", "false")  # the test client and live server speak HTTP
os.environ.setdefault("SHUDARGA_DATA_DIR", tempfile.mkdtemp(prefix="shudarga-test-"))
os.environ.setdefault("SHUDARGA_TASKS", "immediate")  # tasks run where they are enqueued
os.environ.setdefault("SHUDARGA_LOG_FORMAT", "text")
if test_db := os.environ.get("TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = test_db

from shudarga.settings import *  # noqa: F403
from shudarga.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server tests must not keep connections open
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
# Tests that need two-factor turn it on themselves; the others sign in with force_login.
SHUDARGA_REQUIRE_2FA_FOR: list[str] = []
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "mn"

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns otherwise)

# The memo of audited results is on, as in production, in the local-memory cache; tests
# roll their data back, so ids repeat: tests/conftest.py empties the cache before each test.
AUDIT_MEMO = True
