"""Helpers shared by the register tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.conf import settings
from django.db import models

from shudarga.registers.registry import REGISTERS, RegisterSpec
from tests.factories import REGISTER_FACTORIES

KEYS = list(REGISTERS)


def speak_english(client: Any) -> None:
    """Make the test client's pages come in English, as the МН / EN switch does."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def form_data(spec: RegisterSpec, row: Any, measures: Any = ()) -> dict[str, Any]:
    """POST data for the row form with the values of `row` (built, not necessarily saved)."""
    data: dict[str, Any] = {}
    for name in spec.fields:
        value = getattr(row, name)
        if isinstance(spec.field(name), models.BooleanField):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, list):  # several choices
            data[name] = value
            continue
        data[name] = "" if value is None else str(value)
    data["measures"] = [m.pk for m in measures]
    return data


def make_rows(key: str, organization: Any, n: int, **kwargs: Any) -> list[Any]:
    return REGISTER_FACTORIES[key].create_batch(n, organization=organization, **kwargs)


def comparable(spec: RegisterSpec, row: Any) -> dict[str, Any]:
    """A row's user-visible values and measure codes, for comparing rows across orgs."""
    values = {name: getattr(row, name) for name in spec.fields}
    values["measures"] = sorted(m.code for m in row.measures.all())
    return values


def read_xlsx(content: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]
