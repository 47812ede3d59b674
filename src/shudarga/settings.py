"""Settings, all from environment variables with safe defaults (see README, "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in {"true", "false", "1", "0"}:
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', got {raw!r}")
    return raw in {"true", "1"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_secret(name: str) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/systemd style)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, "")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()] or default


def database_from_url(url: str, data_dir: Path) -> dict:
    """Django DATABASES entry for `sqlite:///path` or `postgres://user:pass@host:port/name`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/or/absolute -> path after the third slash; sqlite:////abs/path
        path = unquote(parts.path)
        if path.startswith("/") and not url.startswith("sqlite:////"):
            path = path[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path if Path(path).is_absolute() else str(Path.cwd() / path),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "shudarga",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, got {parts.scheme!r}"
    )


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_secret("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local work).")

DATA_DIR = Path(os.environ.get("SHUDARGA_DATA_DIR", "") or PROJECT_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default keeps everything here

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "bootstrap",
    "simple_history",
    "shudarga.core",
    "shudarga.organizations",
    "shudarga.plans",
    "shudarga.registers",
    "shudarga.evidence",
    "shudarga.petitions",
    "shudarga.criteria",
    "shudarga.reports",
    "shudarga.public",
    "shudarga.dashboards",
    "shudarga.history",
    "shudarga.api",
    "shudarga.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shudarga.core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who and from where, in history
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "shudarga.urls"
WSGI_APPLICATION = "shudarga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "shudarga.organizations.context_processors.navigation",
            ],
        },
    },
]

if db_url := os.environ.get("DATABASE_URL", "").strip():
    DATABASES = {"default": database_from_url(db_url, DATA_DIR)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "shudarga.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "criteria:my_work"
LOGOUT_REDIRECT_URL = "login"

# Mongolian first, English second.
LANGUAGE_CODE = "mn"
LANGUAGES = [("mn", _("Mongolian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ulaanbaatar")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "") or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Plan documents are small; anything bigger is a mistake or an attack.
PLAN_IMPORT_MAX_BYTES = env_int("PLAN_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# A DOCX/XLSX is a zip: refuse one whose content unpacks to more than this (zip bombs).
PLAN_IMPORT_MAX_UNPACKED_BYTES = env_int("PLAN_IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
# Evidence files: the largest upload, and the largest a DOCX/XLSX may unpack to.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 100 * 1024 * 1024)
EVIDENCE_MAX_UNPACKED_BYTES = env_int("EVIDENCE_MAX_UNPACKED_BYTES", 300 * 1024 * 1024)
# Reports: days after a period's end a report is due; bundles with more files than this
# build in the background. REPORT_SCALE (the scoring scale) can be overridden in code only.
REPORT_DUE_DAYS = env_int("REPORT_DUE_DAYS", 10)
REPORT_BUNDLE_SYNC_MAX_FILES = env_int("REPORT_BUNDLE_SYNC_MAX_FILES", 50)
# Petitions: the "due soon" window and the reminder lead time, in days.
PETITION_DUE_SOON_DAYS = env_int("PETITION_DUE_SOON_DAYS", 7)
PETITION_REMINDER_DAYS = env_int("PETITION_REMINDER_DAYS", 3)
PETITION_ATTACHMENT_MAX_BYTES = env_int("PETITION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# The address links in e-mails start with, e.g. https://shudarga.example.mn
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# API: requests a token may make per window of seconds.
API_RATE_LIMIT = (env_int("API_RATE_LIMIT", 600), env_int("API_RATE_WINDOW", 60))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shudarga@localhost")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
