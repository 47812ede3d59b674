"""Reads for registers: lists with search, filters and Mongolian order; rows for rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shudarga.core.text import fold
from shudarga.organizations.models import Organization
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.plans.models import Measure, Plan
from shudarga.plans.selectors import current_plan_subquery
from shudarga.registers.fields import is_choice_list
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import REGISTERS, RegisterSpec


def register_rows(
    *,
    spec: RegisterSpec,
    organization: Organization,
    q: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str = "",
    measure_id: int | None = None,
    order: str = "",
) -> QuerySet[RegisterRow]:
    """Rows of one register of `organization`, filtered.

    `q` matches case-insensitively in any language (folded text against the folded
    `search_text` column). `order="name"` sorts by the Mongolian alphabet (`sort_key`).
    """
    rows = spec.model.objects.filter(organization=organization)
    if q.strip():
        for word in fold(q).split():
            rows = rows.filter(search_text__contains=word)
    if date_from:
        rows = rows.filter(**{f"{spec.date_field}__gte": date_from})
    if date_to:
        rows = rows.filter(**{f"{spec.date_field}__lte": date_to})
    if kind and spec.kind_field:
        if is_choice_list(spec.field(spec.kind_field)):
            # A JSON list: the quoted value inside it, on SQLite and PostgreSQL alike.
            rows = rows.filter(**{f"{spec.kind_field}__icontains": f'"{kind}"'})
        else:
            rows = rows.filter(**{spec.kind_field: kind})
    if measure_id:
        rows = rows.filter(measures__id=measure_id)
    if order == "name":
        rows = rows.order_by("sort_key", "id")
    elif order == "date":
        rows = rows.order_by(f"-{spec.date_field}", "-id")
    return rows.prefetch_related("measures")


def get_register_row_for_user(
    *, user: Any, code: str, spec: RegisterSpec, row_id: int, action: str | None = None
) -> RegisterRow:
    """A row of `spec` in organization `code` if `user` may see it; 404 otherwise."""
    organization = get_organization_for_user(user=user, code=code, action=action)
    try:
        row = spec.model.objects.get(pk=row_id, organization=organization)
    except spec.model.DoesNotExist:
        raise Http404 from None
    row.organization = organization
    return row


def register_counts(*, organization: Organization) -> list[tuple[RegisterSpec, int]]:
    """Every register with its number of rows in `organization`, in registry order.

    One count query per register: ten, whatever the number of rows.
    """
    return [
        (spec, spec.model.objects.filter(organization=organization).count())
        for spec in REGISTERS.values()
    ]


def organization_measures(
    *, organization: Organization, current: bool = False, including: list[int] | None = None
) -> QuerySet[Measure]:
    """Measures of `organization`'s plans in document order, newest plan first; with
    `current`, of its current plan only (`plans.selectors.current_plan`) and the measures
    `including` names (a row's links made under last year's plan).

    The plan is joined because the services check each measure's organization through it.
    """
    rows = Measure.objects.filter(plan__organization=organization)
    if current:
        rows = rows.filter(
            Q(plan_id=current_plan_subquery(organization=organization)) | Q(pk__in=including or [])
        )
    return rows.select_related("plan").order_by("-plan__year", "-plan__created_at", "position")


def latest_plan(*, organization: Organization) -> Plan | None:
    """The organization's plan for the latest year (the newest import if there are two)."""
    return Plan.objects.filter(organization=organization).order_by("-year", "-created_at").first()


def latest_plan_measures(*, organization: Organization) -> dict[str, Measure]:
    """Measures of the organization's latest plan by code ("1.2"); empty without a plan."""
    plan = latest_plan(organization=organization)
    if plan is None:
        return {}
    return {m.code: m for m in Measure.objects.filter(plan=plan).select_related("plan")}
