"""Back up and restore an installation: the database and every uploaded file, under
MEDIA_ROOT or, with SHUDARGA_STORAGE=s3, in the bucket under its prefix.

A backup is a directory (or the same as a `.tar.gz`) holding

    manifest.json   what is in it: every file with its size and SHA-256, the database
                    engine, each app's latest applied migration, when it was made, the
                    audit chain's head and every anchor of it; signed with the audit key
    db.sqlite3      SQLite, copied with the online backup API (safe while the app runs), or
    db.pgdump       PostgreSQL, `pg_dump --format=custom`
    media/...       evidence files, petition attachments and the rest of MEDIA_ROOT, or
                    every object of the S3 bucket under the prefix (the manifest's `media`
                    names the bucket, prefix and endpoint they came from)

A backup is complete whatever the storage: with S3 the objects are read through the storage
and copied in, so no backup lacks the evidence it names. A restore puts the files back where
this installation keeps them (MEDIA_ROOT or its bucket), whichever kept them before: that is
also how an installation moves its files from disk into a bucket.

A restore checks the manifest's signature (so a changed file whose digest was recomputed in
the manifest is refused too) and every file's size and digest before it touches anything;
it never follows a symbolic link, in a directory or an archive; from an archive it reads the
manifest first (written first) and unpacks only the files it lists, of the sizes it lists,
so nothing unlisted or oversized is ever written. It refuses a non-empty installation unless
forced, then puts back the database and the files. Backups hold personal data (petitioners,
password hashes): they are written readable by their owner only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from shudarga.core.anchors import anchor_dict
from shudarga.core.audit_keys import check_signature, current_key, sign
from shudarga.core.models import AuditAnchor, AuditChainHead
from shudarga.core.storage import open_stream, stored_names

MANIFEST = "manifest.json"
FORMAT = "shudarga-backup"
VERSION = 2  # 2: signed, manifest first in archives, anchors; 1: unsigned
MAX_MANIFEST_BYTES = 256 * 1024 * 1024  # a million files are about 200 MB of manifest
DB_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}
MEDIA_DIR = "media"
CHUNK = 1024 * 1024
PROGRESS_EVERY = 500  # files between progress lines

# Rows that `migrate` itself writes: an installation holding only these is empty.
_SETUP_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "core.auditchainhead",
}

Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class ManifestFile:
    path: str  # POSIX path inside the backup
    size: int
    sha256: str


# -- backup ---------------------------------------------------------------------------------


def backup_create(*, destination: Path, progress: Progress = lambda _: None) -> dict[str, Any]:
    """Write a backup of the default database and the media files (MEDIA_ROOT or the S3
    bucket's prefix) to `destination`: a directory
    (new or empty) or, when the name ends with `.tar.gz`, an archive. Returns the manifest.

    Everything is written beside the destination first and moved into place at the end, so
    a failed backup leaves nothing that looks like a backup.
    """
    destination = destination.resolve()
    archive = destination.name.endswith(".tar.gz")
    if destination.exists() and (archive or not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} already exists; choose a new name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=destination.parent))  # mode 0700
    try:
        manifest = _write_backup(work, progress)
        if archive:
            progress(f"Packing {destination.name} …")
            _pack(work, destination)
        else:
            if destination.exists():
                destination.rmdir()
            work.rename(destination)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress(f"Backup written to {destination}: {len(manifest['files'])} files.")
    return manifest


def _write_backup(work: Path, progress: Progress) -> dict[str, Any]:
    engine = database_engine()
    db_name = DB_FILES[engine]
    progress(f"Copying the {engine} database …")
    _dump_database(engine, work / db_name)
    files = [_describe(work, db_name)]
    bucket = media_bucket()
    if bucket is None:
        files += _copy_local_media(work, progress)
        media = {"storage": "local"}
    else:
        files += _copy_bucket_media(bucket, work, progress)
        media = {"storage": "s3", **_bucket_place(bucket)}

    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"engine": engine, "file": db_name},
        "migrations": migration_state(),
        "audit_head": _audit_head(),
        "anchors": _anchors(),
        # Where the media files came from; they are in `files` either way.
        "media": media,
        "files": [f.__dict__ for f in files],
    }
    manifest = manifest_sign(manifest)
    _write_private(work / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
    return manifest


def _dump_database(engine: str, target: Path) -> None:
    if engine == "sqlite":
        _sqlite_backup(target)
    else:
        _pg_dump(target)


def _copy_local_media(work: Path, progress: Progress) -> list[ManifestFile]:
    """Every regular file under MEDIA_ROOT, copied into `work/media/` and described."""
    media_root = Path(settings.MEDIA_ROOT)
    media = list(_media_files(media_root, progress))
    progress(f"Copying {len(media)} media files …")
    files = []
    for number, relative in enumerate(media, start=1):
        inside = f"{MEDIA_DIR}/{relative.as_posix()}"
        size, digest = _copy_hashing(media_root / relative, work / inside)
        files.append(ManifestFile(inside, size, digest))
        if number % PROGRESS_EVERY == 0:
            progress(f"  {number} of {len(media)} files copied")
    return files


def media_bucket() -> Storage | None:
    """The default storage when uploads go to an S3 bucket (SHUDARGA_STORAGE=s3), None when
    they are files under MEDIA_ROOT."""
    return None if isinstance(default_storage, FileSystemStorage) else default_storage


def _bucket_place(storage: Storage) -> dict[str, str]:
    """Where the bucket is, for the manifest and the operator: name, prefix, endpoint."""
    return {
        "bucket": str(getattr(storage, "bucket_name", "")),
        "prefix": str(getattr(storage, "location", "")),
        "endpoint": str(getattr(storage, "endpoint_url", "") or ""),
    }


def _bucket_where(storage: Storage) -> str:
    place = _bucket_place(storage)
    where = f"S3 bucket {place['bucket']}"
    if place["prefix"]:
        where += f", prefix {place['prefix']}/"
    return where + (f" at {place['endpoint']}" if place["endpoint"] else "")


def _copy_bucket_media(storage: Storage, work: Path, progress: Progress) -> list[ManifestFile]:
    """Every object of the bucket's prefix, read through the storage, into `work/media/`."""
    progress(f"Copying the media files from {_bucket_where(storage)} …")
    files = []
    for number, name in enumerate(stored_names(storage), start=1):
        inside = f"{MEDIA_DIR}/{_safe_relative(name)}"
        target = work / inside
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        try:
            with open_stream(storage, name) as src, _open_private(target) as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
        except FileNotFoundError:  # removed since it was listed (a pending upload moved)
            target.unlink(missing_ok=True)
            progress(f"Skipped {name}: removed from the bucket while the backup ran.")
            continue
        files.append(ManifestFile(inside, size, digest.hexdigest()))
        if number % PROGRESS_EVERY == 0:
            progress(f"  {number} objects copied")
    progress(f"Copied {len(files)} media files from the bucket.")
    return files


def _signed_bytes(manifest: dict[str, Any]) -> bytes:
    """What a manifest's signature covers: every field but `signature`, canonical JSON."""
    unsigned = {key: value for key, value in manifest.items() if key != "signature"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def manifest_sign(manifest: dict[str, Any]) -> dict[str, Any]:
    """`manifest` with its `signature`: the HMAC of the rest under the audit key."""
    key = current_key()
    return {**manifest, "signature": {"key": key.id, "mac": sign(_signed_bytes(manifest), key)}}


def _anchors() -> list[dict[str, Any]]:
    try:
        return [anchor_dict(row) for row in AuditAnchor.objects.order_by("at", "id")]
    except DatabaseError:  # a database that was never migrated
        return []


def database_engine() -> str:
    """`sqlite` or `postgresql` for the default database; BackupError for anything else."""
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in DB_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def migration_state() -> dict[str, str]:
    """Each app's latest applied migration, from the `django_migrations` table."""
    applied = MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations()
    latest: dict[str, str] = {}
    for app, name in applied:
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def _audit_head() -> dict[str, Any] | None:
    """The audit log's newest entry and its digest, and every chain's head (id, organization,
    last entry, digest): kept outside the database, they show later whether a chain was
    rewritten wholesale (which `verify_audit` alone cannot see)."""
    try:
        heads = list(
            AuditChainHead.objects.filter(last_entry_id__isnull=False)
            .order_by("pk")
            .values("id", "organization_id", "last_entry_id", "digest")
        )
    except DatabaseError:  # a database that was never migrated
        return None
    if not heads:
        return None
    newest = max(heads, key=lambda head: head["last_entry_id"])
    return {
        "last_entry_id": newest["last_entry_id"],
        "digest": newest["digest"],
        "chains": heads,
    }


def _sqlite_name() -> Path:
    name = str(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("The database is in memory; there is nothing on disk to back up.")
    return Path(name)


def _sqlite_backup(target: Path) -> None:
    source_path = _sqlite_name()
    if not source_path.is_file():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    # The online backup API copies a consistent snapshot even while the app writes.
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # One self-contained file: no -wal beside it to lose.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    target.chmod(0o600)


def _pg_env() -> dict[str, str]:
    """libpq's environment for the default database: the password travels in PGPASSWORD,
    never on the command line where `ps` would show it."""
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS", {})
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return env


def _run_pg(args: list[str]) -> None:
    try:
        result = subprocess.run(  # noqa: S603 (fixed program, arguments are ours)
            args, env=_pg_env(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} is not installed; install the PostgreSQL client (postgresql-client) of "
            f"the server's version."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip() or result.returncode}")


def _pg_dump(target: Path) -> None:
    _run_pg(["pg_dump", "--format=custom", "--no-password", f"--file={target}"])
    target.chmod(0o600)


def _media_files(root: Path, progress: Progress) -> Iterator[PurePosixPath]:
    """Regular files under `root`, relative, in a stable order. Symlinks are skipped: they
    may point outside MEDIA_ROOT, and the app never makes them."""
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory) / name
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if path.is_symlink() or not path.is_file():
                progress(f"Skipped {relative}: not a regular file.")
                continue
            yield relative


def _copy_hashing(source: Path, target: Path, *, private: bool = True) -> tuple[int, str]:
    """Copy `source` to `target` and return its size and SHA-256, in one read. `private`
    files (a backup's) are readable by their owner only; others get the usual umask."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    out = _open_private(target) if private else target.open("wb")
    with _open_nofollow(source) as src, out as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _open_private(path: Path) -> Any:
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _write_private(path: Path, data: bytes) -> None:
    with _open_private(path) as out:
        out.write(data)


def _describe(root: Path, inside: str) -> ManifestFile:
    size, digest = _hash_file(root / inside)
    return ManifestFile(inside, size, digest)


def _hash_file(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with _open_nofollow(path) as src:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _pack(work: Path, destination: Path) -> None:
    """The backup directory `work` as a `.tar.gz`, the manifest first (a restore reads it
    before anything else is unpacked)."""
    partial = destination.with_name(destination.name + ".partial")
    files = sorted(p for p in work.rglob("*") if p.is_file() and p.name != MANIFEST)
    with _open_private(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for path in [work / MANIFEST, *files]:
            tar.add(path, arcname=path.relative_to(work).as_posix(), recursive=False)
    partial.replace(destination)


# -- restore --------------------------------------------------------------------------------


@contextlib.contextmanager
def opened_backup(source: Path, *, allow_unsigned: bool = False) -> Iterator[Path]:
    """The backup's directory: `source` itself, or a `.tar.gz` unpacked into a temporary
    directory beside the data. From an archive, the manifest is read and checked first
    (`manifest_parse`); then only regular files it lists, each of the size it lists, and
    folders are unpacked, never outside the directory; anything else is refused before a
    byte of it is written."""
    source = source.resolve()
    if source.is_dir():
        yield source
        return
    if not (source.is_file() and source.name.endswith(".tar.gz")):
        raise BackupError(f"{source} is neither a backup directory nor a .tar.gz backup.")
    manifest = archive_manifest(source, allow_unsigned=allow_unsigned)
    sizes = {entry["path"]: entry["size"] for entry in manifest["files"]}
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.DATA_DIR))
    try:
        try:
            with tarfile.open(source, mode="r:gz") as tar:
                unpacked: set[str] = set()
                for member in tar:
                    _extract_member(tar, member, work, sizes=sizes, unpacked=unpacked)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{source.name} cannot be unpacked: {exc}") from None
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _archive_manifest_bytes(source: Path) -> bytes:
    """The manifest member of the archive `source`, without unpacking anything else (a
    backup of this version has it first; an older one is read through, unpacking nothing)."""
    try:
        with tarfile.open(source, mode="r:gz") as tar:
            for member in tar:
                if _safe_relative(member.name) != MANIFEST:
                    continue
                if not member.isfile():
                    raise BackupError(f"{MANIFEST} in the archive is not a regular file.")
                if member.size > MAX_MANIFEST_BYTES:
                    raise BackupError(f"{MANIFEST} in the archive is too large to be one.")
                extracted = tar.extractfile(member)
                if extracted is None:
                    raise BackupError(f"{MANIFEST} in the archive cannot be read.")
                with extracted:
                    return extracted.read(MAX_MANIFEST_BYTES + 1)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{source.name} cannot be read: {exc}") from None
    raise BackupError(f"{source.name} has no {MANIFEST}: it is not a backup.")


def archive_manifest(source: Path, *, allow_unsigned: bool = False) -> dict[str, Any]:
    """The checked manifest (`manifest_parse`) of the `.tar.gz` backup `source`."""
    return manifest_parse(_archive_manifest_bytes(source), allow_unsigned=allow_unsigned)


def manifest_anchors(source: Path) -> list[dict[str, Any]]:
    """The audit anchors kept in the manifest of the backup `source` (directory or
    `.tar.gz`), after its signature is checked."""
    if source.is_dir():
        manifest = manifest_parse(_read_manifest_file(source), allow_unsigned=False)
    else:
        manifest = archive_manifest(source)
    return list(manifest.get("anchors") or [])


def _extract_member(
    tar: tarfile.TarFile,
    member: tarfile.TarInfo,
    work: Path,
    *,
    sizes: dict[str, int],
    unpacked: set[str],
) -> None:
    inside = _safe_relative(member.name)
    if member.isdir():
        (work / inside).mkdir(parents=True, exist_ok=True)
        return
    if not member.isfile():
        raise BackupError(
            f"{member.name} in the archive is not a regular file (a link or a device): refused."
        )
    if inside == MANIFEST:
        expected = member.size  # read and checked already; copied as it is
    elif inside not in sizes:
        raise BackupError(f"{inside} is in the archive but not in its manifest.")
    else:
        expected = sizes[inside]
    if member.size != expected:
        raise BackupError(
            f"{inside} is {member.size} bytes in the archive but {expected} in the manifest: "
            f"the backup is damaged or was changed."
        )
    if inside in unpacked:
        raise BackupError(f"{inside} is in the archive twice.")
    unpacked.add(inside)
    target = work / inside
    target.parent.mkdir(parents=True, exist_ok=True)
    extracted = tar.extractfile(member)
    if extracted is None:
        raise BackupError(f"{member.name} in the archive cannot be read.")
    with extracted, _open_private(target) as out:
        shutil.copyfileobj(extracted, out, CHUNK)


def _safe_relative(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise BackupError(f"{name!r} is not a safe path inside a backup.")
    return path.as_posix()


def _no_link(root: Path, inside: str) -> Path:
    """`root / inside`, after checking that neither it nor a folder on the way is a
    symbolic link (a backup directory whose media file points at /etc/shadow must not hand
    that file over). BackupError naming it otherwise."""
    path = root
    for part in PurePosixPath(inside).parts:
        path = path / part
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            return root / inside
        if stat.S_ISLNK(mode):
            raise BackupError(
                f"{path.relative_to(root).as_posix()} is a symbolic link: a backup never holds "
                f"one, and links are not followed."
            )
    return root / inside


def _read_manifest_file(root: Path) -> bytes:
    path = _no_link(root, MANIFEST)
    try:
        if path.lstat().st_size > MAX_MANIFEST_BYTES:
            raise BackupError(f"{MANIFEST} is too large to be one.")
        with _open_nofollow(path) as handle:
            return handle.read()
    except FileNotFoundError:
        raise BackupError(f"{root} has no {MANIFEST}: it is not a backup.") from None


def _open_nofollow(path: Path) -> Any:
    return os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb")


def manifest_parse(data: bytes, *, allow_unsigned: bool = False) -> dict[str, Any]:
    """The manifest in `data`, after checking its form and its signature: a version-2
    manifest must be signed with a known audit key and unchanged since (a file changed with
    its digest recomputed in the manifest is refused here). A version-1 (unsigned) manifest
    is refused unless `allow_unsigned`. BackupError saying what is wrong."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{MANIFEST} is damaged: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not a Shudarga backup manifest.")
    version = manifest.get("version")
    if version == 1:
        if not allow_unsigned:
            raise BackupError(
                "This backup was made before backups were signed (format version 1), so a "
                "change to it cannot be detected. Restore it only if you are sure it was "
                "kept safe, with --allow-unsigned."
            )
    elif version == VERSION:
        signature = manifest.get("signature")
        if not isinstance(signature, dict):
            raise BackupError(f"{MANIFEST} is not signed: it was changed or forged.")
        fault = check_signature(
            _signed_bytes(manifest), key_id=str(signature.get("key", "")), mac=signature.get("mac")
        )
        if fault:
            raise BackupError(
                f"{MANIFEST}: {fault}. The backup was changed after it was made, or it was "
                f"made with an audit key this installation does not have (set "
                f"SHUDARGA_AUDIT_KEY or SHUDARGA_AUDIT_OLD_KEYS to the key it was made with)."
            )
    else:
        raise BackupError(f"This backup has format version {version!r}; "
                          f"this version of Shudarga reads versions 1 and {VERSION}.")  # fmt: skip
    return manifest


def backup_check(root: Path, *, allow_unsigned: bool = False) -> dict[str, Any]:
    """The manifest of the backup in `root`, after checking its signature
    (`manifest_parse`) and that every file it lists is there, a regular file reached without
    a symbolic link, with its size and SHA-256, and that nothing else is. BackupError naming
    the first file that differs."""
    manifest = manifest_parse(_read_manifest_file(root), allow_unsigned=allow_unsigned)
    try:
        files = [ManifestFile(**entry) for entry in manifest["files"]]
        engine, db_file = manifest["database"]["engine"], manifest["database"]["file"]
    except (KeyError, TypeError) as exc:
        raise BackupError(f"{MANIFEST} is incomplete: {exc}") from None
    if not isinstance(manifest.get("migrations", {}), dict):
        raise BackupError(f"{MANIFEST} has a malformed migration state.")
    for entry in files:
        if not (
            isinstance(entry.path, str)
            and isinstance(entry.size, int)
            and isinstance(entry.sha256, str)
        ):
            raise BackupError(f"{MANIFEST} has a malformed file entry: {entry}")
    if DB_FILES.get(engine) != db_file or db_file not in {f.path for f in files}:
        raise BackupError(f"{MANIFEST} does not list the database file.")

    listed = set()
    for entry in files:
        inside = _safe_relative(entry.path)
        if inside != db_file and not inside.startswith(f"{MEDIA_DIR}/"):
            raise BackupError(
                f"{entry.path}: the manifest lists a file outside the backup's parts."
            )
        path = _no_link(root, inside)
        try:
            info = path.lstat()
        except FileNotFoundError:
            raise BackupError(f"{entry.path} is missing from the backup.") from None
        if not stat.S_ISREG(info.st_mode):
            raise BackupError(f"{entry.path} is not a regular file.")
        size, digest = (info.st_size, "") if info.st_size != entry.size else _hash_file(path)
        if size != entry.size or digest != entry.sha256:
            raise BackupError(
                f"{entry.path} does not match the manifest (size {size}, expected {entry.size}"
                + (
                    f"; SHA-256 {digest[:12]}…, expected {str(entry.sha256)[:12]}…"
                    if digest
                    else ""
                )
                + "): the backup is damaged or was changed."
            )
        listed.add(inside)
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        for name in sorted([*dirnames, *filenames]):
            path = Path(directory) / name
            inside = path.relative_to(root).as_posix()
            if path.is_symlink():
                raise BackupError(
                    f"{inside} is a symbolic link: a backup never holds one, and links are not "
                    f"followed."
                )
            if name in filenames and inside not in listed | {MANIFEST}:
                raise BackupError(f"{inside} is in the backup but not in its manifest.")
    return manifest


def installation_contents() -> list[str]:
    """What the installation already holds (`"12 plans.plan rows"`, `"3 media files"`);
    empty when the database has only what `migrate` writes and MEDIA_ROOT (or the bucket's
    prefix) has no files."""
    found: list[str] = []
    connection = connections[DEFAULT_DB_ALIAS]
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.label_lower in _SETUP_MODELS or model._meta.db_table not in tables:
            continue
        if count := model._default_manager.using(DEFAULT_DB_ALIAS).count():
            found.append(f"{count} {model._meta.label_lower} rows")
    if (bucket := media_bucket()) is not None:
        if count := sum(1 for _ in itertools.islice(stored_names(bucket), 1000)):
            found.append(f"{count if count < 1000 else 'over 1000'} files in the bucket")
        return found
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and (count := sum(1 for p in media_root.rglob("*") if p.is_file())):
        found.append(f"{count} media files")
    return found


def backup_restore(
    *,
    source: Path,
    force: bool = False,
    allow_unsigned: bool = False,
    progress: Progress = lambda _: None,
) -> dict[str, Any]:
    """Restore the backup at `source` (directory or `.tar.gz`) into this installation.

    Order: every digest is checked, the engine must match, the installation must be empty
    (or `force`); only then is the database replaced and MEDIA_ROOT, or the bucket's
    prefix, made equal to the backup's files (with `force`, files the backup does not have
    are removed). Stop the web
    and background processes first: they must not hold the database open. Returns the
    manifest.
    """
    with opened_backup(source, allow_unsigned=allow_unsigned) as root:
        progress("Checking the backup's signature and digests …")
        manifest = backup_check(root, allow_unsigned=allow_unsigned)
        engine = database_engine()
        if manifest["database"]["engine"] != engine:
            raise BackupError(
                f"The backup holds a {manifest['database']['engine']} database but this "
                f"installation uses {engine}."
            )
        if unknown := _unknown_migrations(manifest.get("migrations", {})):
            raise BackupError(
                "The backup comes from a newer version of Shudarga: this code lacks its "
                f"migrations {', '.join(unknown[:5])}. Upgrade first, then restore."
            )
        if (contents := installation_contents()) and not force:
            raise BackupError(
                "This installation is not empty ("
                + ", ".join(contents[:5])
                + (", …" if len(contents) > 5 else "")
                + "). Restore into a new installation, or pass --force to replace its data."
            )
        database = root / manifest["database"]["file"]
        progress(f"Restoring the {engine} database …")
        connections.close_all()
        if engine == "sqlite":
            _sqlite_restore(database)
        else:
            _run_pg([
                "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl",
                "--single-transaction", "--no-password", f"--dbname={_pg_env()['PGDATABASE']}",
                str(database),
            ])  # fmt: skip
        media = [f for f in manifest["files"] if f["path"].startswith(f"{MEDIA_DIR}/")]
        progress(f"Restoring {len(media)} media files …")
        _restore_media(root, media, remove_others=force, progress=progress)
    connections.close_all()
    return manifest


def _sqlite_restore(database: Path) -> None:
    target = _sqlite_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(database, partial)
    check = sqlite3.connect(partial)
    try:
        result = check.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        partial.unlink()
        raise BackupError(f"The backed-up SQLite database is damaged: {result}")
    # A -wal left by the old database would be replayed into the new one: remove it.
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    partial.replace(target)


def _restore_media(
    root: Path, media: list[dict[str, Any]], *, remove_others: bool, progress: Progress
) -> None:
    if (bucket := media_bucket()) is not None:
        _restore_bucket_media(bucket, root, media, remove_others=remove_others, progress=progress)
    else:
        _restore_local_media(root, media, remove_others=remove_others, progress=progress)


class _HashingReader:
    """Reads a file once, front to back, counting and digesting what was read: the upload
    to the bucket and the check that the bytes are the manifest's are the same read."""

    closed = False

    def __init__(self, handle: Any) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def seekable(self) -> bool:
        return False  # so the storage never rewinds it and digests bytes twice


def _restore_bucket_media(
    storage: Storage,
    root: Path,
    media: list[dict[str, Any]],
    *,
    remove_others: bool,
    progress: Progress,
) -> None:
    """Put each media file of the backup in the bucket under its own name (an object of
    that name is replaced); with `remove_others`, remove the bucket's objects under the
    prefix that the backup does not have."""
    progress(f"Into {_bucket_where(storage)} …")
    wanted = set()
    for number, entry in enumerate(media, start=1):
        name = entry["path"][len(MEDIA_DIR) + 1 :]
        wanted.add(name)
        with _open_nofollow(_no_link(root, entry["path"])) as handle:
            reader = _HashingReader(handle)
            storage.delete(name)  # the storage never overwrites: it would pick a new name
            stored = storage.save(name, File(reader, name=name))
        if stored != name:
            raise BackupError(f"{name} was stored as {stored} in the bucket.")
        if (reader.size, reader.digest.hexdigest()) != (entry["size"], entry["sha256"]):
            storage.delete(name)
            raise BackupError(f"{entry['path']} changed while it was being restored.")
        if number % PROGRESS_EVERY == 0:
            progress(f"  {number} of {len(media)} files restored")
    if remove_others:
        for name in [n for n in stored_names(storage) if n not in wanted]:
            progress(f"Removed {name} from the bucket: not in the backup.")
            storage.delete(name)


def _restore_local_media(
    root: Path, media: list[dict[str, Any]], *, remove_others: bool, progress: Progress
) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    wanted = set()
    for number, entry in enumerate(media, start=1):
        relative = entry["path"][len(MEDIA_DIR) + 1 :]
        wanted.add(relative)
        target = media_root / relative
        partial = target.with_name(target.name + ".restoring")
        size, digest = _copy_hashing(_no_link(root, entry["path"]), partial, private=False)
        if (size, digest) != (entry["size"], entry["sha256"]):  # changed since the check
            partial.unlink()
            raise BackupError(f"{entry['path']} changed while it was being restored.")
        partial.replace(target)
        if number % PROGRESS_EVERY == 0:
            progress(f"  {number} of {len(media)} files restored")
    if remove_others and media_root.is_dir():
        for path in sorted(media_root.rglob("*")):
            if path.is_file() and path.relative_to(media_root).as_posix() not in wanted:
                progress(f"Removed {path.relative_to(media_root)}: not in the backup.")
                path.unlink()


def _unknown_migrations(state: dict[str, str]) -> list[str]:
    nodes = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    return [f"{app}.{name}" for app, name in sorted(state.items()) if (app, name) not in nodes]


def pending_migrations() -> list[str]:
    """Migrations the code has that the (restored) database has not applied."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
