"""Demo reports: the half-year report scored and approved, the year report scored and
waiting for approval — scored from what the criteria say, as a reviewer would start."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shudarga.criteria.selectors import plan_evaluate, plan_period
from shudarga.plans.models import Plan
from shudarga.reports.models import Report
from shudarga.reports.services import (
    report_approve,
    report_item_score,
    report_mark_reviewed,
    report_submit,
)


def _score(statuses: list[str]) -> int:
    """100 when every counted criterion is met, 30 when none is, 70 in between."""
    counted = [s for s in statuses if s not in ("manual", "nothing_to_check")]
    if not counted or all(s == "met" for s in counted):
        return 100
    if not any(s == "met" for s in counted):
        return 30
    return 70


def score_demo_reports(
    *, plan: Plan, reviewer: Any, leader: Any, until: dt.date | None = None
) -> None:
    """Submit and score each report of `plan` whose period ended before `until` (all of
    them without it), approving the half-year one."""
    for report in Report.objects.filter(plan=plan).order_by("id"):
        if until is not None and plan_period(plan=plan, name=report.period).end >= until:
            continue  # its period is still running
        report_submit(report=report, actor=None)
        evaluation = plan_evaluate(plan=plan, period=plan_period(plan=plan, name=report.period))
        for item in report.items.select_related("measure").filter(due=True):
            statuses = [
                evaluation.by_criterion[c.pk].evaluation.status for c in item.measure.criteria.all()
            ]
            report_item_score(
                report=report,
                measure=item.measure,
                actor=reviewer,
                score=_score(statuses),
                comment="" if _score(statuses) == 100 else "Нотломжийг бүрэн хавсаргана уу.",
            )
        report_mark_reviewed(report=report, actor=reviewer)
        if report.period == "h1":
            report_approve(report=report, actor=leader)
