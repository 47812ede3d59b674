"""Writes for register rows: validated, scoped to one organization, audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from shudarga.core.services import audit_record
from shudarga.core.text import mn_sort_key, search_key
from shudarga.organizations.models import Organization
from shudarga.plans.models import Measure
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import RegisterSpec


def _check_measures(organization: Organization, measures: Iterable[Measure]) -> list[Measure]:
    measures = list(measures)
    foreign = [m for m in measures if m.plan.organization_id != organization.pk]
    if foreign:
        raise ValidationError(
            _("Measure %(code)s belongs to another organization's plan.")
            % {"code": foreign[0].code}
        )
    return measures


def _fill_keys(spec: RegisterSpec, row: RegisterRow) -> None:
    row.search_text = search_key(*(getattr(row, name) for name in spec.search_fields))
    row.sort_key = mn_sort_key(str(getattr(row, spec.sort_field) or ""))


def _snapshot(spec: RegisterSpec, row: RegisterRow) -> dict[str, Any]:
    data = model_to_dict(row, fields=list(spec.fields))
    return {key: (str(value) if value is not None else None) for key, value in data.items()}


@transaction.atomic
def register_row_save(
    *,
    spec: RegisterSpec,
    organization: Organization,
    row: RegisterRow,
    measures: Iterable[Measure] | None,
    actor: Any,
    ip: str | None = None,
) -> RegisterRow:
    """Create or update `row` of register `spec` for `organization`, linked to `measures`
    (which must belong to that organization's plans). Audited with before/after values."""
    is_new = row.pk is None
    if not is_new and row.organization_id != organization.pk:
        raise ValidationError(_("This row belongs to another organization."))
    before = {} if is_new else _snapshot(spec, type(row).objects.get(pk=row.pk))
    checked = _check_measures(organization, measures) if measures is not None else None
    row.organization = organization
    if is_new and getattr(actor, "is_authenticated", False):
        row.created_by = actor
    _fill_keys(spec, row)
    row.full_clean(exclude=["measures"])
    row.save()
    if checked is not None:
        row.measures.set(checked)
    after = _snapshot(spec, row)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if checked is not None:
        changes["measures"] = [m.code for m in checked]
    audit_record(
        actor=actor,
        action=f"register.{spec.key}.{'created' if is_new else 'changed'}",
        obj=row,
        organization_id=organization.pk,
        changes=changes,
        ip=ip,
    )
    return row


@transaction.atomic
def register_row_delete(
    *, spec: RegisterSpec, row: RegisterRow, actor: Any, ip: str | None = None
) -> None:
    """Delete a register row, keeping its last values in the audit log."""
    audit_record(
        actor=actor,
        action=f"register.{spec.key}.deleted",
        obj=row,
        organization_id=row.organization_id,
        changes=_snapshot(spec, row),
        ip=ip,
    )
    row.delete()
