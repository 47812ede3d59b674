"""`shudarga backup` and `shudarga restore` round-trip the demo installation on SQLite.

The commands run in subprocesses with production settings, each installation in its own
data folder, as an operator runs them; the manifest checks run in-process.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from shudarga.core.backup import (
    BackupError,
    backup_check,
    installation_contents,
    manifest_sign,
    opened_backup,
)
from tests import s3
from tests.core.backup_helpers import manage, manifest_of, media_digests, sha256
from tests.factories import OrganizationFactory

COUNTED_TABLES = [
    "auth_user",
    "organizations_organization",
    "plans_plan",
    "plans_measure",
    "plans_criterion",
    "petitions_petition",
    "evidence_evidence",
    "core_auditentry",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A demo installation's data folder, and its backup as a folder and as a .tar.gz.

    Only in the SQLite run of the suite: the PostgreSQL run tests the PostgreSQL backup
    (test_backup_postgresql.py), and neither pays for the other's demo installation.
    """
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup is tested in the SQLite run")
    root = tmp_path_factory.mktemp("backup")
    data = root / "demo"
    manage(data, "migrate", "-v0")
    manage(data, "load_demo_data")
    manage(data, "backup", str(root / "backup"))
    manage(data, "backup", str(root / "backup.tar.gz"))
    return data


def _newest_migration(app: str) -> str:
    """The name of `app`'s newest migration, which a backup's manifest records."""
    from django.db.migrations.loader import MigrationLoader

    return max(name for label, name in MigrationLoader(None).disk_migrations if label == app)


def _db(data: Path) -> Path:
    return data / "shudarga.sqlite3"


def _counts(database: Path) -> dict[str, int]:
    db = sqlite3.connect(database)
    try:
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in COUNTED_TABLES}  # noqa: S608
    finally:
        db.close()


def _dump(database: Path) -> list[str]:
    db = sqlite3.connect(database)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def test_the_backup_lists_every_file_with_its_digest(demo):
    backup = demo.parent / "backup"
    manifest = manifest_of(backup)
    assert manifest["database"] == {"engine": "sqlite", "file": "db.sqlite3"}
    assert manifest["migrations"]["core"] == _newest_migration("core")
    with closing(sqlite3.connect(_db(demo))) as db:  # the audit heads, kept outside the database
        heads = db.execute(
            "SELECT id, organization_id, last_entry_id, digest FROM core_auditchainhead "
            "WHERE last_entry_id IS NOT NULL ORDER BY id"
        ).fetchall()
    assert len(heads) > 1  # the demo writes in several organizations' chains
    assert manifest["audit_head"]["chains"] == [
        {"id": i, "organization_id": o, "last_entry_id": e, "digest": d} for i, o, e, d in heads
    ]
    newest = max(heads, key=lambda head: head[2])
    assert manifest["audit_head"]["last_entry_id"] == newest[2]
    assert manifest["audit_head"]["digest"] == newest[3]
    media = media_digests(demo / "media")
    assert len(media) >= 5  # the demo's evidence files
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == {"db.sqlite3"} | {f"media/{p}" for p in media}
    for path, entry in listed.items():
        assert entry["sha256"] == sha256(backup / path)
        assert entry["size"] == (backup / path).stat().st_size
    for path, digest in media.items():
        assert listed[f"media/{path}"]["sha256"] == digest
    assert _dump(backup / "db.sqlite3") == _dump(_db(demo))


def test_it_round_trips_the_demo_installation(demo, tmp_path):
    fresh = tmp_path / "fresh"
    result = manage(fresh, "restore", str(demo.parent / "backup.tar.gz"))
    assert "chain intact" in result.stdout

    assert _dump(_db(fresh)) == _dump(_db(demo))  # every row of every table
    counts = _counts(_db(fresh))
    assert counts == _counts(_db(demo))
    assert counts["plans_measure"] > 0 and counts["petitions_petition"] > 0
    assert counts["evidence_evidence"] > 0
    assert media_digests(fresh / "media") == media_digests(demo / "media")
    assert manage(fresh, "verify_audit").stdout.strip().endswith("chain intact")

    # A backup of the restored installation lists the same files with the same digests.
    again = tmp_path / "again"
    manage(fresh, "backup", str(again))
    assert _media_of(manifest_of(again)) == _media_of(manifest_of(demo.parent / "backup"))


def _media_of(manifest: dict) -> dict[str, str]:
    return {f["path"]: f["sha256"] for f in manifest["files"] if f["path"].startswith("media/")}


def test_a_restore_into_an_s3_installation_fills_its_bucket_and_backs_it_up(
    demo, tmp_path, s3_server
):
    """The operator's commands with SHUDARGA_STORAGE=s3 in the environment, against moto's
    S3 server (tests/s3.py): the demo's files go into the bucket, and a backup of that
    installation reads them back from it with the same digests."""
    bucket = s3.new_bucket(s3_server)
    fresh = tmp_path / "fresh"
    restored = manage(fresh, "restore", str(demo.parent / "backup"), extra_env=bucket.env())
    assert f"Into S3 bucket {bucket.name}, prefix {s3.PREFIX}/" in restored.stdout
    assert not (fresh / "media").exists()
    in_bucket = {
        key[len(s3.PREFIX) + 1 :]: hashlib.sha256(bucket.read(key)).hexdigest()
        for key in bucket.object_keys()
    }
    assert in_bucket == media_digests(demo / "media")

    again = tmp_path / "again"
    output = manage(fresh, "backup", str(again), extra_env=bucket.env()).stdout
    assert f"Copied {len(in_bucket)} media files from the bucket." in output
    manifest = manifest_of(again)
    assert manifest["media"]["storage"] == "s3" and manifest["media"]["bucket"] == bucket.name
    assert _media_of(manifest) == _media_of(manifest_of(demo.parent / "backup"))
    bucket.remove()


def test_it_refuses_a_non_empty_installation_unless_forced(demo, tmp_path):
    target = tmp_path / "target"
    shutil.copytree(demo, target)
    (target / "media" / "stray.txt").write_text("not in the backup")
    refused = manage(target, "restore", str(demo.parent / "backup"), check=False)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert (target / "media" / "stray.txt").exists()

    manage(target, "restore", "--force", str(demo.parent / "backup"))
    assert not (target / "media" / "stray.txt").exists()
    assert media_digests(target / "media") == media_digests(demo / "media")
    assert _dump(_db(target)) == _dump(_db(demo))


def test_it_refuses_a_changed_file_and_names_it(demo, tmp_path):
    backup = tmp_path / "backup"
    shutil.copytree(demo.parent / "backup", backup)
    victim = next(p for p in sorted((backup / "media").rglob("*")) if p.is_file())
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")
    fresh = tmp_path / "fresh"
    refused = manage(fresh, "restore", str(backup), check=False)
    assert refused.returncode != 0
    assert victim.relative_to(backup).as_posix() in refused.stderr
    assert not (fresh / "media").exists() or not any((fresh / "media").rglob("*.*"))


def test_a_backup_is_never_written_over_an_existing_one(demo):
    refused = manage(demo, "backup", str(demo.parent / "backup.tar.gz"), check=False)
    assert refused.returncode != 0 and "already exists" in refused.stderr


# -- the manifest check, in-process -------------------------------------------------------


@pytest.fixture
def backup_copy(demo, tmp_path) -> Path:
    copy = tmp_path / "backup"
    shutil.copytree(demo.parent / "backup", copy)
    return copy


def test_the_check_accepts_an_untouched_backup(backup_copy):
    assert backup_check(backup_copy)["database"]["file"] == "db.sqlite3"


def test_the_check_names_a_changed_database(backup_copy):
    db = sqlite3.connect(backup_copy / "db.sqlite3")
    with db:
        db.execute("UPDATE plans_plan SET title = 'changed'")
    db.close()
    with pytest.raises(BackupError, match=r"^db\.sqlite3 does not match the manifest"):
        backup_check(backup_copy)


def test_the_check_names_a_missing_file(backup_copy):
    victim = next(p for p in sorted((backup_copy / "media").rglob("*")) if p.is_file())
    victim.unlink()
    with pytest.raises(BackupError, match=rf"^{victim.relative_to(backup_copy)} is missing"):
        backup_check(backup_copy)


def test_the_check_names_a_file_the_manifest_does_not_list(backup_copy):
    (backup_copy / "media" / "added.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(BackupError, match=r"^media/added\.pdf is in the backup but not in"):
        backup_check(backup_copy)


def test_the_check_refuses_a_manifest_path_outside_the_backup(backup_copy):
    """Even in a manifest signed with the key."""
    manifest = manifest_of(backup_copy)
    manifest["files"].append({"path": "media/../../etc/passwd", "size": 1, "sha256": "0"})
    (backup_copy / "manifest.json").write_text(json.dumps(manifest_sign(manifest)))
    with pytest.raises(BackupError, match="not a safe path"):
        backup_check(backup_copy)


def test_an_archive_member_outside_the_backup_is_refused(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    with pytest.raises(BackupError, match="not a safe path"), opened_backup(archive):
        pass
    assert not (tmp_path / "outside.txt").exists()


@pytest.mark.django_db
def test_an_installation_with_only_what_migrate_writes_is_empty(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert installation_contents() == []
    OrganizationFactory()
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "x.pdf").write_bytes(b"%PDF")
    assert installation_contents() == ["1 organizations.organization rows", "1 media files"]


# -- authenticated backups (issue 16, finding 6) --------------------------------------------


def _tamper_media_and_recompute(backup: Path) -> Path:
    """Change a media file and put its new size and digest in the manifest, as the attack
    did; returns the changed file."""
    victim = next(p for p in sorted((backup / "media").rglob("*")) if p.is_file())
    victim.write_bytes(b"%PDF-1.4 forged evidence\n")
    manifest = manifest_of(backup)
    for entry in manifest["files"]:
        if entry["path"] == victim.relative_to(backup).as_posix():
            entry["size"], entry["sha256"] = victim.stat().st_size, sha256(victim)
    (backup / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return victim


def _tar(directory: Path, archive: Path, *, extra: list[tuple[tarfile.TarInfo, object]] = ()):
    """`directory` as a backup archive (manifest first), plus `extra` members."""
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(directory / "manifest.json", arcname="manifest.json")
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            if path.name != "manifest.json":
                tar.add(path, arcname=path.relative_to(directory).as_posix())
        for info, data in extra:
            tar.addfile(info, data)
    return archive


def test_a_changed_file_with_its_digest_recomputed_is_refused_by_the_signature(
    demo, backup_copy, tmp_path
):
    """Finding 6: the attack changed a media file in a .tar.gz and recomputed its digest in
    the manifest; the restore took it. Now the manifest's signature no longer matches."""
    _tamper_media_and_recompute(backup_copy)
    with pytest.raises(BackupError, match="signature does not match"):
        backup_check(backup_copy)
    archive = _tar(backup_copy, tmp_path / "tampered.tar.gz")
    fresh = tmp_path / "fresh"
    refused = manage(fresh, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "signature does not match" in refused.stderr
    assert not (fresh / "media").exists() or not any((fresh / "media").rglob("*.*"))


def test_a_symlink_in_a_backup_directory_is_never_followed(demo, backup_copy, tmp_path):
    """Finding 6: a media file replaced by a symlink to any file on the server was followed,
    and that file became downloadable evidence."""
    secret = tmp_path / "server-secret.txt"
    secret.write_text("root:$6$...")
    victim = next(p for p in sorted((backup_copy / "media").rglob("*")) if p.is_file())
    victim.unlink()
    victim.symlink_to(secret)
    # Even with the manifest made to fit (digest recomputed, and signed with the key):
    manifest = manifest_of(backup_copy)
    for entry in manifest["files"]:
        if entry["path"] == victim.relative_to(backup_copy).as_posix():
            entry["size"], entry["sha256"] = secret.stat().st_size, sha256(secret)
    (backup_copy / "manifest.json").write_text(json.dumps(manifest_sign(manifest)))
    with pytest.raises(BackupError, match="is a symbolic link"):
        backup_check(backup_copy)
    fresh = tmp_path / "fresh"
    refused = manage(fresh, "restore", str(backup_copy), check=False)
    assert refused.returncode != 0 and "symbolic link" in refused.stderr
    assert not any("root:" in p.read_text(errors="ignore") for p in fresh.rglob("*") if p.is_file())


def test_a_symlinked_folder_in_a_backup_directory_is_refused(backup_copy, tmp_path):
    folder = next(p for p in sorted((backup_copy / "media").iterdir()) if p.is_dir())
    elsewhere = tmp_path / "elsewhere"
    shutil.move(folder, elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BackupError, match="is a symbolic link"):
        backup_check(backup_copy)


def test_an_unlisted_300_mb_member_is_refused_before_it_is_unpacked(
    demo, backup_copy, tmp_path, settings
):
    """Finding 6: a 300 MB member the manifest does not list was unpacked in full before the
    restore refused it. Now its header alone refuses it: nothing of it is written."""
    import time

    settings.DATA_DIR = tmp_path / "data"
    big = tarfile.TarInfo("media/evidence/huge.bin")
    big.size = 300 * 1024 * 1024

    class Zeros(io.RawIOBase):
        def __init__(self, size: int) -> None:
            self.left = size

        def readinto(self, buffer) -> int:
            n = min(len(buffer), self.left)
            buffer[:n] = b"\x00" * n
            self.left -= n
            return n

    archive = _tar(backup_copy, tmp_path / "big.tar.gz", extra=[(big, Zeros(big.size))])
    started = time.perf_counter()
    refused = pytest.raises(BackupError, match=r"huge\.bin is in the archive but not in its")
    with refused, opened_backup(archive):
        pass
    assert time.perf_counter() - started < 5  # the demo files only, then the header
    assert not any(settings.DATA_DIR.rglob("huge.bin"))


def test_a_member_larger_than_the_manifest_says_is_refused_before_unpacking(
    backup_copy, tmp_path, settings
):
    settings.DATA_DIR = tmp_path / "data"
    victim = next(p for p in sorted((backup_copy / "media").rglob("*")) if p.is_file())
    inside = victim.relative_to(backup_copy).as_posix()
    victim.write_bytes(victim.read_bytes() + b"\x00" * 4096)  # the manifest is untouched
    archive = _tar(backup_copy, tmp_path / "b.tar.gz")
    refused = pytest.raises(BackupError, match=rf"{re.escape(inside)} is .* bytes in the archive")
    with refused, opened_backup(archive):
        pass


def test_a_link_member_in_an_archive_is_refused(backup_copy, tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    link = tarfile.TarInfo("media/evidence/link.pdf")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    archive = _tar(backup_copy, tmp_path / "l.tar.gz", extra=[(link, None)])
    with pytest.raises(BackupError, match="not a regular file"), opened_backup(archive):
        pass


def test_an_unsigned_version_1_backup_needs_allow_unsigned(backup_copy):
    manifest = manifest_of(backup_copy)
    manifest.pop("signature")
    manifest["version"] = 1
    (backup_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="--allow-unsigned"):
        backup_check(backup_copy)
    assert backup_check(backup_copy, allow_unsigned=True)["version"] == 1


def test_a_backup_made_with_another_key_is_refused_unless_that_key_is_known(backup_copy, settings):
    old = settings.SHUDARGA_AUDIT_KEY
    settings.SHUDARGA_AUDIT_KEY = "a-new-key-after-rotation-" + "q" * 20
    with pytest.raises(BackupError, match="does not know"):
        backup_check(backup_copy)
    settings.SHUDARGA_AUDIT_OLD_KEYS = [old]
    assert backup_check(backup_copy)["signature"]["key"]


def test_the_manifest_keeps_the_anchors_and_is_first_in_the_archive(demo):
    with tarfile.open(demo.parent / "backup.tar.gz") as tar:
        assert tar.next().name == "manifest.json"
    manifest = manifest_of(demo.parent / "backup")
    assert manifest["version"] == 2 and "anchors" in manifest
    assert set(manifest["signature"]) == {"key", "mac"}
