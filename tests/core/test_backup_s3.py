"""`shudarga backup` and restore with the media in an S3 bucket (moto's server over HTTP,
tests/s3.py): the bucket's objects are copied into the backup, digested and signed like
files under MEDIA_ROOT, and a restore puts them back into a bucket.

The database dump is stood in for here (the test database lives in memory on SQLite and in
an uncommitted transaction on PostgreSQL); test_backup.py and test_backup_postgresql.py
round-trip real databases. These tests are about the media files."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from shudarga.core import backup
from shudarga.evidence import services
from tests import s3
from tests.evidence import files
from tests.evidence.files import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_stand_in(monkeypatch):
    def dump(engine: str, target: Path) -> None:
        target.write_bytes(b"the database dump, tested in test_backup.py")

    monkeypatch.setattr(backup, "_dump_database", dump)


@pytest.fixture
def evidence(s3_bucket, org, seed_plan, coordinator):
    """Two files, uploaded into the bucket."""
    measure = seed_plan.measures.get(code="1.2")
    return [
        services.evidence_add_file(
            organization=org, measure=measure, upload=upload(name, data), actor=coordinator
        )
        for name, data in (("ирц.pdf", files.PDF), ("самбар.png", files.png(3, 3)))
    ]


def _backup(path: Path) -> tuple[dict, str]:
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    return json.loads((path / backup.MANIFEST).read_text()), out.getvalue()


def _media(manifest: dict) -> dict[str, str]:
    """Storage name → SHA-256 of the media files a manifest lists."""
    prefix = f"{backup.MEDIA_DIR}/"
    return {
        f["path"][len(prefix) :]: f["sha256"]
        for f in manifest["files"]
        if f["path"].startswith(prefix)
    }


def test_the_backup_holds_every_object_of_the_bucket(tmp_path, evidence, s3_bucket):
    other = default_storage.save("petitions/1/scan.pdf", ContentFile(files.PDF))
    manifest, output = _backup(tmp_path / "backup")

    assert manifest["media"] == {
        "storage": "s3",
        "bucket": s3_bucket.name,
        "prefix": s3.PREFIX,
        "endpoint": s3_bucket.server.endpoint_url,
    }
    assert _media(manifest) == {
        **{e.file.name: e.sha256 for e in evidence},
        other: hashlib.sha256(files.PDF).hexdigest(),
    }
    for e in evidence:
        assert (
            tmp_path / "backup" / backup.MEDIA_DIR / e.file.name
        ).read_bytes() == s3_bucket.read(s3_bucket.key_of(e.file.name))
    assert f"from S3 bucket {s3_bucket.name}, prefix {s3.PREFIX}/" in output
    assert "Copied 3 media files from the bucket." in output
    backup.backup_check(tmp_path / "backup")  # signed, every digest as listed


def test_objects_outside_the_prefix_are_not_the_apps(tmp_path, evidence, s3_bucket):
    s3_bucket.server.client.put_object(Bucket=s3_bucket.name, Key="elsewhere/x.txt", Body=b"x")
    manifest, _ = _backup(tmp_path / "backup")
    assert sorted(_media(manifest)) == sorted(e.file.name for e in evidence)


def test_a_restore_puts_the_objects_into_an_empty_bucket(
    tmp_path, evidence, s3_bucket, s3_server, settings
):
    manifest, _ = _backup(tmp_path / "backup")
    target = s3.new_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": target.storage_setting()}
    assert not [line for line in backup.installation_contents() if "bucket" in line]

    media = [f for f in manifest["files"] if f["path"].startswith(f"{backup.MEDIA_DIR}/")]
    backup._restore_media(tmp_path / "backup", media, remove_others=False, progress=print)
    assert target.object_keys() == sorted(target.key_of(e.file.name) for e in evidence)
    for e in evidence:
        data = target.read(target.key_of(e.file.name))
        assert hashlib.sha256(data).hexdigest() == e.sha256
    assert "2 files in the bucket" in backup.installation_contents()


def test_a_forced_restore_makes_the_bucket_equal_to_the_backup(tmp_path, evidence, s3_bucket):
    manifest, _ = _backup(tmp_path / "backup")
    stray = default_storage.save("evidence/later.pdf", ContentFile(b"after the backup"))
    s3_bucket.delete(s3_bucket.key_of(evidence[0].file.name))
    media = [f for f in manifest["files"] if f["path"].startswith(f"{backup.MEDIA_DIR}/")]
    out = io.StringIO()
    backup._restore_media(tmp_path / "backup", media, remove_others=True, progress=out.write)
    assert s3_bucket.object_keys() == sorted(s3_bucket.key_of(e.file.name) for e in evidence)
    assert f"Removed {stray} from the bucket: not in the backup." in out.getvalue()


def test_a_file_changed_in_the_backup_is_refused_and_not_left_in_the_bucket(
    tmp_path, evidence, s3_bucket
):
    manifest, _ = _backup(tmp_path / "backup")
    s3_bucket.delete(s3_bucket.key_of(evidence[0].file.name))
    (tmp_path / "backup" / backup.MEDIA_DIR / evidence[0].file.name).write_bytes(b"%PDF forged")
    media = [f for f in manifest["files"] if f["path"].startswith(f"{backup.MEDIA_DIR}/")]
    with pytest.raises(backup.BackupError, match="changed while it was being restored"):
        backup._restore_media(tmp_path / "backup", media, remove_others=False, progress=print)
    assert s3_bucket.key_of(evidence[0].file.name) not in s3_bucket.object_keys()


def test_a_local_installation_moves_to_a_bucket(tmp_path, settings, org, seed_plan, s3_server):
    """Back up with the files under MEDIA_ROOT, restore the media with SHUDARGA_STORAGE=s3:
    the way to move an installation's files into a bucket."""
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = services.evidence_add_file(
        organization=org,
        measure=seed_plan.measures.get(code="1.2"),
        upload=upload("ирц.pdf", files.PDF),
        actor=None,
    )
    manifest, _ = _backup(tmp_path / "backup")
    assert manifest["media"] == {"storage": "local"}
    target = s3.new_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": target.storage_setting()}
    media = [f for f in manifest["files"] if f["path"].startswith(f"{backup.MEDIA_DIR}/")]
    backup._restore_media(tmp_path / "backup", media, remove_others=False, progress=print)
    assert target.read(target.key_of(evidence.file.name)) == files.PDF
