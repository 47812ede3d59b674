"""Settings, all from environment variables with safe defaults (see README, "Configuration")."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from datetime import timedelta
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


def env_secret(name: str, env: Mapping[str, str] = os.environ) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/systemd style)."""
    if path := env.get(f"{name}_FILE"):
        return Path(path).read_text(encoding="utf-8").strip()
    return env.get(name, "")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()] or default


def database_from_url(url: str, data_dir: Path, *, debug: bool = False) -> dict:
    """Django DATABASES entry for `sqlite:///path` or `postgres://user:pass@host:port/name`.

    PostgreSQL connections are kept for DB_CONN_MAX_AGE seconds (60) between requests; with
    `debug` (the development server) not at all by default: it serves every request in a new
    thread, so each kept connection would sit idle until the server stops (`make run` held
    26 of them)."""
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
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 0 if debug else 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, got {parts.scheme!r}"
    )


# -- production: file storage, cache, task worker, logs (README "Production") -------------


def storage_from_env(env: Mapping[str, str]) -> dict:
    """STORAGES["default"], where evidence and attachments go: MEDIA_ROOT on local disk, or
    with SHUDARGA_STORAGE=s3 an S3-compatible bucket through django-storages. Nothing is
    contacted here; the bucket is first reached when a file is stored or read."""
    kind = env.get("SHUDARGA_STORAGE", "").strip().lower() or "local"
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"SHUDARGA_STORAGE must be 'local' or 's3', got {kind!r}")
    bucket = env.get("SHUDARGA_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("SHUDARGA_STORAGE=s3 needs SHUDARGA_S3_BUCKET.")
    options: dict = {
        "bucket_name": bucket,
        "location": env.get("SHUDARGA_S3_PREFIX", "").strip().strip("/"),
        # Evidence is never overwritten: a file whose name is taken gets a new name.
        "file_overwrite": False,
        # Objects stay private (the bucket's default ACL); every download goes through the
        # app's access checks, which stream the object.
        "default_acl": None,
        "querystring_auth": True,
        # A file being read spools to a temporary file past 2 MB instead of filling memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
    optional = {
        "endpoint_url": env.get("SHUDARGA_S3_ENDPOINT_URL", "").strip(),
        "region_name": env.get("SHUDARGA_S3_REGION", "").strip(),
        "addressing_style": env.get("SHUDARGA_S3_ADDRESSING_STYLE", "").strip(),
        # Without keys, boto3 looks for credentials itself (instance role, ~/.aws).
        "access_key": env_secret("SHUDARGA_S3_ACCESS_KEY_ID", env).strip(),
        "secret_key": env_secret("SHUDARGA_S3_SECRET_ACCESS_KEY", env).strip(),
    }
    options.update({key: value for key, value in optional.items() if value})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def cache_from_env(env: Mapping[str, str]) -> dict:
    """CACHES from SHUDARGA_CACHE_URL. Rate limits (public portal, API) count in the cache, so
    several app processes share their limits only through a shared cache:
    `redis://host:6379/0` (or rediss://, unix://) for Redis, `db://table` for a table in the
    database (`shudarga createcachetable` makes it). Unset, or `locmem://`: each process
    keeps its own memory cache (development, a single process)."""
    url = env.get("SHUDARGA_CACHE_URL", "").strip()
    scheme = urlsplit(url).scheme
    if not url or scheme == "locmem":
        cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    elif scheme in {"redis", "rediss", "unix"}:
        cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    elif scheme == "db":
        parts = urlsplit(url)
        table = (parts.netloc + parts.path).strip("/") or "shudarga_cache"
        cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    else:
        raise ImproperlyConfigured(
            f"SHUDARGA_CACHE_URL must start with redis://, rediss://, unix://, db:// or "
            f"locmem://, got {scheme!r}"
        )
    return {"default": {**cache, "KEY_PREFIX": "shudarga"}}


def tasks_from_env(env: Mapping[str, str], *, debug: bool) -> dict:
    """TASKS from SHUDARGA_TASKS: `database` (the production default) stores tasks in the
    database for `shudarga db_worker` to run; `immediate` (development and tests) runs each
    task at once in the process that enqueues it."""
    kind = env.get("SHUDARGA_TASKS", "").strip().lower() or ("immediate" if debug else "database")
    backends = {
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        "database": "django_tasks_db.DatabaseBackend",
    }
    if kind not in backends:
        raise ImproperlyConfigured(
            f"SHUDARGA_TASKS must be 'database' or 'immediate', got {kind!r}"
        )
    return {"default": {"BACKEND": backends[kind]}}


def logging_from_env(env: Mapping[str, str], *, debug: bool) -> dict:
    """LOGGING: JSON lines on standard error (SHUDARGA_LOG_FORMAT=json, the production
    default) or readable text (`text`, the development default); both carry the request id.
    LOG_LEVEL sets the level (INFO)."""
    log_format = env.get("SHUDARGA_LOG_FORMAT", "").strip().lower() or ("text" if debug else "json")
    if log_format not in {"json", "text"}:
        raise ImproperlyConfigured(
            f"SHUDARGA_LOG_FORMAT must be 'json' or 'text', got {log_format!r}"
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "shudarga.core.logs.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "shudarga.core.logs.JsonFormatter"},
            "text": {"()": "shudarga.core.logs.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request"],
            }
        },
        "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
        # WeasyPrint narrates every rendering step at INFO; axes logs every sign-in and its
        # housekeeping at INFO (failures and lockouts, at WARNING, still show).
        "loggers": {
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
        },
    }


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_secret("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local work).")

# The audit key seals the audit chain, its daily anchors and backup manifests (README,
# "Security"). It must not be in the database: a file readable only by the app is best.
# Development derives one from SECRET_KEY; production refuses to start without it. Keys
# used before a rotation stay in SHUDARGA_AUDIT_OLD_KEYS (space- or comma-separated) so
# what they sealed can still be checked.
SHUDARGA_AUDIT_KEY = env_secret("SHUDARGA_AUDIT_KEY") or (
    "dev-only-audit-key-" + hashlib.sha256(SECRET_KEY.encode()).hexdigest() if DEBUG else ""
)
if not SHUDARGA_AUDIT_KEY:
    raise ImproperlyConfigured(
        "Set SHUDARGA_AUDIT_KEY or SHUDARGA_AUDIT_KEY_FILE (at least 32 characters, e.g. "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`), or DEBUG=true."
    )
SHUDARGA_AUDIT_OLD_KEYS = env_secret("SHUDARGA_AUDIT_OLD_KEYS").replace(",", " ").split()

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
    "shudarga.notifications",
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
    DATABASES = {"default": database_from_url(db_url, DATA_DIR, debug=DEBUG)}
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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:my_work"
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
    "default": storage_from_env(os.environ),
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
REPORT_REVIEW_DAYS = env_int("REPORT_REVIEW_DAYS", 10)  # the calendar's review steps
REPORT_BUNDLE_SYNC_MAX_FILES = env_int("REPORT_BUNDLE_SYNC_MAX_FILES", 50)
# Keep evaluated criteria and the parent view's rows in the cache until the organization's
# next audited change (shudarga.core.memo).
AUDIT_MEMO = env_bool("AUDIT_MEMO", default=True)
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
# Uploads larger than that are spooled here while they arrive: in the data directory, where
# `shudarga sweep_storage` removes what a killed worker left (not in /tmp, out of its reach).
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp" / "uploads")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# `shudarga sweep_storage` leaves files younger than this alone (an upload still running).
STORAGE_SWEEP_GRACE_HOURS = env_int("STORAGE_SWEEP_GRACE_HOURS", 24)

# --- Security (README, "Security"): sign-in throttling, passwords, sessions, two-factor,
# Content-Security-Policy, HTTPS. Kept together so the whole posture reads in one place.
INSTALLED_APPS += [
    "axes",  # failed sign-ins per user name and address, lockout, `axes_reset_*` commands
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "shudarga.accounts",
]
# CSP right after SecurityMiddleware, so every response, even a redirect, carries it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
_after_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_after_auth:_after_auth] = [
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "shudarga.core.middleware.SessionIdleTimeoutMiddleware",
    "shudarga.accounts.middleware.TwoFactorMiddleware",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # axes wants to be last

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user name + address first
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a user name out from one address after this many wrong passwords in a row, for
# LOGIN_LOCKOUT_MINUTES; a right password clears the count. Unlock earlier with
# `shudarga axes_reset_username NAME` (or `axes_reset` for everyone).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Keep the cool-off where the message says it ends, even if someone keeps trying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "shudarga.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "shudarga.core.http.client_ip"  # the address the audit log keeps
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Idle timeout: a session ends SESSION_COOKIE_AGE seconds after the last request
# (SessionIdleTimeoutMiddleware renews it at most once a minute, not on every request).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
SESSION_COOKIE_HTTPONLY = True

# Two-factor (TOTP): anyone may turn it on; these users must. "admin" means staff and
# superusers, the other words are roles (reviewer, coordinator, leader, officer, auditor).
# Off in development so the `make run` demo users sign in with the password alone.
# "none": nobody must.
SHUDARGA_REQUIRE_2FA_FOR = [
    word
    for word in env_list("SHUDARGA_REQUIRE_2FA_FOR", [] if DEBUG else ["reviewer", "admin"])
    if word != "none"
]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Shudarga")

# No inline script or style anywhere: scripts and styles come from our static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Served over HTTPS (the default outside development): cookies only over HTTPS, plain
# HTTP redirected, browsers told to stay on HTTPS (HSTS). Behind a proxy that ends TLS, set
# SECURE_PROXY_SSL_HEADER to the header it sets, e.g. "X-Forwarded-Proto" (value "https").
HTTPS = env_bool("SHUDARGA_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# --- end of security

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shudarga@localhost")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# -- production: cache, task worker, logs, request ids (README "Production") ---------------
CACHES = cache_from_env(os.environ)
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = tasks_from_env(os.environ, debug=DEBUG)
LOGGING = logging_from_env(os.environ, debug=DEBUG)
# Addresses of the reverse proxies (nginx) whose X-Forwarded-For names the client.
TRUSTED_PROXIES = env_list("SHUDARGA_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
# First, so every response carries its X-Request-ID and the logged duration covers the rest.
MIDDLEWARE[:0] = [
    "shudarga.core.middleware.RequestIdMiddleware",
    "shudarga.core.middleware.ForwardedClientMiddleware",
]
