"""The petitions register, for staff: list with filters and cursor pagination, one petition,
and registering one through the petitions service. Petitioners' personal data, the text and
the answer only for those who handle petitions (coordinator, officer), as on the web."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from shudarga.api.access import requires
from shudarga.api.errors import ERROR_CODES, ApiError, ErrorOut, form_invalid
from shudarga.api.pagination import PAGE_SIZE, CursorParam, LimitParam, Ordering, keyset_page
from shudarga.api.schemas import (
    Channel,
    Id,
    OrgCode,
    PetitionCreatedOut,
    PetitionDetailOut,
    PetitionIn,
    PetitionKind,
    PetitionPage,
    Text,
)
from shudarga.core.http import client_ip
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.petitions.forms import PetitionRegisterForm
from shudarga.petitions.models import Petition
from shudarga.petitions.selectors import (
    get_petition_for_user,
    may_handle_petitions,
    petition_list,
    petition_officers,
)
from shudarga.petitions.services import petition_register
from shudarga.petitions.validators import format_tracking_code

router = Router(tags=["petitions"])

BASE = "/organizations/{code}/petitions"
# The orders `petition_list` gives: by deadline for the deadline filters, else newest first.
BY_NUMBER = Ordering("number", ("year", "number", "id"), descending=True)
BY_DEADLINE = Ordering("deadline", ("due_on", "id"))

PetitionStatus = Literal[tuple(Petition.Status.values)]  # type: ignore[valid-type]


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _overdue(petition: Petition, today: dt.date) -> bool:
    """As the register defines it: open past the deadline, or resolved after it."""
    resolved = petition.resolved_on
    if resolved is None or resolved > today:
        return today > petition.due_on
    return resolved > petition.due_on


def petition_out(petition: Petition, *, personal: bool, today: dt.date) -> dict[str, Any]:
    return {
        "id": petition.pk,
        "registration_no": petition.registration_no,
        "received_on": petition.received_on,
        "channel": petition.channel,
        "kind": petition.kind,
        "subject": petition.subject,
        "category": petition.category,
        "status": petition.status,
        "original_due_on": petition.original_due_on,
        "due_on": petition.due_on,
        "resolved_on": petition.resolved_on,
        "answered_on": petition.answered_on,
        "transferred_on": petition.transferred_on,
        "closed_on": petition.closed_on,
        "overdue": _overdue(petition, today),
        "assigned_to": _person(petition.assigned_to),
        "personal": {
            "petitioner_name": petition.petitioner_name,
            "petitioner_register_no": petition.petitioner_register_no,
            "petitioner_address": petition.petitioner_address,
            "petitioner_contact": petition.petitioner_contact,
            "body": petition.body,
            "answer_text": petition.answer_text,
        }
        if personal
        else None,
    }


def petition_detail_out(petition: Petition, *, personal: bool, today: dt.date) -> dict[str, Any]:
    return {
        **petition_out(petition, personal=personal, today=today),
        "extension_days": petition.extension_days,
        "extension_reason": petition.extension_reason,
        "transferred_to": petition.transferred_to,
        "close_note": petition.close_note,
    }


class PetitionFilters(Schema):
    status: PetitionStatus | Literal[""] = ""
    due: Literal["", "open", "overdue", "soon"] = Field(
        "", description="open; overdue (open past the deadline); soon (deadline within days)."
    )
    channel: Channel | Literal[""] = ""
    kind: PetitionKind | Literal[""] = ""
    date_from: dt.date | None = Field(None, description="Received on or after.")
    date_to: dt.date | None = Field(None, description="Received on or before.")
    q: Text = Field("", description="Words of the number, subject, category (and, for "
                    "handlers, the petitioner's data).")  # fmt: skip
    cursor: CursorParam = None
    limit: LimitParam = PAGE_SIZE


@router.get(
    BASE, response={200: PetitionPage, ERROR_CODES: ErrorOut}, openapi_extra=requires(Action.VIEW)
)
def petition_list_endpoint(
    request: HttpRequest,
    code: OrgCode,
    filters: Query[PetitionFilters],  # type: ignore[type-arg]
) -> dict[str, Any]:
    """The register, newest first; with `due`, by deadline, the nearest first."""
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    today = timezone.localdate()
    personal = may_handle_petitions(organization)
    rows = petition_list(
        organization=organization,
        today=today,
        status=filters.status,
        channel=filters.channel,
        kind=filters.kind,
        due=filters.due,
        q=filters.q,
        personal=personal,
    )
    if filters.date_from:
        rows = rows.filter(received_on__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(received_on__lte=filters.date_to)
    ordering = BY_DEADLINE if filters.due else BY_NUMBER
    page, next_cursor = keyset_page(
        rows, ordering=ordering, cursor=filters.cursor, limit=filters.limit
    )
    return {
        "results": [petition_out(p, personal=personal, today=today) for p in page],
        "next_cursor": next_cursor,
    }


@router.get(
    BASE + "/{petition_id}",
    response={200: PetitionDetailOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def petition_detail(request: HttpRequest, code: OrgCode, petition_id: Id) -> dict[str, Any]:
    petition = get_petition_for_user(user=request.user, code=code, petition_id=petition_id)
    return petition_detail_out(
        petition,
        personal=may_handle_petitions(petition.organization),
        today=timezone.localdate(),
    )


@router.post(
    BASE,
    response={201: PetitionCreatedOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.EDIT_RECORDS),
)
def petition_create(request: HttpRequest, code: OrgCode, body: PetitionIn) -> Status:
    """Register a petition received in writing, in person, by phone…: the next number of
    its year, the deadline from the rule in force on `received_on`, and a tracking code for
    the petitioner, returned this once."""
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.EDIT_RECORDS
    )
    officers = petition_officers(organization=organization)
    data: dict[str, Any] = body.dict()
    data["received_on"] = body.received_on or timezone.localdate()
    if body.assigned_to:
        officer = officers.filter(username=body.assigned_to).first()
        if officer is None:
            raise ApiError(
                400,
                "invalid",
                _("Choose a coordinator or officer of this organization."),
                [_("assigned_to: Choose a coordinator or officer of this organization.")],
            )
        data["assigned_to"] = officer.pk
    form = PetitionRegisterForm(data, officers=officers)
    if not form.is_valid():
        raise form_invalid(form)
    registered = petition_register(
        organization=organization, actor=request.user, ip=client_ip(request), **form.cleaned_data
    )
    petition = registered.petition
    petition.organization = organization
    return Status(
        201,
        {
            **petition_detail_out(petition, personal=True, today=timezone.localdate()),
            "tracking_code": format_tracking_code(registered.tracking_code),
        },
    )
