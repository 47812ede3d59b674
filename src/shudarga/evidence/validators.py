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
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from shudarga.core.text import squash
from shudarga.evidence import filetypes
from shudarga.evidence.filetypes import FILE_TYPES

CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 1024  # bytes kept for sniffing
MAX_NAME_LENGTH = 200
MAX_ZIP_ENTRIES = 10_000
# Deflate cannot do better than about 1032:1; real Office XML compresses 5-30:1. A bigger
# entry packed tighter than this is built to explode when opened.
MAX_ZIP_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024  # small entries may compress as tightly as they like

_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp71", b"avc1",
     b"dash", b"M4V ", b"mmp4", b"MSNV", b"XAVC", b"f4v "}
)  # fmt: skip
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif"})
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


def _describe_text(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or (
        text.startswith(b"<") and (b"<html" in text or b"<script" in text)
    ):
        return _("a web page (HTML)")
    if b"<svg" in text:
        return _("an SVG drawing")
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return _("an XML document")
    if text.startswith(b"{\\rtf"):
        return _("an RTF document")
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a character cut at the end of the head is fine
                return _("a file of an unknown type")
        return _("plain text")
    return _("a file of an unknown type")


def sniff(head: bytes) -> tuple[str | None, str]:
    """What the first bytes of a file say it is: `(mime, description)`.

    `mime` is set only for types on the allow-list (a zip is reported as `application/zip`
    and must still pass `check_office_zip`); otherwise it is None and `description` says
    what the file is, for the message that refuses it.
    """
    if head.startswith(b"%PDF-"):
        return filetypes.PDF, str(FILE_TYPES[filetypes.PDF].label)
    if head.startswith(b"\xff\xd8\xff"):
        return filetypes.JPEG, str(FILE_TYPES[filetypes.JPEG].label)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return filetypes.PNG, str(FILE_TYPES[filetypes.PNG].label)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _MP4_BRANDS:
            return filetypes.MP4, str(FILE_TYPES[filetypes.MP4].label)
        if brand == b"qt  ":
            return None, _("a QuickTime (MOV) video")
        if brand in _HEIF_BRANDS:
            return None, _("a HEIC/AVIF image")
        return None, _("a media file of another kind")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "application/zip", _("a ZIP archive")
    if head.startswith(b"MZ"):
        return None, _("a Windows program (EXE)")
    if head.startswith(b"\x7fELF"):
        return None, _("a Linux program")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return None, _("an old-format or password-protected Office file (DOC, XLS)")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return None, _("a GIF image")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return None, _("a WebP image")
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return None, _("a compressed archive")
    return None, _describe_text(head)


def _allowed_list() -> str:
    return _("PDF, JPEG, PNG, MP4, Word (DOCX) and Excel (XLSX)")


def _unsafe_entry(entry: str) -> bool:
    normalised = entry.replace("\\", "/")
    return (
        normalised.startswith("/")
        or "\x00" in entry
        or "\\" in entry
        or re.match(r"^[A-Za-z]:", entry) is not None
        or ".." in normalised.split("/")
    )


def check_office_zip(source: str | IO[bytes], *, name: str, max_unpacked: int) -> str:
    """The Office type (DOCX or XLSX) of the zip `source` (a path or seekable binary file).

    Reads only the zip's directory: refuses a damaged archive, one that is not a Word or
    Excel file, one with macros, with unsafe entry names (`../`, absolute, drive letters),
    with duplicate or encrypted entries, too many entries, too much unpacked data or a
    compression ratio no real document has (zip bombs).
    """
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(
            _("“%(name)s” is damaged: it cannot be opened as a Word or Excel file.")
            % {"name": name}
        ) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse(_("“%(name)s” holds too many files to be a document.") % {"name": name})
    names = [info.filename for info in infos]
    for entry in names:
        if _unsafe_entry(entry):
            raise _refuse(
                _("“%(name)s” contains an unsafe path inside (%(entry)s).")
                % {"name": name, "entry": entry[:80]}
            )
    if len(set(names)) != len(names):
        raise _refuse(_("“%(name)s” contains the same part twice.") % {"name": name})
    if any(info.flag_bits & 0x1 for info in infos):
        raise _refuse(_("“%(name)s” contains encrypted parts.") % {"name": name})
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise _refuse(
            _("“%(name)s” would unpack to %(size)s, more than %(limit)s; it looks like a zip bomb.")
            % {"name": name, "size": _size(unpacked), "limit": _size(max_unpacked)}
        )
    for info in infos:
        if info.file_size >= RATIO_CHECK_FROM:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_ZIP_RATIO:
                raise _refuse(
                    _(
                        "“%(name)s” is packed %(ratio)s times tighter than a real document; "
                        "it looks like a zip bomb."
                    )
                    % {"name": name, "ratio": int(ratio)}
                )
    present = set(names)
    if any(entry.lower().endswith("vbaproject.bin") for entry in names):
        raise _refuse(
            _("“%(name)s” contains macros. Save it as a plain DOCX or XLSX file.") % {"name": name}
        )
    if "[Content_Types].xml" in present and "word/document.xml" in present:
        return filetypes.DOCX
    if "[Content_Types].xml" in present and "xl/workbook.xml" in present:
        return filetypes.XLSX
    if "ppt/presentation.xml" in present:
        what = _("a PowerPoint presentation")
    elif "mimetype" in present:
        what = _("an OpenDocument file")
    else:
        what = _("a ZIP archive")
    raise _refuse(
        _("“%(name)s” is %(what)s. Only %(allowed)s files can be attached.")
        % {"name": name, "what": what, "allowed": _allowed_list()}
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
