"""A 50 MB upload goes from the request body to storage without ever being in memory whole.

The body is written to disk in chunks and handed to the test client as the WSGI input
stream, so neither the test nor the app holds the 50 MB (`SimpleUploadedFile` would).
tracemalloc traces every Python allocation during the request.
"""

from __future__ import annotations

import hashlib
import os
import time
import tracemalloc

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from shudarga.evidence import services
from shudarga.evidence.models import Evidence
from tests.evidence.files import temp_upload

pytestmark = [pytest.mark.django_db, pytest.mark.bigupload]

SIZE = 50 * 1024 * 1024
BLOCK = 1024 * 1024
PEAK_LIMIT = 15 * 1024 * 1024


def _write_multipart(path, *, boundary: str, fields: dict[str, str], name: str) -> str:
    """Write a multipart body with a 50 MB PDF to `path`; return the file's SHA-256."""
    sha = hashlib.sha256()
    block = os.urandom(BLOCK - 16)  # random, so it cannot contain the boundary
    with open(path, "wb") as out:
        for key, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        written = 0
        for i in range(SIZE // BLOCK):
            chunk = block + i.to_bytes(16, "big")
            if i == 0:
                chunk = b"%PDF-1.7\n" + chunk[9:]
            out.write(chunk)
            sha.update(chunk)
            written += len(chunk)
        assert written == SIZE
        out.write(f"\r\n--{boundary}--\r\n".encode())
    return sha.hexdigest()


def test_it_streams_a_50_mb_upload_through_the_view(
    client, coordinator, org, seed_plan, tmp_path, media_root
):
    measure = seed_plan.measures.get(code="1.2")
    client.force_login(coordinator)
    client.get(reverse("evidence:add", args=[org.code]))  # warm up templates and URL caches
    boundary = "shudarga-boundary-7f3a9c"
    body = tmp_path / "body.bin"
    digest = _write_multipart(
        body,
        boundary=boundary,
        fields={"measure": str(measure.pk), "relates_to": "2024-05-01", "title": "Том файл"},
        name="том-тайлан.pdf",
    )

    started = time.monotonic()
    tracemalloc.start()
    try:
        with body.open("rb") as stream:
            response = client.request(
                REQUEST_METHOD="POST",
                PATH_INFO=reverse("evidence:add", args=[org.code]),
                CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
                CONTENT_LENGTH=str(body.stat().st_size),
                **{"wsgi.input": stream},
            )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started

    assert response.status_code == 302, response.content[:2000]
    evidence = Evidence.objects.get()
    assert evidence.size == SIZE
    assert evidence.sha256 == digest
    assert evidence.original_name == "том-тайлан.pdf"
    assert default_storage.size(evidence.file.name) == SIZE
    print(f"\n50 MB upload through the view: peak {peak / 1024 / 1024:.1f} MB, {elapsed:.2f} s")
    assert peak < PEAK_LIMIT, f"peak traced memory {peak / 1024 / 1024:.1f} MB"
    assert elapsed < 5, f"took {elapsed:.1f} s"


def test_the_service_checks_and_stores_a_50_mb_file_in_chunks(
    coordinator, org, seed_plan, tmp_path, media_root
):
    measure = seed_plan.measures.get(code="1.2")
    uploaded = temp_upload("big.pdf", b"")
    sha = hashlib.sha256()
    block = os.urandom(BLOCK)
    for i in range(SIZE // BLOCK):
        chunk = b"%PDF-1.7\n" + block[9:] if i == 0 else block
        uploaded.write(chunk)
        sha.update(chunk)
    uploaded.flush()
    uploaded.size = SIZE
    uploaded.seek(0)

    started = time.monotonic()
    tracemalloc.start()
    try:
        evidence = services.evidence_add_file(
            organization=org, measure=measure, upload=uploaded, actor=coordinator
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        uploaded.close()
    elapsed = time.monotonic() - started

    assert evidence.size == SIZE and evidence.sha256 == sha.hexdigest()
    print(f"\n50 MB file through the service: peak {peak / 1024 / 1024:.1f} MB, {elapsed:.2f} s")
    assert peak < PEAK_LIMIT
    assert elapsed < 5
