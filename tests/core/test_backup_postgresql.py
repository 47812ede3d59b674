"""`shudarga backup` and `shudarga restore` round-trip the demo installation on PostgreSQL.

Runs in the PostgreSQL run of the suite (TEST_DATABASE_URL set), on that server: it makes
two scratch databases of its own and drops them afterwards. Needs `pg_dump`/`pg_restore` of
the server's version. The SQLite run tests the SQLite backup instead (test_backup.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.core.backup_helpers import manage, manifest_of, media_digests, sha256

psycopg = pytest.importorskip("psycopg")


def _scratch_names() -> tuple[str, str]:
    """The two scratch databases, named after the test database this run uses, so runs on
    the same server with another TEST_DATABASE_URL never drop each other's databases."""
    base = settings.DATABASES["default"]["NAME"]
    return f"{base}_backup_src", f"{base}_backup_restored"


SOURCE_DB, TARGET_DB = _scratch_names()


def _server() -> dict[str, str]:
    """The suite's PostgreSQL server and credentials (from TEST_DATABASE_URL)."""
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"],
    }


def _url_for(database: str) -> str:
    server = _server()
    auth = quote(server["user"]) + (f":{quote(server['password'])}" if server["password"] else "")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{database}"


def _connect(database: str, **kwargs):
    server = _server()
    return psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"] or None,
        dbname=database,
        connect_timeout=3,
        **kwargs,
    )


def _admin_connection():
    return _connect("postgres", autocommit=True)


def _reachable() -> bool:
    if connection.vendor != "postgresql":
        return False
    try:
        _admin_connection().close()
    except psycopg.Error:
        return False
    return shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None


pytestmark = pytest.mark.skipif(
    not _reachable(), reason="needs the PostgreSQL run of the suite and pg_dump/pg_restore"
)


def _recreate(admin, name: str) -> None:
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')


def _table_digests(database: str) -> dict[str, tuple[int, str]]:
    """Row count and an MD5 over every row (as text, sorted) of every table; and each
    sequence's position, so restored ids continue where they stopped."""
    with _connect(database) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        digests = {
            table: db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: E501, S608
            ).fetchone()
            for table in tables
        }
        for name, last in db.execute(
            "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
            "WHERE schemaname = 'public'"
        ):
            digests[f"sequence {name}"] = (last, "")
        return digests


@pytest.fixture(scope="module")
def scratch_databases():
    admin = _admin_connection()
    for name in (SOURCE_DB, TARGET_DB):
        _recreate(admin, name)
    yield
    for name in (SOURCE_DB, TARGET_DB):
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_it_round_trips_the_demo_installation(scratch_databases, tmp_path: Path):
    source, target = tmp_path / "source", tmp_path / "target"
    source_url, target_url = _url_for(SOURCE_DB), _url_for(TARGET_DB)
    manage(source, "migrate", "-v0", database_url=source_url)
    manage(source, "load_demo_data", database_url=source_url)
    archive = tmp_path / "backup.tar.gz"
    manage(source, "backup", str(archive), database_url=source_url)

    restored = manage(target, "restore", str(archive), database_url=target_url)
    assert "chain intact" in restored.stdout

    before, after = _table_digests(SOURCE_DB), _table_digests(TARGET_DB)
    assert after == before
    assert before["plans_measure"][0] > 0 and before["core_auditentry"][0] > 0
    assert media_digests(target / "media") == media_digests(source / "media")
    assert (
        manage(target, "verify_audit", database_url=target_url)
        .stdout.strip()
        .endswith("chain intact")
    )

    # The manifest names the dump and matches it; a second restore needs --force.
    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(archive, unpacked)
    manifest = manifest_of(unpacked)
    assert manifest["database"] == {"engine": "postgresql", "file": "db.pgdump"}
    dump = next(f for f in manifest["files"] if f["path"] == "db.pgdump")
    assert dump["sha256"] == sha256(unpacked / "db.pgdump")
    again = manage(target, "restore", str(unpacked), database_url=target_url, check=False)
    assert again.returncode != 0 and "not empty" in again.stderr
    manage(target, "restore", "--force", str(unpacked), database_url=target_url)
    assert _table_digests(TARGET_DB) == before
