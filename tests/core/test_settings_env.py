"""Production settings from the environment: file storage (local or S3), the shared cache
and the task backend. No network: an S3 storage is configured, never contacted."""

from __future__ import annotations

import runpy
import socket
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured

from shudarga import settings as settings_module
from shudarga.core.ratelimit import rate_limit_hit
from shudarga.settings import cache_from_env, storage_from_env, tasks_from_env

S3_ENV = {
    "SHUDARGA_STORAGE": "s3",
    "SHUDARGA_S3_BUCKET": "shudarga-evidence",
    "SHUDARGA_S3_ENDPOINT_URL": "https://s3.example.mn",
    "SHUDARGA_S3_REGION": "ub-1",
    "SHUDARGA_S3_ACCESS_KEY_ID": "AKEXAMPLE",
    "SHUDARGA_S3_SECRET_ACCESS_KEY": "secret-example",
}


def test_files_stay_on_local_disk_by_default():
    assert storage_from_env({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_the_settings_module_puts_evidence_in_s3_from_the_environment(monkeypatch, tmp_path):
    for name, value in {**S3_ENV, "SECRET_KEY": "k", "SHUDARGA_DATA_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    loaded = runpy.run_path(settings_module.__file__)
    default = loaded["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "shudarga-evidence",
        "location": "",
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "max_memory_size": 2 * 1024 * 1024,
        "endpoint_url": "https://s3.example.mn",
        "region_name": "ub-1",
        "access_key": "AKEXAMPLE",
        "secret_key": "secret-example",
    }
    assert loaded["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_the_s3_configuration_makes_a_storage_without_contacting_anyone(tmp_path):
    from storages.backends.s3 import S3Storage

    key_file = tmp_path / "s3-secret"
    key_file.write_text("from-a-file\n")
    env = {
        **S3_ENV,
        "SHUDARGA_S3_SECRET_ACCESS_KEY": "",
        "SHUDARGA_S3_SECRET_ACCESS_KEY_FILE": str(key_file),
        "SHUDARGA_S3_PREFIX": "/media/",
        "SHUDARGA_S3_ADDRESSING_STYLE": "path",
    }
    storage = S3Storage(**storage_from_env(env)["OPTIONS"])
    assert (storage.bucket_name, storage.location) == ("shudarga-evidence", "media")
    assert (storage.endpoint_url, storage.region_name) == ("https://s3.example.mn", "ub-1")
    assert storage.secret_key == "from-a-file" and storage.addressing_style == "path"
    # A name already taken gets a new one instead of overwriting: evidence is never replaced.
    assert storage.file_overwrite is False
    # Evidence is read by name through the storage API; a bucket has no local path.
    with pytest.raises(NotImplementedError):
        storage.path("x.pdf")


def test_s3_needs_a_bucket_and_known_kinds_only():
    with pytest.raises(ImproperlyConfigured, match="SHUDARGA_S3_BUCKET"):
        storage_from_env({"SHUDARGA_STORAGE": "s3"})
    with pytest.raises(ImproperlyConfigured, match="SHUDARGA_STORAGE"):
        storage_from_env({"SHUDARGA_STORAGE": "ftp"})


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "locmem.LocMemCache", None),
        ("locmem://", "locmem.LocMemCache", None),
        ("redis://127.0.0.1:6379/1", "redis.RedisCache", "redis://127.0.0.1:6379/1"),
        ("rediss://:pw@cache.example.mn:6380/0", "redis.RedisCache", None),
        ("db://", "db.DatabaseCache", "shudarga_cache"),
        ("db://rate_limits", "db.DatabaseCache", "rate_limits"),
    ],
)
def test_the_cache_comes_from_its_url(url, backend, location):
    (alias,) = cache_from_env({"SHUDARGA_CACHE_URL": url}).items()
    name, cache = alias
    assert name == "default" and cache["KEY_PREFIX"] == "shudarga"
    assert cache["BACKEND"] == f"django.core.cache.backends.{backend}"
    if location is not None:
        assert cache["LOCATION"] == location


def test_an_unknown_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="SHUDARGA_CACHE_URL"):
        cache_from_env({"SHUDARGA_CACHE_URL": "memcached://127.0.0.1:11211"})


def test_tasks_run_on_the_worker_in_production_and_at_once_in_development():
    def backend(env, debug):
        return tasks_from_env(env, debug=debug)["default"]["BACKEND"]

    assert backend({}, debug=False) == "django_tasks_db.DatabaseBackend"
    assert backend({}, debug=True) == "django_tasks.backends.immediate.ImmediateBackend"
    assert backend({"SHUDARGA_TASKS": "database"}, debug=True).startswith("django_tasks_db.")
    with pytest.raises(ImproperlyConfigured, match="SHUDARGA_TASKS"):
        backend({"SHUDARGA_TASKS": "celery"}, debug=False)


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_rate_limits_are_counted_in_redis_where_every_process_sees_them(settings):
    import redis

    url = "redis://127.0.0.1:6379/15"
    settings.CACHES = cache_from_env({"SHUDARGA_CACHE_URL": url})
    settings.PUBLIC_RATE_LIMITS = {"track": (3, 600)}
    ip = f"test-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(url)
    try:
        assert [rate_limit_hit(scope="track", ip=ip) for _ in range(4)] == [True] * 3 + [False]
        # The count lives in Redis, where another app process would read it.
        (key,) = client.keys(f"shudarga:*{ip}*")
        assert int(client.get(key)) == 4
    finally:
        for key in client.keys(f"shudarga:*{ip}*"):
            client.delete(key)


def test_the_development_server_keeps_no_idle_database_connections(monkeypatch, tmp_path):
    """Finding 7: `make run` (DEBUG, runserver: a thread per request) kept 26 idle PostgreSQL
    connections, one per thread that had served a request."""
    for name, value in {
        "DEBUG": "true",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/shudarga",
        "SHUDARGA_DATA_DIR": str(tmp_path),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    assert runpy.run_path(settings_module.__file__)["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("SHUDARGA_AUDIT_KEY", "k" * 40)
    assert runpy.run_path(settings_module.__file__)["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
