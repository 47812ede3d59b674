"""Who is told of each step of a report's workflow. Called once per transition by
`services`, inside its transaction."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from shudarga.notifications.events import labels
from shudarga.notifications.selectors import members_who_may
from shudarga.notifications.services import notify
from shudarga.organizations.roles import Action
from shudarga.reports.models import Report

# step -> (event, the actions whose holders are told)
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    # The reviewer scores it; the leader learns that it comes to them once reviewed.
    "submitted": ("report.submitted", (Action.REVIEW_REPORT, Action.APPROVE_REPORT)),
    "reviewed": ("report.reviewed", (Action.APPROVE_REPORT,)),
    "approved": ("report.approved", (Action.EDIT_REPORT, Action.REVIEW_REPORT)),
    "returned": ("report.returned", (Action.EDIT_REPORT,)),
}


def _name(user: Any) -> str:
    if user is None:
        return "—"
    return (user.get_full_name() or user.get_username()).strip()


def report_step_notify(*, report: Report, step: str, actor: Any, reason: str = "") -> None:
    """Tell the people the step concerns (the actor left out): see `STEPS`. A returned or
    approved report is also told to whoever submitted it."""
    event, actions = STEPS[step]
    organization_id = report.plan.organization_id
    users = {
        u.pk: u for a in actions for u in members_who_may(organization=organization_id, action=a)
    }
    if step in ("returned", "approved") and report.submitted_by_id:
        users.setdefault(report.submitted_by_id, report.submitted_by)
    stamp = timezone.now().isoformat()
    notify(
        users=users.values(),
        event=event,
        key=f"{event}:{report.pk}:{stamp}",
        params={
            "title": labels(lambda: str(report)),
            "by": _name(actor),
            "reason": reason,
        },
        url=report.get_absolute_url(),
        organization_id=organization_id,
        actor=actor,
    )


def parent_step_notify(*, report: Report, step: str, actor: Any, parent_id: int,
                       percent: str = "", reason: str = "") -> None:  # fmt: skip
    """Issue 18. "resubmitted": the parent body's reviewers and leaders learn that a report
    they returned was corrected; "approved": the organization's writers and reviewers learn
    the parent body's evaluation (and its percent); "reopened": they learn it was reopened,
    and why. The actor is left out."""
    if step == "resubmitted":
        users = list(members_who_may(organization=parent_id, action=Action.APPROVE_REPORT))
        event = "report.parent_resubmitted"
    else:
        organization_id = report.plan.organization_id
        users = list(
            {
                u.pk: u
                for a in (Action.EDIT_REPORT, Action.REVIEW_REPORT)
                for u in members_who_may(organization=organization_id, action=a)
            }.values()
        )
        event = "report.parent_approved" if step == "approved" else "report.parent_reopened"
    stamp = timezone.now().isoformat()
    notify(
        users=users,
        event=event,
        key=f"{event}:{report.pk}:{stamp}",
        params={
            "title": labels(lambda: str(report)),
            "org": report.plan.organization.name,
            "by": _name(actor),
            "percent": f"{percent}%" if percent and percent != "—" else "—",
            "reason": reason,
        },
        url=report.get_absolute_url(),
        organization_id=report.plan.organization_id,
        actor=actor,
    )
