"""What a file is, judged from its bytes: the one place Shudarga sniffs file types and looks
inside Office (zip) files for bombs and tricks.

Every upload path uses it — evidence, petition attachments, register imports, plan imports —
so a fix here lands everywhere at once. The name and the browser's Content-Type are the
sender's claim, never evidence; only the bytes count.

The API, in the order a caller uses it:

- `sniff(head)` — `Sniffed(mime, description)` from the first bytes (`HEAD_SIZE` is enough).
  `mime` is always set: a known type's MIME type (`PDF`, `JPEG`, `ZIP`, …), or one of the
  generic `HTML`, `TEXT`, `UNKNOWN`…; `description` says in the user's language what it is
  ("a Windows program (EXE)"), for the message that refuses it. A zip is reported as `ZIP`:
  what is inside is `check_office_zip`'s call.
- `check_office_zip(source, name=…, max_unpacked=…)` — reads only the zip's directory
  (never unpacks it) and returns `DOCX`, `XLSX`, `PPTX`, `ODF` or `ZIP`; raises
  ValidationError (code `unsafe_file`) for a damaged archive, unsafe entry names, duplicate
  or encrypted entries, macros, too many entries, too much unpacked data, or a compression
  ratio no real document has — per entry *and* over the whole archive, so a bomb spread over
  many small parts is refused too. Which of the returned kinds a caller accepts is its own
  policy.
- `unpacked_size(source)` — what the directory says the zip unpacks to (0 when unreadable).

Python's `zipfile` never inflates an entry past the size its directory declares (it stops and
checks the CRC), so the checks on the declared sizes bound what a later reader can unpack.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEAD_SIZE = 1024  # bytes `sniff` looks at

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
GIF = "image/gif"
WEBP = "image/webp"
HEIF = "image/heif"
MP4 = "video/mp4"
QUICKTIME = "video/quicktime"
MEDIA = "application/x-media"  # an ISO media file of another brand
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODF = "application/vnd.oasis.opendocument"
OLE = "application/x-ole-storage"  # .doc/.xls, or a password-protected DOCX/XLSX
EXE = "application/x-msdownload"
ELF = "application/x-executable"
ARCHIVE = "application/x-archive"  # rar, 7z, gzip
HTML = "text/html"
SVG = "image/svg+xml"
XML = "application/xml"
RTF = "application/rtf"
TEXT = "text/plain"  # UTF-8 text (CSV, tab text, JSON are text too)
UNKNOWN = "application/octet-stream"

MAX_ZIP_ENTRIES = 10_000
# Deflate cannot do better than about 1032:1; real Office XML compresses 5-30:1, and a
# document with pictures much less. A zip packed tighter than this is built to explode.
MAX_ZIP_RATIO = 100
# Below this much unpacked data a part (or a whole archive) may compress as tightly as it
# likes: a page of spaces is harmless.
RATIO_CHECK_FROM = 1024 * 1024

_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp71", b"avc1",
     b"dash", b"M4V ", b"mmp4", b"MSNV", b"XAVC", b"f4v "}
)  # fmt: skip
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif"})


@dataclass(frozen=True)
class Sniffed:
    mime: str
    description: str  # translated, for messages


def _describe(mime: str) -> str:
    return {
        PDF: _("a PDF document"),
        JPEG: _("a JPEG image"),
        PNG: _("a PNG image"),
        MP4: _("an MP4 video"),
        ZIP: _("a ZIP archive"),
        DOCX: _("a Word document (DOCX)"),
        XLSX: _("an Excel workbook (XLSX)"),
        PPTX: _("a PowerPoint presentation"),
        ODF: _("an OpenDocument file"),
        QUICKTIME: _("a QuickTime (MOV) video"),
        HEIF: _("a HEIC/AVIF image"),
        MEDIA: _("a media file of another kind"),
        EXE: _("a Windows program (EXE)"),
        ELF: _("a Linux program"),
        OLE: _("an old-format or password-protected Office file (DOC, XLS)"),
        GIF: _("a GIF image"),
        WEBP: _("a WebP image"),
        ARCHIVE: _("a compressed archive"),
        HTML: _("a web page (HTML)"),
        SVG: _("an SVG drawing"),
        XML: _("an XML document"),
        RTF: _("an RTF document"),
        TEXT: _("plain text"),
    }.get(mime, _("a file of an unknown type"))


def describe(mime: str) -> str:
    """What `mime` (one of this module's constants) is, in the user's language."""
    return _describe(mime)


def _text_kind(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or (
        text.startswith(b"<") and (b"<html" in text or b"<script" in text)
    ):
        return HTML
    if b"<svg" in text:
        return SVG
    if text.startswith(b"<"):
        return XML
    if text.startswith(b"{\\rtf"):
        return RTF
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a character cut at the end of the head is fine
                return UNKNOWN
        return TEXT
    return UNKNOWN


def sniff_mime(head: bytes) -> str:
    """The MIME type the first bytes of a file say it is (see the module's constants)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _MP4_BRANDS:
            return MP4
        if brand == b"qt  ":
            return QUICKTIME
        return HEIF if brand in _HEIF_BRANDS else MEDIA
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ZIP
    if head.startswith(b"MZ"):
        return EXE
    if head.startswith(b"\x7fELF"):
        return ELF
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 (the full mark goes on a1 b1 1a e1)
        return OLE
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return ARCHIVE
    return _text_kind(head)


def sniff(head: bytes) -> Sniffed:
    """`Sniffed(mime, description)` of a file from its first bytes (`HEAD_SIZE` of them)."""
    mime = sniff_mime(head)
    return Sniffed(mime, _describe(mime))


# -- zip (Office) files ---------------------------------------------------------------------


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="unsafe_file")


def _size(n: int) -> str:
    return str(filesizeformat(n))


def _unsafe_entry(entry: str) -> bool:
    normalised = entry.replace("\\", "/")
    return (
        normalised.startswith("/")
        or "\x00" in entry
        or "\\" in entry
        or re.match(r"^[A-Za-z]:", entry) is not None
        or ".." in normalised.split("/")
    )


def _directory(source: str | IO[bytes]) -> list[zipfile.ZipInfo] | None:
    try:
        with zipfile.ZipFile(source) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None


def unpacked_size(source: str | IO[bytes]) -> int:
    """The bytes the zip `source` (a path or seekable binary file) says it unpacks to; 0
    when it cannot be read."""
    infos = _directory(source)
    return sum(info.file_size for info in infos) if infos else 0


def check_office_zip(source: str | IO[bytes], *, name: str, max_unpacked: int) -> str:
    """The kind of the zip `source` (a path or seekable binary file): `DOCX`, `XLSX`, `PPTX`,
    `ODF` or `ZIP` (any other zip). `name` is the file's name for the messages.

    Reads only the zip's directory. Refuses (ValidationError, code `unsafe_file`) a damaged
    archive, one with unsafe entry names (`../`, absolute, drive letters), duplicate or
    encrypted entries, macros, more than `MAX_ZIP_ENTRIES` entries, more than `max_unpacked`
    bytes unpacked, or packed tighter than `MAX_ZIP_RATIO`:1 — one big part, or all parts
    together (a bomb of many parts each under `RATIO_CHECK_FROM`).
    """
    infos = _directory(source)
    if infos is None:
        raise _refuse(
            _("“%(name)s” is damaged: it cannot be opened as a Word or Excel file.")
            % {"name": name}
        )
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
    packed = sum(info.compress_size for info in infos)
    big = [info for info in infos if info.file_size >= RATIO_CHECK_FROM]
    worst = max((info.file_size / max(info.compress_size, 1) for info in big), default=0.0)
    if unpacked >= RATIO_CHECK_FROM:
        worst = max(worst, unpacked / max(packed, 1))
    if worst > MAX_ZIP_RATIO:
        raise _refuse(
            _(
                "“%(name)s” is packed %(ratio)s times tighter than a real document; "
                "it looks like a zip bomb."
            )
            % {"name": name, "ratio": int(worst)}
        )
    if any(entry.lower().endswith("vbaproject.bin") for entry in names):
        raise _refuse(
            _("“%(name)s” contains macros. Save it as a plain DOCX or XLSX file.") % {"name": name}
        )
    present = set(names)
    if "[Content_Types].xml" in present and "word/document.xml" in present:
        return DOCX
    if "[Content_Types].xml" in present and "xl/workbook.xml" in present:
        return XLSX
    if "ppt/presentation.xml" in present:
        return PPTX
    if "mimetype" in present:
        return ODF
    return ZIP
