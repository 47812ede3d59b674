"""Writes for register rows: validated, scoped to one organization, audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from shudarga.core.services import audit_record, record_lock_check
from shudarga.core.text import mn_sort_key, search_key
from shudarga.organizations.models import Organization
from shudarga.plans.models import Measure
from shudarga.registers.importing import parse_table, validation_messages
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import RegisterSpec
from shudarga.registers.selectors import latest_plan_measures


def _check_measures(organization: Organization, measures: Iterable[Measure]) -> list[Measure]:
    measures = list(measures)
    foreign = [m for m in measures if m.plan.organization_id != organization.pk]
    if foreign:
        raise ValidationError(
            _("Measure %(code)s belongs to another organization's plan.")
            % {"code": foreign[0].code}
        )
    return measures


def _check_links(
    organization: Organization, links: Mapping[str, Iterable[RegisterRow]]
) -> dict[str, list[RegisterRow]]:
    checked = {name: list(rows) for name, rows in links.items()}
    for rows in checked.values():
        if any(linked.organization_id != organization.pk for linked in rows):
            raise ValidationError(_("A linked row belongs to another organization."))
    return checked


def _plan_ids_of(measures: Iterable[Measure]) -> set[int]:
    return {m.plan_id for m in measures}


def _check_unlocked(
    spec: RegisterSpec, row: RegisterRow, plan_ids: set[int], organization_id: int
) -> None:
    """ValidationError (`locked`) when `row` lies inside an approved report: dated in its
    period and serving a measure of its plan, or in a register its criteria count across
    the organization (`core.services.record_lock_check`)."""
    record_lock_check(
        organization_id=organization_id,
        day=getattr(row, spec.date_field),
        plan_ids=plan_ids,
        register=spec.key,
    )


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
    links: Mapping[str, Iterable[RegisterRow]] | None = None,
) -> RegisterRow:
    """Create or update `row` of register `spec` for `organization`, linked to `measures`
    (which must belong to that organization's plans). Audited with before/after values.

    `links` sets the row's other many-to-many fields (a training's `attendees`); the
    linked rows must belong to `organization` too. None leaves them as they are.
    """
    is_new = row.pk is None
    if not is_new and row.organization_id != organization.pk:
        raise ValidationError(_("This row belongs to another organization."))
    stored = None if is_new else type(row).objects.get(pk=row.pk)
    before = {} if stored is None else _snapshot(spec, stored)
    checked = _check_measures(organization, measures) if measures is not None else None
    # Neither the row as stored nor as it will be may lie inside an approved report.
    if stored is not None:
        _check_unlocked(spec, stored, _plan_ids_of(stored.measures.all()), organization.pk)
    new_plans = (
        _plan_ids_of(checked)
        if checked is not None
        else _plan_ids_of(row.measures.all() if row.pk else [])
    )
    if getattr(row, spec.date_field, None) is not None:
        _check_unlocked(spec, row, new_plans, organization.pk)
    checked_links = _check_links(organization, links or {})
    row.organization = organization
    if is_new and getattr(actor, "is_authenticated", False):
        row.created_by = actor
    _fill_keys(spec, row)
    row.full_clean(exclude=["measures"])
    row.save()
    if checked is not None:
        row.measures.set(checked)
    for name, linked in checked_links.items():
        getattr(row, name).set(linked)
    after = _snapshot(spec, row)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if checked is not None:
        changes["measures"] = [m.code for m in checked]
    for name, linked in checked_links.items():
        changes[name] = [str(r) for r in linked]
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
    """Delete a register row, keeping its last values in the audit log. Not one inside an
    approved report."""
    _check_unlocked(spec, row, _plan_ids_of(row.measures.all()), row.organization_id)
    audit_record(
        actor=actor,
        action=f"register.{spec.key}.deleted",
        obj=row,
        organization_id=row.organization_id,
        changes=_snapshot(spec, row),
        ip=ip,
    )
    row.delete()


@transaction.atomic
def register_rows_import(
    *,
    spec: RegisterSpec,
    organization: Organization,
    table: list[list[Any]],
    actor: Any,
    ip: str | None = None,
    dry_run: bool = False,
) -> list[RegisterRow]:
    """Save every row of `table` (a header row, then data) as a new row of `spec`, each
    through `register_row_save`: all rows or none.

    Measure codes are looked up in the organization's latest plan. Raises ValidationError
    whose messages name the spreadsheet row and column of every problem; nothing is saved
    then. With `dry_run`, every row is checked and saved, and then it is all rolled back.
    """
    measures = latest_plan_measures(organization=organization)
    parsed = parse_table(spec=spec, table=table, measure_codes=measures.keys())
    if parsed.errors:
        raise ValidationError(parsed.errors)
    saved: list[RegisterRow] = []
    errors: list[str] = []
    for parsed_row in parsed.rows:
        try:
            saved.append(
                register_row_save(
                    spec=spec,
                    organization=organization,
                    row=spec.model(**parsed_row.values),
                    measures=[measures[code] for code in parsed_row.measure_codes],
                    actor=actor,
                    ip=ip,
                )
            )
        except ValidationError as exc:  # keep going: the user gets every bad row at once
            errors.extend(validation_messages(parsed_row.line, exc, parsed.headers, spec))
    if errors:
        raise ValidationError(errors)  # leaving the atomic block by an error rolls back
    if dry_run:
        transaction.set_rollback(True)
    return saved
