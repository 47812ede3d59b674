"""Crash safety of stored files (issue 16, finding 5): an upload becomes final only when its
row commits, and `shudarga sweep_storage` removes (and reports) what a crash left behind.
The last tests kill a real worker at both points the attack found."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from shudarga.core import storage as core_storage
from shudarga.core.storage import PENDING, referenced_names, storage_sweep, stored_names
from shudarga.evidence.models import Evidence
from shudarga.evidence.services import evidence_add_file
from tests.core.backup_helpers import manage

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LATER = dt.timedelta(days=2)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    settings.DATA_DIR = tmp_path
    (tmp_path / "uploads").mkdir()
    return settings.MEDIA_ROOT


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _old(path: Path) -> None:
    past = time.time() - 3 * 86400
    os.utime(path, (past, past))


def _upload(seed_plan, officer, name="тайлан.pdf"):
    return evidence_add_file(
        organization=seed_plan.organization, measure=seed_plan.measures.get(code="1.2"),
        upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"), actor=officer,
        relates_to=dt.date(2024, 3, 1),
    )  # fmt: skip


@pytest.mark.django_db
def test_an_upload_stays_pending_until_its_row_commits(
    seed_plan, officer, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(core_storage, "_after_commit", transaction.on_commit)  # the app's way
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence = _upload(seed_plan, officer)
        assert _files(media_root) == [PENDING + evidence.file.name]
    for callback in callbacks:
        callback()
    assert _files(media_root) == [evidence.file.name]
    with evidence.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.django_db
def test_a_refused_upload_leaves_nothing(seed_plan, officer, media_root, monkeypatch):
    monkeypatch.setattr(core_storage, "_after_commit", transaction.on_commit)
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        evidence_add_file(
            organization=seed_plan.organization, measure=seed_plan.measures.get(code="1.2"),
            upload=SimpleUploadedFile("a.pdf", PDF), actor=officer, title="x" * 600,
        )  # fmt: skip
    assert _files(media_root) == []


def test_stored_names_come_in_code_point_order(media_root):
    for name in ("a0.pdf", "a/z.pdf", "a.txt", "a-b/c.pdf", "б/ө.pdf", "B.pdf"):
        default_storage.save(name, ContentFile(b"x"))
    names = list(stored_names(default_storage))
    assert names == sorted(names)


@pytest.mark.django_db
def test_the_sweep_removes_orphans_and_keeps_what_rows_refer_to(seed_plan, officer, media_root):
    kept = _upload(seed_plan, officer)
    orphan = default_storage.save("evidence/1/2026/orphan.pdf", ContentFile(PDF * 100))
    young = default_storage.save("evidence/1/2026/young.pdf", ContentFile(PDF))
    for name in (kept.file.name, orphan):
        _old(media_root / name)
    assert kept.file.name in set(referenced_names())

    dry = storage_sweep(grace=dt.timedelta(hours=24), dry_run=True)
    assert [f.name for f in dry.removed] == [orphan]
    assert (media_root / orphan).exists()

    report = storage_sweep(grace=dt.timedelta(hours=24))
    assert [(f.name, f.size, f.why) for f in report.removed] == [
        (orphan, len(PDF) * 100, "no row refers to it")
    ]
    assert _files(media_root) == sorted([kept.file.name, young])


@pytest.mark.django_db
def test_a_file_only_an_old_version_names_is_kept(seed_plan, officer, media_root):
    evidence = _upload(seed_plan, officer)
    Evidence.objects.filter(pk=evidence.pk).delete()  # behind the app's back: history stays
    assert Evidence.history.filter(id=evidence.pk, file=evidence.file.name).exists()
    _old(media_root / evidence.file.name)
    assert storage_sweep(grace=dt.timedelta(hours=1)).removed == []


@pytest.mark.django_db
def test_the_sweep_finishes_an_interrupted_move_and_removes_an_uncommitted_upload(
    seed_plan, officer, media_root
):
    evidence = _upload(seed_plan, officer)
    # the row committed, but the process died before the move: put the file back as pending
    final = media_root / evidence.file.name
    pending = media_root / PENDING / evidence.file.name
    pending.parent.mkdir(parents=True, exist_ok=True)
    final.rename(pending)
    stray = media_root / PENDING / "evidence/1/2026/never-saved.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(PDF)
    for path in (pending, stray):
        _old(path)
    out = io.StringIO()
    call_command("sweep_storage", stdout=out)
    text = out.getvalue()
    assert "Finished" in text and "Removed" in text and "never-saved.pdf" in text
    assert _files(media_root) == [evidence.file.name]


@pytest.mark.django_db
def test_the_sweep_removes_old_temporary_upload_files_and_restores(media_root, tmp_path):
    old_upload = tmp_path / "uploads" / "tmpab12.upload.pdf"
    old_upload.write_bytes(b"x" * 1000)
    new_upload = tmp_path / "uploads" / "tmpcd34.upload.pdf"
    new_upload.write_bytes(b"x")
    restore = tmp_path / ".restore-xyz"
    (restore / "media").mkdir(parents=True)
    for path in (old_upload, restore):
        _old(path)
    report = storage_sweep(grace=dt.timedelta(hours=24))
    assert {Path(f.name).name for f in report.removed} == {"tmpab12.upload.pdf", ".restore-xyz"}
    assert not old_upload.exists() and not restore.exists() and new_upload.exists()


def test_the_daily_command_queues_the_sweep_and_the_anchor(db):
    out = io.StringIO()
    call_command("enqueue_daily", stdout=out)
    text = out.getvalue()
    assert "Queued anchor_audit" in text and "Queued sweep_storage" in text


# -- killing a worker (finding 5: 4 of 4 and 2 of 2 tries left files behind) ---------------

WORKER = r"""
import os, signal, sys, datetime as dt
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from shudarga.evidence.services import evidence_add_file
from shudarga.organizations.models import Organization
from shudarga.plans.models import Measure

point = sys.argv[1]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "after-store":
    # The attack's first point: the upload is stored, its row not yet saved.
    original = FileSystemStorage._save
    def save_then_die(self, name, content):
        stored = original(self, name, content)
        die()
    FileSystemStorage._save = save_then_die
    measure = Measure.objects.select_related("plan__organization").get(code="1.2")
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", 0, None)
    upload.write(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    upload.seek(0)
    evidence_add_file(
        organization=measure.plan.organization, measure=measure, upload=upload, actor=None,
        relates_to=dt.date(2024, 3, 1),
    )
else:
    # The second point: killed while the upload is still arriving (Django spools it to a
    # temporary file in FILE_UPLOAD_TEMP_DIR).
    handler = TemporaryFileUploadHandler()
    handler.new_file("file", "big.pdf", "application/pdf", 50 * 1024 * 1024)
    handler.receive_data_chunk(b"%PDF-1.4\n" + b"0" * (1024 * 1024), 0)
    die()
print("not killed")
"""


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """An installation of its own (SQLite file, data folder) with the seed plan."""
    data = tmp_path_factory.mktemp("crash")
    manage(data, "migrate", "-v0")
    seed = Path(__file__).resolve().parents[2] / "src/shudarga/plans/fixtures/seed_plan_2023.txt"
    manage(data, "import_plan", str(seed), "--org", "CRASH", "--org-name", "Туршилт")
    return data


def _kill_at(data: Path, point: str) -> int:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_DATABASE_URL"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "shudarga.settings",
        "DEBUG": "true",
        "SHUDARGA_DATA_DIR": str(data),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
    }
    env.pop("MEDIA_ROOT", None)
    result = subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", WORKER, point], env=env, capture_output=True, timeout=120
    )
    return result.returncode


@pytest.mark.parametrize("attempt", range(4))
def test_a_worker_killed_between_storing_and_saving_leaves_only_a_pending_file(
    installation, attempt
):
    media = installation / "media"
    assert _kill_at(installation, "after-store") == -signal.SIGKILL
    finals = [f for f in _files(media) if not f.startswith(PENDING)] if media.exists() else []
    assert finals == []  # nothing under a final name: no file a backup would carry as evidence
    assert any(f.startswith(PENDING) for f in _files(media))


def test_a_worker_killed_mid_upload_leaves_its_temporary_file_in_the_data_directory(
    installation,
):
    assert _kill_at(installation, "mid-upload") == -signal.SIGKILL
    leftovers = list((installation / "tmp" / "uploads").iterdir())
    assert leftovers and all(p.name.endswith(".upload.pdf") for p in leftovers)


def test_the_sweep_removes_what_the_killed_workers_left(installation):
    """After the kills above (module order): the sweep, with no grace, removes the pending
    uploads and the temporary upload files, reports them, and leaves nothing behind."""
    _kill_at(installation, "after-store")
    _kill_at(installation, "mid-upload")
    result = manage(installation, "sweep_storage", "--grace-hours", "0")
    assert "Removed _pending/evidence/" in result.stdout
    assert "a temporary upload file of an upload that stopped" in result.stdout
    media = installation / "media"
    assert not media.exists() or _files(media) == []
    assert list((installation / "tmp" / "uploads").iterdir()) == []
