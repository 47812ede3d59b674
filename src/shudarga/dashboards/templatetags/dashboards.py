"""Small display helpers of the dashboard templates (no logic: buckets and lookups)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from shudarga.reports.scale import format_percent

register = template.Library()


@register.filter
def heat_class(value: Decimal | None) -> str:
    """CSS class of a heat-map cell: five bands of 20 points, `heat-none` when no score."""
    if value is None:
        return "heat-none"
    return f"heat-{min(int(value) // 20, 4)}"


@register.filter
def percent(value: Decimal | None) -> str:
    return format_percent(value)


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)
