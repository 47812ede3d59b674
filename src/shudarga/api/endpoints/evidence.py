"""Evidence: metadata (list per measure or criterion, one item with its versions), upload
(multipart, streamed, through the form and services the web uses) and download."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import FileResponse, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from shudarga.api.access import requires
from shudarga.api.downloads import attachment_response, download_responses
from shudarga.api.errors import ERROR_CODES, ApiError, ErrorOut, form_invalid
from shudarga.api.pagination import PAGE_SIZE, CursorParam, LimitParam, Ordering, keyset_page
from shudarga.api.schemas import MAX_ID, EvidenceDetailOut, EvidencePage, Id, OrgCode, Text
from shudarga.core.http import client_ip, stream_length
from shudarga.core.storage import open_stream
from shudarga.evidence import filetypes, services
from shudarga.evidence.forms import EvidenceAddForm
from shudarga.evidence.models import Evidence
from shudarga.evidence.selectors import (
    evidence_for_organization,
    evidence_versions,
    get_evidence_for_user,
)
from shudarga.evidence.uploads import REQUEST_OVERHEAD, EvidenceUploadLimit, upload_was_cut
from shudarga.evidence.validators import max_upload_bytes
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user

router = Router(tags=["evidence"])

BASE = "/organizations/{code}/evidence"
ORDERING = Ordering("date", ("relates_to", "id"), descending=True)


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def evidence_out(evidence: Evidence, code: str) -> dict[str, Any]:
    download = None
    if evidence.is_file:
        download = reverse("api:v1:evidence_download", args=[code, evidence.pk])
    return {
        "id": evidence.pk,
        "kind": evidence.kind,
        "measure": {"id": evidence.measure_id, "code": evidence.measure.code},
        "plan_id": evidence.measure.plan_id,
        "criterion_id": evidence.criterion_id,
        "title": evidence.title,
        "description": evidence.description,
        "relates_to": evidence.relates_to,
        "original_name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "link": evidence.link,
        "version": evidence.version,
        "is_current": evidence.is_current,
        "deleted_at": evidence.deleted_at,
        "uploaded_at": evidence.uploaded_at,
        "uploaded_by": _person(evidence.uploaded_by),
        "download_url": download,
    }


class EvidenceFilters(Schema):
    measure_id: int | None = Field(None, ge=1, le=MAX_ID)
    criterion_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: Literal["", "file", "link"] = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: Text = ""
    cursor: CursorParam = None
    limit: LimitParam = PAGE_SIZE


@router.get(
    BASE,
    response={200: EvidencePage, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def evidence_list(
    request: HttpRequest,
    code: OrgCode,
    filters: Query[EvidenceFilters],  # type: ignore[type-arg]
) -> dict[str, Any]:
    """Current evidence (replaced and deleted versions left out), the latest work first;
    `measure_id` or `criterion_id` for one measure's or criterion's. `date_from`/`date_to`
    bound the date of the work; `q` searches title, file name and link."""
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    rows = evidence_for_organization(
        organization=organization,
        measure_id=filters.measure_id,
        kind=filters.kind,
        date_from=filters.date_from,
        date_to=filters.date_to,
        q=filters.q,
    )
    if filters.criterion_id:
        rows = rows.filter(criterion_id=filters.criterion_id)
    page, next_cursor = keyset_page(
        rows, ordering=ORDERING, cursor=filters.cursor, limit=filters.limit
    )
    return {"results": [evidence_out(e, code) for e in page], "next_cursor": next_cursor}


@router.get(
    BASE + "/{evidence_id}",
    response={200: EvidenceDetailOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def evidence_detail(request: HttpRequest, code: OrgCode, evidence_id: Id) -> dict[str, Any]:
    """One item (any version, current or not) and its whole version history."""
    evidence = get_evidence_for_user(user=request.user, code=code, evidence_id=evidence_id)
    versions = list(evidence_versions(evidence=evidence))
    for version in versions:
        version.measure = evidence.measure  # a lineage keeps its measure: no query each
    return {
        **evidence_out(evidence, code),
        "versions": [evidence_out(v, code) for v in versions],
    }


@router.get(
    BASE + "/{evidence_id}/download",
    response={ERROR_CODES: ErrorOut},
    url_name="evidence_download",
    openapi_extra=requires(Action.VIEW, responses=download_responses(tuple(filetypes.FILE_TYPES))),
)
def evidence_download(request: HttpRequest, code: OrgCode, evidence_id: Id) -> FileResponse:
    """The stored file, streamed, as an attachment under its original (sanitised) name and
    its sniffed type. A link has no file: 404 `no_file`."""
    evidence = get_evidence_for_user(user=request.user, code=code, evidence_id=evidence_id)
    if not evidence.is_file:
        raise ApiError(404, "no_file", _("This evidence is a link; it has no file."))
    try:
        handle = open_stream(evidence.file.storage, evidence.file.name)
    except FileNotFoundError:
        raise ApiError(404, "no_file", _("The stored file is missing.")) from None
    return stream_length(
        attachment_response(
            handle, content_type=evidence.content_type, filename=evidence.original_name
        ),
        handle,
    )


# -- upload ---------------------------------------------------------------------------------

UPLOAD_FORM = {
    "type": "object",
    "properties": {
        "measure": {"type": "integer", "description": "The measure's id."},
        "criterion": {"type": "integer", "description": "Optional: a criterion of it."},
        "file": {"type": "string", "format": "binary"},
        "link": {"type": "string", "description": "…or an http(s) link instead of a file."},
        "title": {"type": "string", "maxLength": 500},
        "description": {"type": "string"},
        "relates_to": {
            "type": "string",
            "format": "date",
            "description": "The date of the work it proves; defaults to today.",
        },
    },
    "required": ["measure"],
}


def _limit_upload(request: HttpRequest) -> None:
    """Refuse a body that says it is over the limit before reading any of it, and stop
    reading one that passes the limit while it streams. Must run before anything touches
    `request.POST` or `request.FILES` (nothing does before this in an API operation: ninja
    reads only path and query here, and its views are exempt from the CSRF middleware)."""
    max_bytes = max_upload_bytes()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_bytes + REQUEST_OVERHEAD:
        raise _too_large(max_bytes)
    request.upload_handlers.insert(0, EvidenceUploadLimit(request, max_bytes))


def _too_large(max_bytes: int) -> ApiError:
    return ApiError(
        413,
        "too_large",
        _("The file is larger than %(limit)s, the most a file may be.")
        % {"limit": filesizeformat(max_bytes)},
    )


@router.post(
    BASE,
    response={201: EvidenceDetailOut, ERROR_CODES | {413}: ErrorOut},
    openapi_extra=requires(
        Action.EDIT_RECORDS,
        requestBody={
            "required": True,
            "content": {"multipart/form-data": {"schema": UPLOAD_FORM}},
        },
    ),
)
def evidence_upload(request: HttpRequest, code: OrgCode) -> Status:
    """Add a file (multipart field `file`) or a link as evidence for a measure. The file is
    streamed to storage and checked as on the web: size, type sniffed from its bytes (PDF,
    JPEG, PNG, MP4, DOCX, XLSX; no macros, no zip bombs), extension agreeing with it.
    413 `too_large` over the size limit; 400 `invalid` naming what is wrong otherwise."""
    organization = get_organization_for_user(user=request.user, code=code)
    organization.access.require(Action.EDIT_RECORDS)
    _limit_upload(request)
    data = request.POST.copy()
    if upload_was_cut(request):
        raise _too_large(max_upload_bytes())
    if not data.get("relates_to"):
        data["relates_to"] = timezone.localdate().isoformat()
    form = EvidenceAddForm(data, request.FILES, organization=organization)
    if not form.is_valid():
        raise form_invalid(form)
    cleaned = form.cleaned_data
    common = {
        "organization": organization,
        "measure": cleaned["measure"],
        "actor": request.user,
        "title": cleaned["title"],
        "description": cleaned["description"],
        "criterion": cleaned["criterion"],
        "relates_to": cleaned["relates_to"],
        "ip": client_ip(request),
    }
    if cleaned["file"] is not None:
        evidence = services.evidence_add_file(upload=cleaned["file"], **common)
    else:
        evidence = services.evidence_add_link(link=cleaned["link"], **common)
    evidence.organization = organization
    return Status(201, {**evidence_out(evidence, code), "versions": [evidence_out(evidence, code)]})
