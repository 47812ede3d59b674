"""Reads for the history pages: versions of an organization's data, newest first, with what
changed in each (field by field, before → after).

The versions live in one historical table per tracked model (`core.history`). A page asks
one UNION query for its slice of (kind, version id) pairs, then two queries per kind that
appears on it (the versions, and the versions before them) and one for the users: the count
does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import historical_models, tracked_model
from shudarga.core.text import mn_sort_key
from shudarga.organizations.models import Organization
from shudarga.petitions.selectors import may_handle_petitions

ACTION_CHOICES = [("+", _("Created")), ("~", _("Changed")), ("-", _("Deleted"))]

# Columns every version shows; the others are bookkeeping (ids, timestamps the version
# itself carries, the user's own fields of the historical row).
_SKIPPED = {"id", "created_at", "updated_at", "uploaded_at", "history_ip"}
_SKIPPED_PREFIX = "history_"
# Personal data of a petitioner: shown only to those who handle petitions.
PERSONAL_FIELDS = {
    "petitions.petition": {
        "petitioner_name",
        "petitioner_register_no",
        "petitioner_address",
        "petitioner_contact",
    }
}
# Fields that name a version's object in a list, best first.
_LABEL_FIELDS = (
    "code",
    "title",
    "topic",
    "name",
    "subject",
    "process",
    "document",
    "counterparty",
    "period_covered",
    "content",
    "text",
    "period",
    "role",
    "kind",
)


def history_kinds() -> list[tuple[str, str]]:
    """(label, human name) of every tracked model, by name: the choices of the kind filter."""
    kinds = [
        (tracked_model(m)._meta.label_lower, str(tracked_model(m)._meta.verbose_name))
        for m in historical_models()
    ]
    return sorted(kinds, key=lambda kind: mn_sort_key(kind[1]))


def _history_model(kind: str) -> type[models.Model]:
    for model in historical_models():
        if tracked_model(model)._meta.label_lower == kind:
            return model
    raise LookupError(kind)


@dataclass(frozen=True)
class VersionFilter:
    """What the list keeps. Dates are inclusive days in the current time zone."""

    kind: str = ""
    user_id: int | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def version_list(
    *,
    organization: Organization,
    filters: VersionFilter = VersionFilter(),  # frozen, so sharing the default is safe
    only: dict[str, Q] | None = None,
) -> QuerySet[Any]:
    """(kind, history_id, history_date) rows of every version of `organization`'s data that
    `filters` keep, newest first: one UNION query over the historical tables, to be sliced
    by a paginator and then read with `version_details`.

    `only` limits the list to some kinds, each with a condition on its historical table
    (`{"plans.measure": Q(id=7)}`: one object's versions). The caller checks access.
    """
    parts = []
    for model in historical_models():
        kind = tracked_model(model)._meta.label_lower
        if only is not None and kind not in only:
            continue
        if filters.kind and kind != filters.kind:
            continue
        versions = model._default_manager.filter(history_organization_id=organization.pk)
        if only is not None:
            versions = versions.filter(only[kind])
        if filters.user_id is not None:
            versions = versions.filter(history_user_id=filters.user_id)
        if filters.action:
            versions = versions.filter(history_type=filters.action)
        if filters.date_from is not None:
            versions = versions.filter(history_date__gte=_start_of(filters.date_from))
        if filters.date_to is not None:
            end = _start_of(filters.date_to + dt.timedelta(days=1))
            versions = versions.filter(history_date__lt=end)
        parts.append(
            versions.order_by()
            # Aliases no tracked model uses as a field name (registers have a `kind`).
            .annotate(
                v_kind=Value(kind, output_field=CharField()),
                v_id=F("history_id"),
                v_at=F("history_date"),
            )
            .values_list("v_kind", "v_id", "v_at")
        )
    if not parts:
        return _history_model("plans.plan")._default_manager.none().values_list("history_id")
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-v_at", "-v_id", "v_kind")


@dataclass
class Change:
    field: str  # the human name
    before: str
    after: str
    hidden: bool = False  # personal data the viewer may not see


@dataclass
class Version:
    kind: str
    kind_name: str
    history_id: int
    object_id: int
    object_label: str
    at: dt.datetime
    action: str  # "+", "~", "-"
    action_name: str
    user_label: str
    ip: str
    changes: list[Change] = field(default_factory=list)
    link: tuple[str, tuple[Any, ...]] | None = None  # (url name, args) of the object's history


def _display(model_field: models.Field, value: Any, users: dict[int, Any]) -> str:
    """A value as a person reads it: choices by their label, users by name, dates local."""
    if value is None or value == "":
        return "—"
    if isinstance(model_field, models.ForeignKey):
        if model_field.related_model is get_user_model():
            user = users.get(value)
            return _user_label(user) if user else f"#{value}"
        return f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(model_field, models.FileField):
        return str(getattr(value, "name", value))
    if isinstance(model_field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _user_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _shown_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.attname not in _SKIPPED and not f.attname.startswith(_SKIPPED_PREFIX)
    ]


def _object_label(kind: str, row: Any) -> str:
    """A short name for the object of a version, from its own columns only (a model's
    `__str__` may read related rows, one query per version)."""
    if kind == "petitions.petition":
        return f"№ {row.year}-{row.number:04d}"  # the registration number, never the name
    parts = []
    for name in [n for n in _LABEL_FIELDS if hasattr(row, n)][:2]:
        value = getattr(row, name)
        if value in (None, ""):
            continue
        choices = row._meta.get_field(name).flatchoices
        parts.append(str(dict(choices).get(value, value)) if choices else str(value))
    return " ".join(parts)[:100] or f"#{row.id}"


def _link(kind: str, row: Any, register_keys: dict[str, str]) -> tuple[str, tuple] | None:
    """Where the object's own history page is, if it has one (children lead to their
    parent's: a goal to its plan, a criterion to its measure, an item to its report)."""
    if kind == "plans.plan":
        return "history:plan", (row.id,)
    if kind in {"plans.goal", "plans.activity", "plans.signature"}:
        return "history:plan", (row.plan_id,)
    if kind == "plans.measure":
        return "history:measure", (row.id,)
    if kind == "plans.criterion":
        return "history:measure", (row.measure_id,)
    if kind == "evidence.evidence":
        return "history:evidence", (row.id,)
    if kind == "petitions.petition":
        return "history:petition", (row.id,)
    if kind == "reports.report":
        return "history:report", (row.id,)
    if kind == "reports.reportitem":
        return "history:report", (row.report_id,)
    if kind in register_keys:
        return "history:register_row", (register_keys[kind], row.id)
    return None


def _register_keys() -> dict[str, str]:
    from shudarga.registers.registry import REGISTERS

    return {spec.model._meta.label_lower: key for key, spec in REGISTERS.items()}


def version_details(*, organization: Organization, page: Iterable[Sequence[Any]]) -> list[Version]:
    """The versions named by `page` (rows of `version_list`), in its order, each with its
    changes from the version before it. Personal data of petitioners is marked hidden
    unless the viewer handles petitions (the roles `get_organization_for_user` put on
    `organization` decide)."""
    page = list(page)
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, history_id, _at in page:
        ids_by_kind[kind].append(history_id)
    rows: dict[tuple[str, int], Any] = {}
    previous: dict[tuple[str, int], Any] = {}
    for kind, ids in ids_by_kind.items():
        model = _history_model(kind)
        manager = model._default_manager
        before = (
            manager.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        found = list(manager.filter(history_id__in=ids).annotate(prev_id=Subquery(before)))
        prev_rows = manager.in_bulk([r.prev_id for r in found if r.prev_id is not None])
        for row in found:
            rows[kind, row.history_id] = row
            previous[kind, row.history_id] = prev_rows.get(row.prev_id)
    users = _users_of(rows.values(), previous.values())
    personal_ok = may_handle_petitions(organization)
    register_keys = _register_keys()
    names = dict(ACTION_CHOICES)
    versions = []
    for kind, history_id, _at in page:
        row = rows.get((kind, history_id))
        if row is None:
            continue
        tracked = tracked_model(type(row))
        hidden = set() if personal_ok else PERSONAL_FIELDS.get(kind, set())
        user = users.get(row.history_user_id)
        versions.append(
            Version(
                kind=kind,
                kind_name=str(tracked._meta.verbose_name),
                history_id=history_id,
                object_id=row.id,
                object_label=_object_label(kind, row),
                at=row.history_date,
                action=row.history_type,
                action_name=str(names.get(row.history_type, row.history_type)),
                user_label=_user_label(user) if user else "",
                ip=row.history_ip or "",
                changes=_changes(row, previous[kind, history_id], users, hidden),
                link=_link(kind, row, register_keys),
            )
        )
    return versions


def _users_of(*groups: Iterable[Any]) -> dict[int, Any]:
    """Every user a version names (who made it, and user fields such as "recorded by"), in
    one query."""
    user_model = get_user_model()
    ids: set[int] = set()
    for group in groups:
        for row in group:
            if row is None:
                continue
            if row.history_user_id is not None:
                ids.add(row.history_user_id)
            for f in row._meta.concrete_fields:
                if isinstance(f, models.ForeignKey) and f.related_model is user_model:
                    value = getattr(row, f.attname)
                    if value is not None:
                        ids.add(value)
    return user_model._default_manager.in_bulk(ids) if ids else {}


def _changes(row: Any, before: Any, users: dict[int, Any], hidden: set[str]) -> list[Change]:
    """Field by field: for a creation every filled field, for a change every field that
    differs from the version before, for a deletion nothing (the last version has it)."""
    if row.history_type == "-":
        return []
    changes = []
    for f in _shown_fields(type(row)):
        after_value = getattr(row, f.attname)
        before_value = getattr(before, f.attname) if before is not None else None
        if before is not None and after_value == before_value:
            continue
        if before is None and after_value in (None, "", [], {}):
            continue
        secret = f.name in hidden
        changes.append(
            Change(
                field=str(f.verbose_name),
                before="" if secret else _display(f, before_value, users),
                after="" if secret else _display(f, after_value, users),
                hidden=secret,
            )
        )
    return changes


def object_history_filter(*, kind: str, object_id: int) -> dict[str, Q]:
    """The kinds and conditions of one object's history page: the object, and the parts
    that have no page of their own (a plan's goals, activities and signatures; a measure's
    criteria and their rules; a report's items)."""
    if kind == "plans.plan":
        return {
            "plans.plan": Q(id=object_id),
            "plans.goal": Q(plan_id=object_id),
            "plans.activity": Q(plan_id=object_id),
            "plans.signature": Q(plan_id=object_id),
        }
    if kind == "plans.measure":
        criteria = _history_model("plans.criterion")._default_manager.filter(measure_id=object_id)
        return {
            "plans.measure": Q(id=object_id),
            "plans.criterion": Q(measure_id=object_id),
            "criteria.criterionrule": Q(criterion_id__in=criteria.values("id")),
        }
    if kind == "reports.report":
        return {"reports.report": Q(id=object_id), "reports.reportitem": Q(report_id=object_id)}
    return {kind: Q(id=object_id)}


def object_label(*, organization: Organization, kind: str, object_id: int) -> str | None:
    """How the latest version of the object names it; None when `organization` has no
    version of it (another organization's object, or no such object)."""
    row = (
        _history_model(kind)
        ._default_manager.filter(history_organization_id=organization.pk, id=object_id)
        .order_by("-history_id")
        .first()
    )
    return _object_label(kind, row) if row is not None else None
