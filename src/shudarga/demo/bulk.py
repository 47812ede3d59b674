"""Fast inserts for generated data: PostgreSQL `COPY`, or batched `INSERT` elsewhere.

Rows are plain dicts keyed by field `attname`; what a dict leaves out takes the field's
default (`auto_now`/`auto_now_add` take the time the writer was made). Primary keys are
given by the caller, from `IdRange`, so rows of one table can point to rows of another
without reading them back; `finish()` moves the sequences past them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

_MISSING = object()


# COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    value = str(value)
    return value.translate(_ESCAPES) if _SPECIAL.search(value) else value


def _json(value: Any) -> str:
    return _text(json.dumps(value, ensure_ascii=False))


def _other(value: Any) -> str:
    """Numbers, dates (aware datetimes keep their offset), UUIDs, booleans."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _formatter(field: models.Field) -> Any:
    if isinstance(field, models.JSONField):
        return _json
    if field.get_internal_type() in (
        "CharField",
        "TextField",
        "FileField",
        "URLField",
        "SlugField",
    ):
        return _text
    return _other


class IdRange:
    """The next free primary keys of a model, handed out in order."""

    def __init__(self, model: type[models.Model]):
        self.next = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self, count: int = 1) -> int:
        """The first of `count` consecutive new ids."""
        first = self.next
        self.next += count
        return first


class _Table:
    def __init__(self, model: type[models.Model], now: Any):
        meta = model._meta
        self.model = model
        self.fields = list(meta.local_concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.defaults: list[Any] = []
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults.append(now)
            elif f.has_default():
                self.defaults.append(f.get_default())
            elif f.null:
                self.defaults.append(None)
            elif f.empty_strings_allowed and not f.primary_key:
                self.defaults.append("")
            else:
                self.defaults.append(_MISSING)
        self.pairs = list(zip(self.names, self.defaults, strict=True))
        self.formatters = [_formatter(f) for f in self.fields]
        self.sql_columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.sql_table = connection.ops.quote_name(meta.db_table)

    def values(self, row: dict[str, Any]) -> list[Any]:
        out = [row.get(name, default) for name, default in self.pairs]
        if _MISSING in out:
            missing = self.names[out.index(_MISSING)]
            raise ValueError(f"{self.model.__name__}.{missing} needs a value")
        return out

    def copy_line(self, row: dict[str, Any]) -> str:
        return "\t".join([f(v) for f, v in zip(self.formatters, self.values(row), strict=True)])


class BulkWriter:
    """Writes rows table by table; counts what it wrote."""

    BATCH = 2000

    def __init__(self, *, check_keys: bool = True) -> None:
        """With `check_keys=False` on PostgreSQL, as a superuser, foreign keys are not
        checked row by row (`session_replication_role = replica`, for this transaction
        only): the caller vouches that its ids agree. Django's deferred key checks queue
        one event per row until commit, which at millions of rows costs more than the
        inserts. Elsewhere keys are always checked."""
        self.now = timezone.now()
        self.counts: dict[str, int] = {}
        self._tables: dict[type[models.Model], _Table] = {}
        self._models: list[type[models.Model]] = []
        self.postgresql = connection.vendor == "postgresql"
        self.keys_checked = True
        self._dropped: list[str] = []
        if self.postgresql and not check_keys:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    if not connection.in_atomic_block:
                        raise RuntimeError("BulkWriter(check_keys=False) needs a transaction.")
                    cursor.execute("SET LOCAL session_replication_role = replica")
                    self.keys_checked = False

    def _table(self, model: type[models.Model]) -> _Table:
        if model not in self._tables:
            self._tables[model] = _Table(model, self.now)
            self._models.append(model)
            if self.postgresql and not self.keys_checked:
                self._drop_indexes(model)
        return self._tables[model]

    def _drop_indexes(self, model: type[models.Model]) -> None:
        """Drop the table's secondary indexes (not its primary key or unique constraints)
        until `finish()`: building an index once over millions of rows is several times
        cheaper than updating it row by row. Only in the unchecked mode, whose caller
        promises the unique values too (a unique index rebuilt still checks them)."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND c.oid IS NULL
                """,
                [model._meta.db_table],
            )
            for name, definition in cursor.fetchall():
                self._dropped.append(definition)
                cursor.execute(f"DROP INDEX {name}")

    def write(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
        table = self._table(model)
        written = self._copy(table, rows) if self.postgresql else self._insert(table, rows)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + written
        return written

    def _copy(self, table: _Table, rows: Iterable[dict[str, Any]]) -> int:
        """COPY in text format, the lines built here: several times faster than letting
        the driver adapt each value, which matters at millions of rows."""
        written = 0
        sql = f"COPY {table.sql_table} ({table.sql_columns}) FROM STDIN"
        lines: list[str] = []
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                lines.append(table.copy_line(row))
                if len(lines) >= self.BATCH:
                    copy.write("\n".join(lines) + "\n")
                    written += len(lines)
                    lines = []
            if lines:
                copy.write("\n".join(lines) + "\n")
                written += len(lines)
        return written

    def _insert(self, table: _Table, rows: Iterable[dict[str, Any]]) -> int:
        marks = ", ".join(["%s"] * len(table.fields))
        # Names come from model metadata, quoted; values are parameters.
        sql = f"INSERT INTO {table.sql_table} ({table.sql_columns}) VALUES ({marks})"  # noqa: S608
        written = 0
        batch: list[list[Any]] = []
        with connection.cursor() as cursor:
            for row in rows:
                values = table.values(row)
                batch.append(
                    [
                        f.get_db_prep_save(v, connection)
                        for f, v in zip(table.fields, values, strict=True)
                    ]
                )
                if len(batch) >= self.BATCH:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
        return written

    def finish(self) -> None:
        """Move every written table's id sequence past the ids given (PostgreSQL), and
        refresh the planner's statistics so the first queries on the new rows are sane."""
        if not self.postgresql:
            return
        statements = connection.ops.sequence_reset_sql(no_style(), self._models)
        with connection.cursor() as cursor:
            if self._dropped:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in self._dropped:
                cursor.execute(definition)
            self._dropped = []
            for statement in statements:
                cursor.execute(statement)
            for model in self._models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
