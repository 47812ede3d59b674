"""Files that a crash cannot leave behind.

An upload is stored under a pending name first (`_pending/<final name>`) and moved to its
final name only once the transaction that saves its row has committed (`stage_upload`): a
worker killed between storing the bytes and saving the row leaves a pending file, never a
final one. The row names the final file from the start, so the pending name says where the
file belongs.

`storage_sweep` (`shudarga sweep_storage`, daily) then cleans up after crashes, each file
older than a grace period:
- a pending file whose row was committed (the move was interrupted) is moved into place;
- a pending file without a row (the transaction never committed) is removed;
- any other stored file no row refers to (left by a crash before uploads were staged, or by
  a row deleted behind the application's back) is removed;
- Django's temporary upload files (FILE_UPLOAD_TEMP_DIR, in the data directory) and the
  folders of an interrupted restore are removed.
Everything it does is reported. "Refers to" means a file field of any model, historical
versions included, so a file an old version still names is kept.
"""

from __future__ import annotations

import datetime as dt
import heapq
import io
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Collate
from django.utils import timezone

logger = logging.getLogger(__name__)

PENDING = "_pending/"


def _after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current transaction commits (at once outside one). Tests,
    whose transactions never commit, run it at once instead (tests/conftest.py)."""
    transaction.on_commit(callback, robust=True)


def stage_upload(field_file: FieldFile, name: str, content: File) -> str:
    """Store `content` for `field_file` (of an unsaved row) under a pending name and set
    the field to the final name its `upload_to` gives `name`; the file moves there when the
    transaction commits. Returns the pending name (the caller removes it if the row is not
    saved after all; the sweep does so if the process dies first)."""
    field_ = field_file.field
    storage = field_file.storage
    final = storage.get_available_name(
        field_.generate_filename(field_file.instance, name), max_length=field_.max_length
    )
    pending = storage.save(PENDING + final, content)
    field_file.name = final
    field_file._committed = True  # the row may be saved; the bytes are stored
    _after_commit(lambda: promote(storage, pending, final))
    return pending


def promote(storage: Storage, pending: str, final: str) -> None:
    """Move the pending file `pending` to `final`, never over an existing file. On local
    disk a rename (the bytes are not copied); in an S3 bucket a copy made by the server (the
    bytes do not travel through the app); elsewhere a copy through the app. Then the pending
    copy is deleted."""
    if isinstance(storage, FileSystemStorage):
        source, target = Path(storage.path(pending)), Path(storage.path(final))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)  # fails rather than replace a file of the same name
        source.unlink()
        return
    if _is_s3(storage):
        if storage.exists(final):
            raise RuntimeError(f"{final} exists already; the upload stays at {pending}")
        # The managed copy: one CopyObject, or a multipart copy for a big object.
        storage.connection.meta.client.copy(
            {"Bucket": storage.bucket_name, "Key": _s3_key(storage, pending)},
            storage.bucket_name,
            _s3_key(storage, final),
            Config=storage.transfer_config,
        )
        storage.delete(pending)
        return
    with storage.open(pending, "rb") as handle:
        stored = storage.save(final, handle)
    if stored != final:
        raise RuntimeError(f"{final} exists already; the upload stays at {stored}")
    storage.delete(pending)


def _is_s3(storage: Storage) -> bool:
    # Imported here: boto3 takes a while to import, and most installations keep files on disk.
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def _s3_key(storage: Any, name: str) -> str:
    """The object key of the storage name `name`: the storage's prefix, then the name."""
    from storages.utils import clean_name, safe_join

    return safe_join(storage.location, clean_name(name))


class _ObjectBody(io.RawIOBase):
    """An S3 object's body, read as it arrives from the server; `size` is its length."""

    def __init__(self, body: Any, size: int) -> None:
        super().__init__()
        self._body, self.size = body, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


def open_stream(storage: Storage, name: str) -> IO[bytes]:
    """The stored file `name`, open for one read from start to end (a download, a copy, a
    digest); FileNotFoundError when it is missing. From an S3 bucket the bytes are passed
    on as they arrive, so the first ones go out before the last have come and nothing is
    spooled to disk (`storage.open` would fetch the whole object first); the reader's
    `size` is the object's length. Elsewhere it is `storage.open(name, "rb")`."""
    if not _is_s3(storage):
        return storage.open(name, "rb")
    from botocore.exceptions import ClientError

    bucket = storage.bucket_name  # type: ignore[attr-defined]
    client = storage.connection.meta.client  # type: ignore[attr-defined]
    try:
        answer = client.get_object(Bucket=bucket, Key=_s3_key(storage, name))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise FileNotFoundError(f"{name} is not in bucket {bucket}") from None
        raise
    return _ObjectBody(answer["Body"], answer["ContentLength"])  # type: ignore[return-value]


def discard_pending(field_file: FieldFile, pending: str) -> None:
    """Remove the file `stage_upload` stored for a row that will not be saved (the service
    failed): the pending file, or the final one if it was moved already (there was no
    transaction to wait for)."""
    for name in (pending, field_file.name):
        if name:
            field_file.storage.delete(name)


# -- the sweep ----------------------------------------------------------------------------


@dataclass
class SweptFile:
    name: str
    size: int | None
    what: str  # "removed" or "finished"
    why: str


@dataclass
class SweepReport:
    files: list[SweptFile] = field(default_factory=list)
    young: int = 0  # files left alone because they are newer than the grace period
    checked: int = 0

    @property
    def removed(self) -> list[SweptFile]:
        return [f for f in self.files if f.what == "removed"]

    @property
    def finished(self) -> list[SweptFile]:
        return [f for f in self.files if f.what == "finished"]


def _file_fields() -> list[tuple[type[models.Model], str]]:
    """(model, column) of every stored file name: each file field, and its copy in the
    historical table of a tracked model (django-simple-history keeps it as text)."""
    found = set()
    for model in apps.get_models():
        tracked = getattr(model, "instance_type", None)  # a historical model's original
        for f in (tracked or model)._meta.concrete_fields:
            if isinstance(f, models.FileField):
                found.add((model, f.attname))
    return sorted(found, key=lambda item: (item[0]._meta.label_lower, item[1]))


def _names_in_order(model: type[models.Model], attname: str) -> Iterator[str]:
    """The file names `model.attname` holds, in code-point order (byte order: the "C"
    collation on PostgreSQL, SQLite's default), streamed."""
    order = Collate(attname, "C") if connection.vendor == "postgresql" else attname
    names = (
        model._default_manager.exclude(**{attname: ""})
        .exclude(**{f"{attname}__isnull": True})
        .order_by(order)
        .values_list(attname, flat=True)
    )
    return names.iterator(chunk_size=5000)


def referenced_names() -> Iterator[str]:
    """Every file name a row refers to, in code-point order, without repeats. Memory stays
    flat however many rows (a merge of one sorted stream per file field)."""
    last = None
    for name in heapq.merge(*(_names_in_order(m, a) for m, a in _file_fields())):
        if name != last:
            yield name
            last = name


def stored_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file in `storage` under `directory`, in code-point order of the whole name
    (`a.txt` before `a/…` before `a0`). An S3 bucket is listed flat, a thousand keys a
    request, rather than folder by folder (its keys come in byte order, which for UTF-8 is
    code-point order)."""
    if not directory and _is_s3(storage):
        yield from _bucket_names(storage)
        return
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    prefix = f"{directory}/" if directory else ""
    entries = [(f"{name}/", True) for name in folders] + [(name, False) for name in files]
    for name, is_folder in sorted(entries):
        if is_folder:
            yield from stored_names(storage, prefix + name[:-1])
        else:
            yield prefix + name


def _bucket_names(storage: Any) -> Iterator[str]:
    """Every object under the S3 storage's prefix, as storage names, in the bucket's order."""
    location = str(storage.location).strip("/")
    prefix = f"{location}/" if location else ""
    for summary in storage.bucket.objects.filter(Prefix=prefix):
        name = summary.key[len(prefix) :]
        if name and not name.endswith("/"):  # a "folder" marker some tools create
            yield name


def _age_ok(storage: Storage, name: str, cutoff: dt.datetime) -> bool:
    try:
        return storage.get_modified_time(name) < cutoff
    except (OSError, NotImplementedError):
        return False


def _size(storage: Storage, name: str) -> int | None:
    try:
        return storage.size(name)
    except OSError:
        return None


def storage_sweep(
    *,
    grace: dt.timedelta,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    storage: Storage | None = None,
) -> SweepReport:
    """Clean up what crashes left (see the module's docstring): files older than `grace`
    that no row refers to, pending uploads, temporary upload files, interrupted restores.
    With `dry_run`, only report. Each removal is logged as a warning (a crash happened)."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - grace
    report = SweepReport()

    def act(name: str, what: str, why: str, do: Callable[[], None]) -> None:
        report.files.append(SweptFile(name, _size(storage, name), what, why))
        logger.warning("sweep_storage: %s %s (%s)", what, name, why)
        if not dry_run:
            do()

    referenced = referenced_names()
    current = next(referenced, None)
    pending: list[str] = []
    for name in stored_names(storage):
        report.checked += 1
        if name.startswith(PENDING):
            pending.append(name)
            continue
        while current is not None and current < name:
            current = next(referenced, None)
        if current == name:
            continue
        if not _age_ok(storage, name, cutoff):
            report.young += 1
            continue
        act(name, "removed", "no row refers to it", lambda n=name: storage.delete(n))

    for name in pending:
        if not _age_ok(storage, name, cutoff):
            report.young += 1
            continue
        final = name[len(PENDING) :]
        if _is_referenced(final):
            act(
                name,
                "finished",
                f"its row was saved but the move to {final} was interrupted",
                lambda n=name, f=final: promote(storage, n, f),
            )
        else:
            act(
                name,
                "removed",
                "an upload whose row was never saved (the process stopped)",
                lambda n=name: storage.delete(n),
            )
    _sweep_local_leftovers(report, cutoff, dry_run)
    return report


def _is_referenced(name: str) -> bool:
    return any(m._default_manager.filter(**{a: name}).exists() for m, a in _file_fields())


def _sweep_local_leftovers(report: SweepReport, cutoff: dt.datetime, dry_run: bool) -> None:
    """Temporary upload files and interrupted restores in the data directory."""
    limit = cutoff.timestamp()
    temp_dir = Path(settings.FILE_UPLOAD_TEMP_DIR) if settings.FILE_UPLOAD_TEMP_DIR else None
    leftovers: list[tuple[Path, str]] = []
    if temp_dir is not None and temp_dir.is_dir():
        why = "a temporary upload file of an upload that stopped"
        leftovers += [(p, why) for p in temp_dir.iterdir()]
    data_dir = Path(settings.DATA_DIR)
    if data_dir.is_dir():
        why = "the folder of a restore that stopped"
        leftovers += [(p, why) for p in data_dir.glob(".restore-*")]
    for path, why in sorted(leftovers):
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        report.checked += 1
        if info.st_mtime >= limit:
            report.young += 1
            continue
        size = info.st_size if path.is_file() else None
        report.files.append(SweptFile(str(path), size, "removed", why))
        logger.warning("sweep_storage: removed %s (%s)", path, why)
        if dry_run:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def sweep_grace() -> dt.timedelta:
    """How old a file must be before the sweep touches it (STORAGE_SWEEP_GRACE_HOURS)."""
    return dt.timedelta(hours=float(getattr(settings, "STORAGE_SWEEP_GRACE_HOURS", 24)))
