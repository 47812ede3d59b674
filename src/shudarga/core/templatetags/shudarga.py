"""Template filters for showing dates and statuses the way Mongolian documents do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from shudarga.core.dates import format_date

register = template.Library()


@register.filter
def doc_date(value: dt.date | None) -> str:
    """`2023 оны 10 дугаар сарын 10` in Mongolian, the locale's long date otherwise."""
    if value is None:
        return ""
    return format_date(value)


@register.filter
def person(user: Any, fallback: str = "—") -> str:
    """A user's full name, else their user name; `fallback` when there is no user (a step
    the system took, or a user since removed). Safe on None, unlike
    `user.get_full_name|default:user.username`, whose argument fails on None."""
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()


@register.filter
def action_label(value: str) -> str:
    """An audit action key ("petition.answered") in words."""
    from shudarga.core.activity import action_label as label

    return label(str(value))


@register.filter
def change_items(value: dict | None) -> list[tuple[str, str]]:
    """An audit entry's recorded changes as (field, words) pairs."""
    from shudarga.core.activity import change_items as items

    return items(value)


@register.filter
def plain(value: object) -> str:
    """A value in words: never `None`, `True` or a Python list."""
    from shudarga.core.activity import plain as words

    return words(value)
