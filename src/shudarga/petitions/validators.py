"""Checks on what citizens and staff send: attachments by their bytes, tracking codes by shape."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from shudarga.core import filekinds


def attachment_max_bytes() -> int:
    return int(getattr(settings, "PETITION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


# The types an attachment may be, judged by `core.filekinds` from the bytes. The name and
# the browser's declared type are ignored: both are the sender's to choose.
_ALLOWED: dict[str, str] = {
    filekinds.PDF: ".pdf",
    filekinds.JPEG: ".jpg",
    filekinds.PNG: ".png",
}


def check_attachment(upload: UploadedFile) -> CheckedFile:
    """Accept a PDF, JPEG or PNG file of at most PETITION_ATTACHMENT_MAX_BYTES (10 MB),
    judged by its first bytes; ValidationError with a message for the sender otherwise.

    Reads the file once to compute its SHA-256 and leaves it rewound.
    """
    limit = attachment_max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file may be at most %(limit)s MB.") % {"limit": f"{limit / 1024 / 1024:g}"},
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    mime = filekinds.sniff_mime(upload.read(filekinds.HEAD_SIZE))
    if mime not in _ALLOWED:
        raise ValidationError(
            _("Attach a PDF document or a JPEG or PNG image; this file is none of them."),
            code="type",
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        content_type=mime, extension=_ALLOWED[mime], size=upload.size, sha256=digest.hexdigest()
    )


# Tracking codes are 16 letters and digits from an alphabet without look-alikes (no 0/O,
# 1/I/L), shown in groups of four. 31**16 ≈ 7·10^23 codes: guessing is hopeless, and
# lookups are rate-limited besides.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 16
_NOT_CODE_RE = re.compile(r"[\s\-_.]")


def normalize_tracking_code(raw: str) -> str | None:
    """The code in canonical form (upper case, no separators), or None if it cannot be one."""
    code = _NOT_CODE_RE.sub("", raw or "").upper()[:64]
    if len(code) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in code):
        return None
    return code


def tracking_hash(code: str) -> str:
    """What is stored for a code: its SHA-256. The code has ~79 bits of randomness, so a
    plain hash cannot be reversed by trying codes, and a copied database reveals none."""
    return hashlib.sha256(f"petition-tracking:{code}".encode()).hexdigest()


def format_tracking_code(code: str) -> str:
    """`ABCD-EFGH-JKMN-PQRS` for reading aloud and copying."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
