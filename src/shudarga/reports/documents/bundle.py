"""The evidence bundle: a ZIP with the report PDF, one folder per measure holding its
evidence files (and its links in `links.txt`), and a manifest listing every file with its
SHA-256 — also as `SHA256SUMS`, which `sha256sum -c SHA256SUMS` checks.

Written straight into a file object, one chunk at a time: a bundle of gigabytes never sits
in memory. Each evidence file's digest is computed while it is copied and compared with the
digest stored at upload, so the manifest says whether the file is still the one uploaded.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from shudarga.core.spreadsheets import csv_writer
from shudarga.core.storage import open_stream
from shudarga.reports.documents.model import ReportDocument

_CHUNK = 1024 * 1024
_UNSAFE_RE = re.compile(r"[^\w.\- ]+", re.UNICODE)

STATUS_OK = "тохирсон"  # the digest matches the one stored at upload
STATUS_CHANGED = "зөрүүтэй"  # it does not: the stored file changed
STATUS_MISSING = "олдсонгүй"  # the stored file is gone
STATUS_NEW = "шинэ"  # made for the bundle (the PDF, link lists)
MANIFEST_HEADER = [
    "Файл",
    "SHA-256",
    "Хэмжээ (байт)",
    "Арга хэмжээ",
    "Нотломж",
    "Ажлын огноо",
    "Эх файл эсвэл холбоос",
    "Шалгалт",
]


@dataclass
class Entry:
    path: str
    sha256: str
    size: int
    measure: str = ""
    title: str = ""
    relates_to: str = ""
    source: str = ""
    status: str = STATUS_NEW


def safe_name(name: str, fallback: str = "file") -> str:
    """A file name safe in any ZIP tool: letters (Cyrillic too), digits, `. _ -` and spaces."""
    name = _UNSAFE_RE.sub("_", name.replace("/", "_").replace("\\", "_")).strip(" .")
    return name[:120] or fallback


def _write_bytes(archive: zipfile.ZipFile, path: str, data: bytes) -> Entry:
    archive.writestr(path, data)
    return Entry(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _copy_file(archive: zipfile.ZipFile, path: str, source: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with archive.open(path, "w", force_zip64=True) as target:
        for chunk in iter(lambda: source.read(_CHUNK), b""):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write(
    out: IO[bytes],
    *,
    document: ReportDocument,
    evidence: Iterable[Any],
    pdf_bytes: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> list[Entry]:
    """Write the bundle into `out` (a file opened for binary writing); returns the manifest.

    `evidence` are `Evidence` rows of the report's period (their `measure` joined).
    """
    items = list(evidence)
    total, done = len(items) + 1, 0
    entries: list[Entry] = []
    base = f"{document.year}-{document.period_key}"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        entries.append(_write_bytes(archive, f"{base}-тайлан.pdf", pdf_bytes))
        entries[-1].title = document.title
        done += 1
        if progress:
            progress(done, total)

        by_measure: dict[str, list[Any]] = {}
        for e in items:
            by_measure.setdefault(e.measure.code, []).append(e)
        for code, group in by_measure.items():
            folder = safe_name(code)
            links = []
            for index, e in enumerate(group, start=1):
                common = {
                    "measure": code,
                    "title": e.title,
                    "relates_to": e.relates_to.isoformat(),
                }
                if e.kind != "file":
                    links.append(f"{index}. {e.title}\n   {e.link}\n   {e.relates_to.isoformat()}")
                    entries.append(Entry(path="", sha256="", size=0, source=e.link, **common))
                else:
                    name = f"{folder}/{index:02d}-{safe_name(e.original_name or e.title)}"
                    try:
                        with open_stream(e.file.storage, e.file.name) as source:
                            digest, size = _copy_file(archive, name, source)
                    except (FileNotFoundError, OSError):
                        entries.append(
                            Entry(
                                path="",
                                sha256=e.sha256,
                                size=e.size or 0,
                                source=e.original_name,
                                status=STATUS_MISSING,
                                **common,
                            )
                        )
                    else:
                        entries.append(
                            Entry(
                                path=name,
                                sha256=digest,
                                size=size,
                                source=e.original_name,
                                status=STATUS_OK if digest == e.sha256 else STATUS_CHANGED,
                                **common,
                            )
                        )
                done += 1
                if progress:
                    progress(done, total)
            if links:
                entry = _write_bytes(
                    archive, f"{folder}/links.txt", ("\n".join(links) + "\n").encode()
                )
                entry.measure, entry.title = code, "Холбоосууд"
                entries.append(entry)

        manifest = io.StringIO()
        writer = csv_writer(manifest)  # titles and names may start like a formula
        writer.writerow(MANIFEST_HEADER)
        for entry in entries:
            writer.writerow(
                [
                    entry.path,
                    entry.sha256,
                    entry.size,
                    entry.measure,
                    entry.title,
                    entry.relates_to,
                    entry.source,
                    entry.status,
                ]
            )
        # A BOM so spreadsheet programs read the Cyrillic as UTF-8.
        archive.writestr("manifest.csv", "\ufeff" + manifest.getvalue())
        archive.writestr(
            "SHA256SUMS",
            "".join(f"{entry.sha256}  {entry.path}\n" for entry in entries if entry.path),
        )
    return entries
