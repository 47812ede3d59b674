"""Plans: list, read with every criterion's evaluated status, export and create from the
interchange JSON."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Body, Router, Status

from shudarga.api.access import requires
from shudarga.api.downloads import attachment_response, download_responses
from shudarga.api.errors import ERROR_CODES, ApiError, ErrorOut
from shudarga.api.schemas import Id, OrgCode, PlanDetailOut, PlanOut
from shudarga.core.http import client_ip
from shudarga.criteria.selectors import PERIODS, plan_evaluate, plan_period
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.plans.documents.model import PlanDocument
from shudarga.plans.exports import EXPORT_FORMATS, plan_export
from shudarga.plans.models import Plan
from shudarga.plans.selectors import get_plan_for_user, plan_list_for_organization, plan_to_document
from shudarga.plans.services import plan_create_from_document

router = Router(tags=["plans"])

PeriodName = Literal[tuple(PERIODS)]  # type: ignore[valid-type]
ExportFormat = Literal[tuple(EXPORT_FORMATS)]  # type: ignore[valid-type]
EXPORT_CONTENT_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/json",
)


def plan_out(plan: Plan, measure_count: int | None = None) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "year": plan.year,
        "title": plan.title,
        "status": plan.status,
        "approved_on": plan.approved_on,
        "place": plan.place,
        "measure_count": (
            measure_count if measure_count is not None else getattr(plan, "measure_count", 0)
        ),
        "created_at": plan.created_at,
    }


def plan_detail_out(plan: Plan, period: str = "year") -> dict[str, Any]:
    """The plan with its goals, measures and criteria, each criterion with its status."""
    evaluation = plan_evaluate(plan=plan, period=plan_period(plan=plan, name=period))
    goals = []
    measure_count = 0
    for goal in evaluation.goals:
        activities = {a.pk: a.code for a in goal.activities.all()}
        measures = []
        for measure in goal.measures.all():
            measure_count += 1
            criteria = []
            for criterion in measure.criteria.all():
                status = evaluation.by_criterion[criterion.pk]
                criteria.append(
                    {
                        "id": criterion.pk,
                        "text": criterion.text,
                        "status": status.evaluation.status,
                        "message": str(status.evaluation.message),
                        "count": status.evaluation.count,
                        "target": status.evaluation.target,
                        "rule_confirmed": status.confirmed,
                    }
                )
            measures.append(
                {
                    "id": measure.pk,
                    "code": measure.code,
                    "text": measure.text,
                    "activity": activities.get(measure.activity_id),
                    "responsible_unit": measure.responsible_unit,
                    "due_date": measure.due_date,
                    "recurrence": measure.recurrence,
                    "criteria": criteria,
                }
            )
        goals.append({"number": goal.number, "text": goal.text, "measures": measures})
    return {
        **plan_out(plan, measure_count),
        "period_start": evaluation.period.start,
        "period_end": evaluation.period.end,
        "counts": {str(k): v for k, v in evaluation.counts().items()},
        "goals": goals,
    }


@router.get(
    "/organizations/{code}/plans",
    response={200: list[PlanOut], ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def plan_list(request: HttpRequest, code: OrgCode) -> list[dict[str, Any]]:
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    return [plan_out(p) for p in plan_list_for_organization(organization=organization)]


@router.post(
    "/organizations/{code}/plans",
    response={201: PlanDetailOut, 409: ErrorOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.IMPORT_PLAN),
)
def plan_create(
    request: HttpRequest,
    code: OrgCode,
    document: dict[str, Any] = Body(  # noqa: B008
        ..., description="The plan as interchange JSON (what the document export gives)."
    ),
    on_existing: Literal["refuse", "replace", "revision"] = "refuse",
) -> Status:
    """Create a draft plan from its interchange JSON; all of it or nothing. When the
    organization has a plan for that year already: 409 `plan_exists`, unless `on_existing`
    says the new one replaces that draft or is a revision of it."""
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.IMPORT_PLAN
    )
    try:
        plan = plan_create_from_document(
            organization=organization,
            document=PlanDocument.from_dict(document),
            actor=request.user,
            source_name="api",
            ip=client_ip(request),
            on_existing=on_existing,
        )
    except ValidationError as exc:
        if exc.code != "plan_exists":
            raise
        raise ApiError(409, "plan_exists", exc.messages[0]) from None
    return Status(201, plan_detail_out(plan))


@router.get(
    "/organizations/{code}/plans/{plan_id}",
    response={200: PlanDetailOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def plan_detail(
    request: HttpRequest, code: OrgCode, plan_id: Id, period: PeriodName = "year"
) -> dict[str, Any]:
    """The plan, every measure and criterion, and each criterion's status for `period` of
    the plan's year (evaluated now from the registers and evidence)."""
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id, action=Action.VIEW)
    return plan_detail_out(plan, period)


@router.get(
    "/organizations/{code}/plans/{plan_id}/document",
    response={200: dict[str, Any], ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.EXPORT_PLAN),
)
def plan_document(request: HttpRequest, code: OrgCode, plan_id: Id) -> dict[str, Any]:
    """The plan as interchange JSON (the same a plan may be created from)."""
    plan = get_plan_for_user(
        user=request.user, code=code, plan_id=plan_id, action=Action.EXPORT_PLAN
    )
    return plan_to_document(plan=plan).to_dict()


@router.get(
    "/organizations/{code}/plans/{plan_id}/export/{fmt}",
    response={ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.EXPORT_PLAN, responses=download_responses(EXPORT_CONTENT_TYPES)),
)
def plan_export_file(
    request: HttpRequest, code: OrgCode, plan_id: Id, fmt: ExportFormat
) -> HttpResponse:
    """The plan as a file to download: Word (`docx`), Excel (`xlsx`) or interchange JSON,
    the same files the plan page offers."""
    plan = get_plan_for_user(
        user=request.user, code=code, plan_id=plan_id, action=Action.EXPORT_PLAN
    )
    exported = plan_export(plan=plan, fmt=fmt)
    return attachment_response(
        exported.content, content_type=exported.content_type, filename=exported.filename
    )
