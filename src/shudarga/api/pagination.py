"""Cursor (keyset) pagination for every API list.

Keyset, not offset: a page never repeats or skips rows when rows are added meanwhile, and
page 1,000 costs what page 1 does. The cursor is the ordering key of the last row returned,
opaque to the client, and names the ordering it belongs to so a cursor of one ordering is
refused by another.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from pydantic import Field

from shudarga.api.errors import ApiError
from shudarga.api.schemas import MAX_ID

PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
CursorParam = Annotated[str, Field(max_length=500, pattern=r"^[A-Za-z0-9_-]*$")] | None
LimitParam = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]


@dataclass(frozen=True)
class Ordering:
    """`fields` in one direction; together they must be unique (end with the id)."""

    name: str
    fields: tuple[str, ...]
    descending: bool = False

    def order_by(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}{name}" for name in self.fields]


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _invalid() -> ApiError:
    return ApiError(400, "invalid_cursor", _("The cursor is not one this list gave out."))


def encode_cursor(ordering: Ordering, row: Model) -> str:
    values = [json_value(getattr(row, name)) for name in ordering.fields]
    raw = json.dumps([ordering.name, values]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _field_value(model: type[Model], name: str, raw: Any) -> Any:
    field = model._meta.pk if name in ("pk", "id") else model._meta.get_field(name)
    if raw is None or isinstance(raw, (list, dict, bool)):
        raise ValueError
    value = field.to_python(raw)
    if isinstance(value, int) and not 0 <= value <= MAX_ID:
        raise ValueError  # would overflow the database's integer
    if isinstance(value, str) and "\x00" in value:
        raise ValueError
    return value


def decode_cursor(cursor: str, ordering: Ordering, model: type[Model]) -> list[Any]:
    """The ordering key a cursor holds, typed as the model's fields; 400 otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, values = json.loads(raw)
        if name != ordering.name or not isinstance(values, list):
            raise ValueError
        if len(values) != len(ordering.fields):
            raise ValueError
        return [
            _field_value(model, field, value)
            for field, value in zip(ordering.fields, values, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, ValidationError):
        raise _invalid() from None


def _after(ordering: Ordering, values: list[Any]) -> Q:
    """Rows that come after `values` in `ordering`: (a > x) or (a = x and b > y) or …"""
    past = "lt" if ordering.descending else "gt"
    condition = Q()
    for index, name in enumerate(ordering.fields):
        equal = {ordering.fields[i]: values[i] for i in range(index)}
        condition |= Q(**equal, **{f"{name}__{past}": values[index]})
    return condition


def keyset_page(
    rows: QuerySet, *, ordering: Ordering, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """One page of `rows` in `ordering` after `cursor`, and the cursor of the next page (None
    on the last). One query: it fetches `limit + 1` rows to know whether more follow."""
    rows = rows.order_by(*ordering.order_by())
    if cursor:
        rows = rows.filter(_after(ordering, decode_cursor(cursor, ordering, rows.model)))
    found = list(rows[: limit + 1])
    page = found[:limit]
    next_cursor = encode_cursor(ordering, page[-1]) if len(found) > limit else None
    return page, next_cursor
