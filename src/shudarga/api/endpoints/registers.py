"""Register rows: list with filters and cursor pagination, read, create, update, and bulk
create (all rows or none) — through the same form, services and selectors as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from shudarga.api.access import requires
from shudarga.api.errors import ERROR_CODES, ApiError, ErrorOut, form_invalid
from shudarga.api.pagination import (
    PAGE_SIZE,
    CursorParam,
    LimitParam,
    Ordering,
    json_value,
    keyset_page,
)
from shudarga.api.schemas import (
    MAX_ID,
    BulkIn,
    BulkOut,
    Id,
    OrgCode,
    RegisterOut,
    RowIn,
    RowOut,
    RowPage,
    Text,
)
from shudarga.core.http import client_ip
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.registers.forms import extra_links, register_form_class
from shudarga.registers.importing import MEASURES
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import REGISTERS, RegisterSpec
from shudarga.registers.selectors import (
    get_register_row_for_user,
    latest_plan_measures,
    register_counts,
    register_rows,
)
from shudarga.registers.services import register_row_save, register_rows_import

router = Router(tags=["registers"])

RegisterKey = Literal[tuple(REGISTERS)]  # type: ignore[valid-type]


def row_out(spec: RegisterSpec, row: RegisterRow) -> dict[str, Any]:
    values = {name: json_value(getattr(row, name)) for name in spec.fields}
    for name in extra_links(spec):
        values[name] = [linked.pk for linked in getattr(row, name).all()]
    return {
        "id": row.pk,
        "register_key": spec.key,
        "values": values,
        "measures": [{"id": m.pk, "code": m.code} for m in row.measures.all()],
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _ordering(spec: RegisterSpec, order: str) -> Ordering:
    """By date, newest first; or by name in Mongolian alphabetical order."""
    if order == "name":
        return Ordering("name", ("sort_key", "id"))
    return Ordering("date", (spec.date_field, "id"), descending=True)


class RowFilters(Schema):
    q: Text = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: Text = ""
    measure_id: int | None = Field(None, ge=1, le=MAX_ID)
    order: Literal["date", "name"] = "date"
    cursor: CursorParam = None
    limit: LimitParam = PAGE_SIZE


# -- writes ---------------------------------------------------------------------------------


def _measure_ids(organization: Organization, codes: list[str]) -> list[int]:
    """Ids of the latest plan's measures with `codes`; 400 naming the first unknown one."""
    measures = latest_plan_measures(organization=organization)
    unknown = [code for code in codes if code not in measures]
    if unknown:
        raise ApiError(
            400,
            "unknown_measure",
            _("There is no measure %(code)s in the organization's latest plan.")
            % {"code": unknown[0]},
        )
    return [measures[code].pk for code in codes]


def _check_keys(spec: RegisterSpec, values: dict[str, Any], *, links: bool = True) -> None:
    allowed = {*spec.fields, *(extra_links(spec) if links else ())}
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ApiError(
            400,
            "unknown_field",
            _("This register has no field “%(field)s”.") % {"field": unknown[0]},
            [_("Fields: %(fields)s.") % {"fields": ", ".join(sorted(allowed))}],
        )


def _check_link_ids(spec: RegisterSpec, values: dict[str, Any]) -> None:
    for name in extra_links(spec):
        ids = values.get(name)
        if ids is not None and not (
            isinstance(ids, list)
            and all(isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids)
        ):
            raise ApiError(
                400, "invalid", _("“%(field)s” must be a list of row ids.") % {"field": name}
            )


def _save(
    request: HttpRequest,
    spec: RegisterSpec,
    organization: Organization,
    row: RegisterRow,
    body: RowIn,
) -> RegisterRow:
    """Bind `body` to the register's form (over the row's current values when it exists),
    then save through the service."""
    _check_keys(spec, body.values)
    _check_link_ids(spec, body.values)
    data: dict[str, Any] = {}
    if row.pk is not None:
        data = model_to_dict(row, fields=list(spec.fields))
        for name in extra_links(spec):
            data[name] = [linked.pk for linked in getattr(row, name).all()]
        data[MEASURES] = [m.pk for m in row.measures.all()]
    data.update(body.values)
    if body.measures is not None:
        data[MEASURES] = _measure_ids(organization, list(body.measures))
    form = register_form_class(spec)(data, instance=row, spec=spec, organization=organization)
    if not form.is_valid():
        raise form_invalid(form)
    return register_row_save(
        spec=spec,
        organization=organization,
        row=form.instance,
        measures=form.cleaned_data[MEASURES],
        links=form.links(),
        actor=request.user,
        ip=client_ip(request),
    )


# -- endpoints ------------------------------------------------------------------------------

BASE = "/organizations/{code}/registers"


@router.get(
    BASE,
    response={200: list[RegisterOut], ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def register_list(request: HttpRequest, code: OrgCode) -> list[dict[str, Any]]:
    """The registers, their fields and their number of rows in the organization."""
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    return [
        {
            "key": spec.key,
            "name": spec.verbose_name_plural,
            "fields": [*spec.fields, *extra_links(spec)],
            "date_field": spec.date_field,
            "kind_field": spec.kind_field,
            "count": count,
        }
        for spec, count in register_counts(organization=organization)
    ]


@router.get(
    BASE + "/{register_key}/rows",
    response={200: RowPage, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def row_list(
    request: HttpRequest,
    code: OrgCode,
    register_key: RegisterKey,
    filters: Query[RowFilters],  # type: ignore[type-arg]
) -> dict[str, Any]:
    """Rows, newest first (`order=name`: by name in Mongolian order), `limit` at a time;
    follow `next_cursor` for more. `q` searches the text fields in any letter case."""
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    spec = REGISTERS[register_key]
    rows = register_rows(
        spec=spec,
        organization=organization,
        q=filters.q,
        date_from=filters.date_from,
        date_to=filters.date_to,
        kind=filters.kind,
        measure_id=filters.measure_id,
    )
    if extra_links(spec):
        rows = rows.prefetch_related(*extra_links(spec))
    page, next_cursor = keyset_page(
        rows, ordering=_ordering(spec, filters.order), cursor=filters.cursor, limit=filters.limit
    )
    return {"results": [row_out(spec, row) for row in page], "next_cursor": next_cursor}


@router.post(
    BASE + "/{register_key}/rows",
    response={201: RowOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.EDIT_RECORDS),
)
def row_create(
    request: HttpRequest, code: OrgCode, register_key: RegisterKey, body: RowIn
) -> Status:
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.EDIT_RECORDS
    )
    spec = REGISTERS[register_key]
    row = _save(request, spec, organization, spec.model(), body)
    return Status(201, row_out(spec, row))


@router.post(
    BASE + "/{register_key}/rows/bulk",
    response={201: BulkOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.EDIT_RECORDS),
)
def row_bulk_create(
    request: HttpRequest, code: OrgCode, register_key: RegisterKey, body: BulkIn
) -> Status:
    """Create many rows at once: all or none. Problems are reported for every row at once;
    rows are numbered as in a spreadsheet whose first row is the header (the first item
    is row 2). Measure codes are those of the organization's latest plan."""
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.EDIT_RECORDS
    )
    spec = REGISTERS[register_key]
    header = [*spec.fields, MEASURES]
    table: list[list[Any]] = [header]
    for item in body.rows:
        _check_keys(spec, item.values, links=False)
        table.append(
            [item.values.get(name) for name in spec.fields] + [", ".join(item.measures or [])]
        )
    try:
        saved = register_rows_import(
            spec=spec,
            organization=organization,
            table=table,
            actor=request.user,
            ip=client_ip(request),
            dry_run=body.dry_run,
        )
    except ValidationError as exc:
        raise ApiError(400, "invalid_rows", exc.messages[0], exc.messages) from None
    return Status(
        201,
        {
            "created": 0 if body.dry_run else len(saved),
            "dry_run": body.dry_run,
            "ids": [] if body.dry_run else [row.pk for row in saved],
        },
    )


@router.get(
    BASE + "/{register_key}/rows/{row_id}",
    response={200: RowOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def row_detail(
    request: HttpRequest, code: OrgCode, register_key: RegisterKey, row_id: Id
) -> dict[str, Any]:
    spec = REGISTERS[register_key]
    row = get_register_row_for_user(
        user=request.user, code=code, spec=spec, row_id=row_id, action=Action.VIEW
    )
    return row_out(spec, row)


@router.patch(
    BASE + "/{register_key}/rows/{row_id}",
    response={200: RowOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.EDIT_RECORDS),
)
def row_update(
    request: HttpRequest, code: OrgCode, register_key: RegisterKey, row_id: Id, body: RowIn
) -> dict[str, Any]:
    """Change the given fields of a row; the others keep their values. `measures`, when
    given, replaces the row's measures."""
    spec = REGISTERS[register_key]
    row = get_register_row_for_user(
        user=request.user, code=code, spec=spec, row_id=row_id, action=Action.EDIT_RECORDS
    )
    row = _save(request, spec, row.organization, row, body)
    return row_out(spec, row)
