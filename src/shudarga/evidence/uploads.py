"""Refuse an evidence upload over the size limit before Django has read it.

Django parses a multipart body the first time anything touches `request.POST` or
`request.FILES` — normally the CSRF middleware, before the view runs. The upload views are
therefore `csrf_exempt` and check CSRF themselves *after* `guard_upload` has looked at
CONTENT_LENGTH and put `EvidenceUploadLimit` first among the upload handlers (Django docs,
"Modifying upload handlers on the fly").
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shudarga.evidence.validators import max_upload_bytes

# Room for the form's other fields and the multipart boundaries around the file.
REQUEST_OVERHEAD = 1024 * 1024


class EvidenceUploadLimit(FileUploadHandler):
    """Stops reading as soon as one uploaded file passes `max_bytes`; the rest of the body is
    read and thrown away, never stored, and `request.evidence_upload_too_large` is set so
    the view can say why the file is missing."""

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self.request.evidence_upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


def guard_upload(request: HttpRequest, *, context: dict) -> HttpResponse | None:
    """For a POST, refuse with 413 when CONTENT_LENGTH already says the body is over the
    limit (nothing of it is read), else install the streaming limit. None means go on.

    Must run before anything reads `request.POST` or `request.FILES`.
    """
    if request.method != "POST":
        return None
    max_bytes = max_upload_bytes()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_bytes + REQUEST_OVERHEAD:
        return render(
            request,
            "evidence/evidence_too_large.html",
            {**context, "limit": max_bytes, "size": length},
            status=413,
        )
    request.upload_handlers.insert(0, EvidenceUploadLimit(request, max_bytes))
    return None


def upload_was_cut(request: HttpRequest) -> bool:
    """Whether `EvidenceUploadLimit` stopped this request's upload."""
    return bool(getattr(request, "evidence_upload_too_large", False))
