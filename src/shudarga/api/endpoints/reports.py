"""Reports: the organization's list with percents, one report as its page shows it (items,
scores, totals), and submitting a draft through the workflow service the web uses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router

from shudarga.api.access import requires
from shudarga.api.errors import ERROR_CODES, ApiError, ErrorOut
from shudarga.api.schemas import Id, OrgCode, ReportDetailOut, ReportOut
from shudarga.core.http import client_ip
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.reports import services
from shudarga.reports.models import Report
from shudarga.reports.scale import format_percent
from shudarga.reports.selectors import (
    get_report_for_user,
    report_list_for_organization,
    report_may,
    report_page,
)

router = Router(tags=["reports"])

BASE = "/organizations/{code}/reports"


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else format_percent(value)


def report_out(report: Report, percent: Decimal | None) -> dict[str, Any]:
    return {
        "id": report.pk,
        "plan_id": report.plan_id,
        "year": report.plan.year,
        "period": report.period,
        "status": report.status,
        "due_date": report.due_date,
        "submitted_at": report.submitted_at,
        "reviewed_at": report.reviewed_at,
        "approved_at": report.approved_at,
        "percent": _percent(percent),
    }


def report_detail_out(report: Report) -> dict[str, Any]:
    """The report as its page shows it: every goal and measure with the implementation text,
    self-assessment, score and evidence count; percents per goal and in total."""
    page = report_page(report=report)
    goals = []
    for block in page.goals:
        items = []
        for row in block.rows:
            item = row.item
            items.append(
                {
                    "measure_id": row.measure.pk,
                    "code": row.measure.code,
                    "text": row.measure.text,
                    "due": row.due,
                    "implementation": row.text,
                    "self_score": item.self_score if item else None,
                    "achieved": item.achieved if item else "",
                    "target_reached": item.target_reached if item else None,
                    "shortfall_reason": item.shortfall_reason if item else "",
                    "score": row.score,
                    "score_comment": item.score_comment if item else "",
                    "parent_score": row.parent_score,
                    "parent_comment": item.parent_comment if item else "",
                    "evidence_count": len(row.evidence),
                    "comment_count": row.comments,
                }
            )
        goals.append(
            {
                "number": block.goal.number,
                "text": block.goal.text,
                "percent": _percent(block.percent),
                "parent_percent": _percent(block.parent_percent),
                "items": items,
            }
        )
    evaluation = page.evaluation
    return {
        **report_out(report, page.percent),
        "parent_evaluation": None
        if evaluation is None
        else {
            "organization": evaluation.organization.code,
            "organization_name": evaluation.organization.name,
            "status": evaluation.status,
            "returned_reason": evaluation.returned_reason,
            "approved_at": evaluation.approved_at,
            "reopened_reason": evaluation.reopened_reason,
            "reopened_at": evaluation.reopened_at,
        },
        "period_start": page.period.start,
        "period_end": page.period.end,
        "goals": goals,
        "totals": {
            "percent": _percent(page.percent),
            "parent_percent": _percent(page.parent_percent),
            "due": page.due_count,
            "not_due": page.not_due_count,
            "unscored": len(page.unscored),
            "levels": [
                {"value": value, "label": str(label), "count": count}
                for value, label, count in page.level_counts()
            ],
        },
    }


@router.get(
    BASE,
    response={200: list[ReportOut], ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def report_list(request: HttpRequest, code: OrgCode) -> list[dict[str, Any]]:
    """Every report of the organization's plans, newest plan first, in period order, each
    with its implementation percent."""
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    return [
        report_out(summary.report, summary.percent)
        for _plan, summaries in report_list_for_organization(organization=organization)
        for summary in summaries
    ]


@router.get(
    BASE + "/{report_id}",
    response={200: ReportDetailOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def report_detail(request: HttpRequest, code: OrgCode, report_id: Id) -> dict[str, Any]:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    return report_detail_out(report)


@router.post(
    BASE + "/{report_id}/submit",
    response={200: ReportDetailOut, ERROR_CODES | {409}: ErrorOut},
    openapi_extra=requires(Action.EDIT_REPORT),
)
def report_submit(request: HttpRequest, code: OrgCode, report_id: Id) -> dict[str, Any]:
    """draft -> submitted, as the Submit button does: texts nobody edited are drafted once
    more and each measure's due flag is fixed. 409 `wrong_status` unless it is a draft
    (`locked` when approved)."""
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    if not report_may(organization=report.plan.organization, what="edit"):
        raise PermissionDenied
    try:
        report = services.report_submit(report=report, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        codes = [error.code for error in getattr(exc, "error_list", ()) if error.code]
        raise ApiError(409, codes[0] if codes else "invalid", exc.messages[0]) from None
    return report_detail_out(report)
