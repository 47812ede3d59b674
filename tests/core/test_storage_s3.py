"""Staged uploads, the sweep and the readiness check with the files in an S3 bucket (moto's
server over HTTP, tests/s3.py)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from shudarga.core import storage as core_storage
from shudarga.core.health import readiness
from shudarga.core.storage import PENDING, storage_sweep
from shudarga.evidence.services import evidence_add_file

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LATER = dt.timedelta(days=3)  # the sweep runs as if three days had passed


def _upload(seed_plan, officer):
    return evidence_add_file(
        organization=seed_plan.organization, measure=seed_plan.measures.get(code="1.2"),
        upload=SimpleUploadedFile("тайлан.pdf", PDF), actor=officer,
    )  # fmt: skip


@pytest.mark.django_db
def test_an_upload_stays_pending_in_the_bucket_until_its_row_commits(
    s3_bucket, seed_plan, officer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(core_storage, "_after_commit", transaction.on_commit)  # the app's way
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence = _upload(seed_plan, officer)
        assert s3_bucket.object_keys() == [s3_bucket.key_of(PENDING + evidence.file.name)]
    for callback in callbacks:
        callback()
    # Copied by the server to its final key, the pending object removed.
    assert s3_bucket.object_keys() == [s3_bucket.key_of(evidence.file.name)]
    assert s3_bucket.read(s3_bucket.key_of(evidence.file.name)) == PDF


@pytest.mark.django_db
def test_a_pending_upload_never_replaces_an_object(s3_bucket):
    default_storage.save("evidence/1/2026/a.pdf", ContentFile(b"first"))
    default_storage.save(PENDING + "evidence/1/2026/a.pdf", ContentFile(b"second"))
    with pytest.raises(RuntimeError, match="exists already"):
        core_storage.promote(
            default_storage, PENDING + "evidence/1/2026/a.pdf", "evidence/1/2026/a.pdf"
        )
    assert s3_bucket.read(s3_bucket.key_of("evidence/1/2026/a.pdf")) == b"first"


@pytest.mark.django_db
def test_the_sweep_cleans_the_bucket(s3_bucket, seed_plan, officer):
    kept = _upload(seed_plan, officer)
    moved = _upload(seed_plan, officer)
    # Its row committed but the process died before the move: the object is still pending.
    s3_bucket.server.client.copy_object(
        Bucket=s3_bucket.name,
        CopySource={"Bucket": s3_bucket.name, "Key": s3_bucket.key_of(moved.file.name)},
        Key=s3_bucket.key_of(PENDING + moved.file.name),
    )
    s3_bucket.delete(s3_bucket.key_of(moved.file.name))
    orphan = default_storage.save("evidence/1/2026/orphan.pdf", ContentFile(PDF))
    never_saved = default_storage.save(PENDING + "evidence/1/2026/never.pdf", ContentFile(PDF))

    young = storage_sweep(grace=dt.timedelta(hours=24))
    assert young.files == [] and young.young == 3

    report = storage_sweep(grace=dt.timedelta(hours=24), now=timezone.now() + LATER)
    assert sorted((f.name, f.what, f.size) for f in report.files) == sorted(
        [
            (orphan, "removed", len(PDF)),
            (never_saved, "removed", len(PDF)),
            (PENDING + moved.file.name, "finished", len(PDF)),
        ]
    )
    assert s3_bucket.object_keys() == sorted(s3_bucket.key_of(e.file.name) for e in (kept, moved))


def test_the_readiness_check_writes_to_the_bucket(s3_bucket, db):
    assert readiness()["storage"] == "ok"
    assert s3_bucket.object_keys() == []  # the probe removed what it wrote


def test_an_unreachable_bucket_is_not_ready(s3_bucket, settings, db):
    options = {**s3_bucket.storage_setting()["OPTIONS"], "bucket_name": "no-such-bucket-here"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    assert readiness()["storage"] == "failed"


@pytest.mark.django_db
def test_a_big_upload_is_copied_in_parts_and_read_back_whole(s3_bucket, seed_plan, officer):
    # Over boto3's 8 MB threshold: a multipart upload, then a multipart copy to its final key.
    big = PDF[:-6] + b"%" + b"z" * (9 * 1024 * 1024) + b"\n%%EOF\n"
    evidence = evidence_add_file(
        organization=seed_plan.organization, measure=seed_plan.measures.get(code="1.2"),
        upload=SimpleUploadedFile("том.pdf", big), actor=officer,
    )  # fmt: skip
    assert s3_bucket.object_keys() == [s3_bucket.key_of(evidence.file.name)]
    head = s3_bucket.server.client.head_object(
        Bucket=s3_bucket.name, Key=s3_bucket.key_of(evidence.file.name)
    )
    assert head["ETag"].strip('"').endswith("-2")  # made of two parts
    with core_storage.open_stream(default_storage, evidence.file.name) as handle:
        assert handle.size == len(big)
        assert hashlib.sha256(handle.read()).hexdigest() == evidence.sha256


def test_the_bucket_is_listed_in_code_point_order(s3_bucket):
    for name in ("a0.pdf", "a/z.pdf", "a.txt", "a-b/c.pdf", "б/ө.pdf", "B.pdf"):
        default_storage.save(name, ContentFile(b"x"))
    s3_bucket.server.client.put_object(Bucket=s3_bucket.name, Key="outside/x.pdf", Body=b"x")
    names = list(core_storage.stored_names(default_storage))
    assert names == sorted(["a0.pdf", "a/z.pdf", "a.txt", "a-b/c.pdf", "б/ө.pdf", "B.pdf"])
