"""Public endpoints, without a token: what the public portal shows. Published plans, the
approved reports' implementation percents, and a petition's status by its tracking code —
never personal data. Each address is rate-limited; tracking-code lookups also count against
the portal's own lookup limit, so the API is no way around it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from shudarga.api.access import PUBLIC, requires
from shudarga.api.auth import check_scope_rate, public_request
from shudarga.api.errors import ERROR_CODES, ApiError, ErrorOut
from shudarga.api.schemas import (
    Id,
    OrgCode,
    PetitionStatusOut,
    PublicPlanOut,
    PublicPlanScores,
    TrackIn,
)
from shudarga.petitions.selectors import petition_for_tracking_code
from shudarga.plans.selectors import plan_to_document
from shudarga.public.selectors import (
    get_public_organization,
    get_published_plan,
    published_plans,
)
from shudarga.reports.models import Report
from shudarga.reports.scale import format_percent
from shudarga.reports.selectors import report_list_for_organization

router = Router(tags=["public"], auth=None)

BASE = "/public/organizations/{code}"


@router.get(
    BASE + "/plans",
    response={200: list[PublicPlanOut], ERROR_CODES: ErrorOut},
    openapi_extra=requires(PUBLIC),
)
def public_plan_list(request: HttpRequest, code: OrgCode) -> list[dict[str, Any]]:
    """The organization's published plans, newest year first."""
    public_request(request)
    organization = get_public_organization(code=code)
    return [
        {"id": p.pk, "year": p.year, "title": p.title, "approved_on": p.approved_on}
        for p in published_plans(organization=organization)
    ]


@router.get(
    BASE + "/plans/{plan_id}",
    response={200: dict[str, Any], ERROR_CODES: ErrorOut},
    openapi_extra=requires(PUBLIC),
)
def public_plan_document(request: HttpRequest, code: OrgCode, plan_id: Id) -> dict[str, Any]:
    """A published plan as interchange JSON (drafts and approved-but-unpublished plans are
    404)."""
    public_request(request)
    organization = get_public_organization(code=code)
    plan = get_published_plan(organization=organization, plan_id=plan_id)
    return plan_to_document(plan=plan).to_dict()


@router.get(
    BASE + "/scores",
    response={200: list[PublicPlanScores], ERROR_CODES: ErrorOut},
    openapi_extra=requires(PUBLIC),
)
def public_scores(request: HttpRequest, code: OrgCode) -> list[dict[str, Any]]:
    """The implementation percent of every approved report of the published plans, as the
    portal shows them; reports not yet approved are left out."""
    public_request(request)
    organization = get_public_organization(code=code)
    result = []
    for plan, summaries in report_list_for_organization(organization=organization):
        approved = [s for s in summaries if s.report.status == Report.Status.APPROVED]
        if plan.status != plan.Status.PUBLISHED or not approved:
            continue
        result.append(
            {
                "plan_id": plan.pk,
                "year": plan.year,
                "title": plan.title,
                "reports": [
                    {
                        "period": s.report.period,
                        "percent": None if s.percent is None else format_percent(s.percent),
                        "approved_at": s.report.approved_at,
                    }
                    for s in approved
                ],
            }
        )
    return result


@router.post(
    "/public/petitions/status",
    response={200: PetitionStatusOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(PUBLIC),
)
def public_petition_status(request: HttpRequest, body: TrackIn) -> dict[str, Any]:
    """A petition's status and dates by the tracking code its petitioner was given. Sent in
    the body, not the address, so the code stays out of logs. Nothing else is told: no name,
    no text, no answer."""
    public_request(request)
    check_scope_rate(request, "track")
    petition = petition_for_tracking_code(code=body.code)
    if petition is None:
        raise ApiError(404, "not_found", _("No petition has this tracking code."))
    return {
        "status": petition.status,
        "status_label": str(petition.get_status_display()),
        "received_on": petition.received_on,
        "due_on": petition.due_on,
        "answered_on": petition.answered_on,
        "resolved_on": petition.resolved_on,
    }
