"""Register pages, the same for all ten registers: index, list, form, delete, XLSX export
and XLSX/CSV import. Everything register-specific comes from the RegisterSpec."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.fragments import PageFragment
from shudarga.core.http import AuthedRequest, client_ip, file_headers
from shudarga.core.selectors import lock_covering, record_locks_of
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.registers import display
from shudarga.registers.fields import is_choice_list
from shudarga.registers.forms import (
    RegisterFilterForm,
    RegisterImportForm,
    register_form_class,
)
from shudarga.registers.importing import column_aliases
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import REGISTERS, RegisterSpec
from shudarga.registers.selectors import (
    get_register_row_for_user,
    register_counts,
    register_rows,
)
from shudarga.registers.services import (
    register_row_delete,
    register_row_save,
    register_rows_import,
)

PAGE_SIZE = 50
MAX_ERRORS_SHOWN = 200

# Until roles.py has register actions: who may change rows. Reviewers, leaders and auditors
# read registers; changing them is the work of the coordinator and responsible officers.


def may_edit_registers(organization: Organization) -> bool:
    """Whether the user `get_organization_for_user` fetched `organization` for may create,
    change, delete and import register rows (its `access`)."""
    return organization.access.may(Action.EDIT_RECORDS)


def _register_for_user(
    user: object, code: str, register: str, *, edit: bool = False, row_id: int | None = None
) -> tuple[Organization, RegisterSpec, RegisterRow | None]:
    """The one access check of these pages: organization `code`, register `register` and,
    with `row_id`, that row of it.

    404 for an outsider, an unknown register, or a row of another organization (outsiders
    learn nothing); 403 when `edit` is asked by a user who may only read.
    """
    spec = REGISTERS.get(register)
    if spec is None:  # the keys are no secret: a 404 here tells an outsider nothing
        raise Http404
    row = None
    if row_id is None:
        organization = get_organization_for_user(user=user, code=code, action=Action.VIEW)
    else:
        row = get_register_row_for_user(
            user=user, code=code, spec=spec, row_id=row_id, action=Action.VIEW
        )
        organization = row.organization
    if edit and not may_edit_registers(organization):
        raise PermissionDenied
    return organization, spec, row


def _add_service_error(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _context(
    organization: Organization, spec: RegisterSpec | None = None, **extra: object
) -> dict[str, object]:
    return {
        "organization": organization,
        "spec": spec,
        "may_edit": may_edit_registers(organization),
        **extra,
    }


@login_required
def register_index(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    return render(
        request,
        "registers/index.html",
        _context(organization, registers=register_counts(organization=organization)),
    )


@login_required
def row_list(request: AuthedRequest, code: str, register: str) -> HttpResponse:
    organization, spec, _row = _register_for_user(request.user, code, register)

    def compute() -> dict:
        filter_form = RegisterFilterForm(request.GET, spec=spec, organization=organization)
        rows = register_rows(spec=spec, organization=organization, **filter_form.filters())
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        locks = record_locks_of(organization_id=organization.pk)
        table = [
            {
                "row": row,
                "cells": display.row_cells(spec, row),
                "codes": display.measure_codes(row),
                "lock": _lock_of(spec, row, locks),
            }
            for row in page.object_list
        ]
        return {
            "filter_form": filter_form,
            "page_obj": page,
            "table": table,
            "is_filtered": filter_form.is_filtered,
        }

    return render(
        request,
        "registers/row_list.html",
        _context(
            organization,
            spec,
            columns=display.columns(spec),
            fragment=PageFragment(
                request=request,
                name="register-list",
                organization=organization,
                compute=compute,
                vary=(spec.key, tuple(sorted(request.GET.lists()))),
            ),
        ),
    )


def _lock_of(spec: RegisterSpec, row: RegisterRow, locks: list) -> object | None:
    """The approved report's lock that holds `row`, if one does (reads the prefetched
    measures; no query)."""
    if row.pk is None:
        return None
    return lock_covering(
        locks,
        day=getattr(row, spec.date_field),
        plan_ids={measure.plan_id for measure in row.measures.all()},
        register=spec.key,
    )


def _row_form_page(
    request: AuthedRequest, organization: Organization, spec: RegisterSpec, row: RegisterRow
) -> HttpResponse:
    form_class = register_form_class(spec)
    form = form_class(
        request.POST or None,
        instance=row,
        spec=spec,
        organization=organization,
        initial_measure=request.GET.get("measure", ""),
    )
    is_new = row.pk is None
    lock = None if is_new else _lock_of(spec, row, record_locks_of(organization_id=organization.pk))
    if request.method == "POST" and form.is_valid():
        try:
            register_row_save(
                spec=spec,
                organization=organization,
                row=form.instance,
                measures=form.cleaned_data["measures"],
                links=form.links(),
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("The row was added.") if is_new else _("Saved."))
            if is_new and "save_add" in request.POST:
                return redirect("registers:create", organization.code, spec.key)
            return redirect("registers:list", organization.code, spec.key)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "registers/row_form.html",
        _context(organization, spec, form=form, row=row, is_new=is_new, lock=lock),
        status=status,
    )


@login_required
def row_create(request: AuthedRequest, code: str, register: str) -> HttpResponse:
    organization, spec, _row = _register_for_user(request.user, code, register, edit=True)
    return _row_form_page(request, organization, spec, spec.model())


@login_required
def row_edit(request: AuthedRequest, code: str, register: str, row_id: int) -> HttpResponse:
    organization, spec, row = _register_for_user(
        request.user, code, register, edit=True, row_id=row_id
    )
    return _row_form_page(request, organization, spec, row)


@login_required
def row_delete(request: AuthedRequest, code: str, register: str, row_id: int) -> HttpResponse:
    # Looked up before the method check: outsiders get 404, not 405.
    organization, spec, row = _register_for_user(
        request.user, code, register, edit=True, row_id=row_id
    )
    if request.method != "POST":
        lock = _lock_of(spec, row, record_locks_of(organization_id=organization.pk))
        return render(
            request,
            "registers/row_confirm_delete.html",
            _context(organization, spec, row=row, lock=lock),
        )
    try:
        register_row_delete(spec=spec, row=row, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:  # inside an approved report
        messages.error(request, " ".join(exc.messages))
        return redirect("registers:edit", organization.code, spec.key, row.pk)
    messages.success(request, _("The row was deleted."))
    return redirect("registers:list", organization.code, spec.key)


@login_required
def rows_export(request: AuthedRequest, code: str, register: str) -> FileResponse:
    organization, spec, _row = _register_for_user(request.user, code, register)
    filter_form = RegisterFilterForm(request.GET, spec=spec, organization=organization)
    rows = register_rows(spec=spec, organization=organization, **filter_form.filters())
    return file_headers(
        FileResponse(
            display.export_xlsx(spec=spec, rows=rows),
            as_attachment=True,
            filename=display.export_filename(
                spec=spec, organization_code=organization.code, on=timezone.localdate()
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    )


def _import_columns(spec: RegisterSpec) -> list[dict[str, object]]:
    """What the import page tells the user about each column it reads."""
    aliases = column_aliases(spec)
    out = []
    for column in display.columns(spec):
        model_field = spec.field(column.name)
        out.append(
            {
                "label": column.label,
                "required": not model_field.blank and not model_field.has_default(),
                "type": model_field.get_internal_type(),
                "choices": [
                    str(label)
                    for _value, label in (
                        model_field.options.choices
                        if is_choice_list(model_field)
                        else model_field.flatchoices
                    )
                ],
                "several": is_choice_list(model_field),
                "headers": sorted(a for a, name in aliases.items() if name == column.name),
            }
        )
    return out


@login_required
def rows_import(request: AuthedRequest, code: str, register: str) -> HttpResponse:
    organization, spec, _row = _register_for_user(request.user, code, register, edit=True)
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    checked: int | None = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = register_rows_import(
                spec=spec,
                organization=organization,
                table=form.cleaned_data["file"],
                actor=request.user,
                ip=client_ip(request),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            if not form.cleaned_data["dry_run"]:
                messages.success(
                    request, _("%(count)s rows were imported.") % {"count": len(saved)}
                )
                return redirect("registers:list", organization.code, spec.key)
            checked = len(saved)
    status = 400 if request.method == "POST" and (errors or form.errors) else 200
    return render(
        request,
        "registers/row_import.html",
        _context(
            organization,
            spec,
            form=form,
            errors=errors[:MAX_ERRORS_SHOWN],
            more_errors=max(0, len(errors) - MAX_ERRORS_SHOWN),
            checked=checked,
            import_columns=_import_columns(spec),
        ),
        status=status,
    )
