"""Checks every uploaded evidence file passes before it is stored.

Pure functions (no database): they read the upload in chunks — never the whole file at
once — computing its size and SHA-256 as they go, decide what the file really is from its
first bytes (the name and the browser's Content-Type are the user's claim, not evidence),
and refuse anything that is not on the allow-list in `filetypes`, or whose name's extension
disagrees with its content. Word and Excel files are zip archives; their directory is read
(never unpacked) to refuse zip bombs and unsafe entry names.

Every message names the file and is in the user's language.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from shudarga.core import filekinds
from shudarga.core.text import squash
from shudarga.evidence import filetypes
from shudarga.evidence.filetypes import FILE_TYPES

CHUNK_SIZE = 64 * 1024
HEAD_SIZE = filekinds.HEAD_SIZE  # bytes kept for sniffing
MAX_NAME_LENGTH = 200
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*]')


def max_upload_bytes() -> int:
    """The largest evidence file accepted (setting `EVIDENCE_MAX_BYTES`, default 100 MB)."""
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 100 * 1024 * 1024))


def max_unpacked_bytes() -> int:
    """The most a Word/Excel file may unpack to (`EVIDENCE_MAX_UNPACKED_BYTES`, 300 MB)."""
    return int(getattr(settings, "EVIDENCE_MAX_UNPACKED_BYTES", 300 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    """What the checks learned about an accepted upload."""

    original_name: str  # sanitised
    content_type: str  # sniffed, one of filetypes.FILE_TYPES
    size: int
    sha256: str  # 64 lower-case hex digits


@dataclass(frozen=True)
class Digest:
    size: int
    sha256: str
    head: bytes


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="evidence_file")


def _size(n: int) -> str:
    return str(filesizeformat(n))


def sanitize_filename(name: str) -> str:
    """The user's file name made safe to show and to offer back in a download header.

    Keeps letters of any script (Cyrillic names stay readable); drops folders, control and
    formatting characters (including the right-to-left override of `gnp.exe` tricks) and the
    characters Windows forbids; trims it to 200 characters keeping the extension. Never used
    as a storage name.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" or ch in "\t ")
    name = squash(_UNSAFE_NAME_CHARS.sub("_", name)).strip(" .")
    if not name:
        return "file"
    stem, ext = os.path.splitext(name)
    if len(ext) > 16:  # not a real extension
        stem, ext = name, ""
    stem = stem[: MAX_NAME_LENGTH - len(ext)].rstrip(" .")
    return (stem or "file") + ext


def digest_chunks(chunks: Iterable[bytes], *, name: str, max_bytes: int) -> Digest:
    """Size, SHA-256 and first bytes of a stream read chunk by chunk.

    Refuses as soon as the stream passes `max_bytes`, so an upload that lied about its size
    is not read to the end.
    """
    sha = hashlib.sha256()
    size = 0
    head = b""
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise _refuse(
                _("“%(name)s” is larger than %(limit)s, the most a file may be.")
                % {"name": name, "limit": _size(max_bytes)}
            )
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
        sha.update(chunk)
    return Digest(size=size, sha256=sha.hexdigest(), head=head)


def sniff(head: bytes) -> tuple[str | None, str]:
    """What the first bytes of a file say it is (`core.filekinds.sniff`): `(mime,
    description)`, with `mime` set only for the types evidence may be (a zip is reported as
    `application/zip` and must still pass `check_office_zip`); otherwise None, and
    `description` says what the file is, for the message that refuses it."""
    sniffed = filekinds.sniff(head)
    allowed = sniffed.mime in FILE_TYPES or sniffed.mime == filekinds.ZIP
    return (sniffed.mime if allowed else None), sniffed.description


def _allowed_list() -> str:
    return _("PDF, JPEG, PNG, MP4, Word (DOCX) and Excel (XLSX)")


def check_office_zip(source: str | IO[bytes], *, name: str, max_unpacked: int) -> str:
    """The Office type (DOCX or XLSX) of the zip `source` (a path or seekable binary file).

    `core.filekinds.check_office_zip` refuses damaged archives, unsafe entry names,
    duplicate or encrypted entries, macros and zip bombs; here any zip that is not a Word or
    Excel file is refused too.
    """
    kind = filekinds.check_office_zip(source, name=name, max_unpacked=max_unpacked)
    if kind in (filetypes.DOCX, filetypes.XLSX):
        return kind
    raise _refuse(
        _("“%(name)s” is %(what)s. Only %(allowed)s files can be attached.")
        % {"name": name, "what": filekinds.describe(kind), "allowed": _allowed_list()}
    )


def check_extension(name: str, mime: str) -> None:
    """Refuse `name` when its extension is not one of those of the sniffed type `mime`:
    a JPEG named `.pdf` is refused with a message that says it is a JPEG image."""
    file_type = FILE_TYPES[mime]
    ext = os.path.splitext(name)[1].lower()
    if ext in file_type.extensions:
        return
    params = {
        "name": name,
        "what": file_type.label,
        "ext": ext,
        "expected": " / ".join(file_type.extensions),
    }
    if not ext:
        raise _refuse(
            _("“%(name)s” is %(what)s but its name has no extension. Name it %(expected)s.")
            % params
        )
    raise _refuse(
        _(
            "“%(name)s” is %(what)s, not a %(ext)s file. Rename it to end in %(expected)s, "
            "or choose the right file."
        )
        % params
    )


def _seekable_source(upload: UploadedFile) -> str | IO[bytes]:
    # Django keeps uploads over FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file: open that
    # by path; smaller ones are in memory already.
    path_of = getattr(upload, "temporary_file_path", None)
    if path_of is not None:
        return path_of()
    upload.seek(0)
    return upload.file  # type: ignore[return-value]


def check_upload(
    upload: UploadedFile | Any,
    *,
    max_bytes: int | None = None,
    max_unpacked: int | None = None,
) -> CheckedFile:
    """Check an uploaded evidence file and describe it, or raise ValidationError.

    Reads `upload` once, in chunks, for its size and SHA-256; sniffs the type from the first
    bytes; for a zip, checks it is a safe Word or Excel file; then requires the name's
    extension to match. Leaves the upload rewound for storing.
    """
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    max_unpacked = max_unpacked_bytes() if max_unpacked is None else max_unpacked
    name = sanitize_filename(getattr(upload, "name", "") or "")
    declared = getattr(upload, "size", None)
    if declared is not None and declared > max_bytes:
        raise _refuse(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s.")
            % {"name": name, "size": _size(declared), "limit": _size(max_bytes)}
        )
    digest = digest_chunks(upload.chunks(CHUNK_SIZE), name=name, max_bytes=max_bytes)
    if digest.size == 0:
        raise _refuse(_("“%(name)s” is empty.") % {"name": name})
    mime, description = sniff(digest.head)
    if mime == "application/zip":
        mime = check_office_zip(_seekable_source(upload), name=name, max_unpacked=max_unpacked)
    if mime is None:
        raise _refuse(
            _("“%(name)s” is %(what)s. Only %(allowed)s files can be attached.")
            % {"name": name, "what": description, "allowed": _allowed_list()}
        )
    check_extension(name, mime)
    upload.seek(0)
    return CheckedFile(
        original_name=name, content_type=mime, size=digest.size, sha256=digest.sha256
    )
