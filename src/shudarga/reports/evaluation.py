"""Writes of the parent body's evaluation of a subordinate organization's report (issue 18).

A reviewer or leader of a parent body scores each due measure of a submitted, reviewed or
approved report on the same scale as the organization's reviewer, with a comment; may send
the report back for correction with a reason (the report returns to draft, as a reopening
does); the organization's next submission puts the report back before the parent body; the
parent approves its evaluation once every due measure has its score, which seals it and
locks its scores; it may reopen an approved evaluation with a reason (the seal stays on
record, superseded by the next approval's). Who may press which button is the view's
question (`Action.EVALUATE_AS_PARENT`); the state rules live here. Each write is atomic and audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.models import Seal
from shudarga.core.services import audit_record, seal_create
from shudarga.plans.models import Measure
from shudarga.reports.models import ParentEvaluation, Report, ReportEvent, ReportItem
from shudarga.reports.notices import parent_step_notify
from shudarga.reports.scale import get_scale, validate_score
from shudarga.reports.selectors import (
    due_row,
    parent_four_eyes_refusal,
    report_page,
    report_to_document,
)

# A parent body evaluates a report its organization has sent: submitted, reviewed or
# approved (the parent chooses whether to wait for the organization's own approval).
EVALUABLE = (Report.Status.SUBMITTED, Report.Status.REVIEWED, Report.Status.APPROVED)


def _label(actor: Any) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()[:150]
    return "system"


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit(evaluation: ParentEvaluation, report: Report, *, actor, action, obj=None, changes=None,
           ip=None) -> None:  # fmt: skip
    # Recorded under the evaluated organization, whose report changes; the parent body's
    # id goes along so its own history can find it.
    audit_record(
        actor=actor,
        action=action,
        obj=obj or evaluation,
        organization_id=report.plan.organization_id,
        changes={**(changes or {}), "parent": evaluation.organization_id},
        ip=ip,
    )


def _event(report: Report, action: str, actor: Any, *, reason: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        actor=_user(actor),
        actor_label=_label(actor),
        reason=reason,
        from_status=report.status,
    )


def _evaluation_for_update(report: Report) -> ParentEvaluation:
    """The report's evaluation locked for this transaction, made (open) on first use for the
    organization's parent body. ValidationError when the organization has no parent."""
    parent_id = report.plan.organization.parent_id
    if parent_id is None:
        raise ValidationError(
            _("This organization has no parent body to evaluate its report."), code="no_parent"
        )
    evaluation, _created = ParentEvaluation.objects.select_for_update().get_or_create(
        report=report, defaults={"organization_id": parent_id}
    )
    return evaluation


def _fresh(report: Report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    locked.plan = report.plan
    return locked


def _require_open(report: Report, evaluation: ParentEvaluation) -> None:
    if evaluation.status == ParentEvaluation.Status.APPROVED:
        raise ValidationError(
            _("The parent body's evaluation is approved and sealed; it cannot change."),
            code="locked",
        )
    if report.status not in EVALUABLE:
        raise ValidationError(
            _(
                "The parent body evaluates the report once the organization has submitted it; "
                "it is a draft now."
            ),
            code="wrong_status",
        )


@transaction.atomic
def report_item_parent_score(
    *,
    report: Report,
    measure: Measure,
    actor: Any,
    score: object,
    comment: str = "",
    ip: str | None = None,
) -> ReportItem:
    """The parent body's score of one due measure (a level of the scale) and comment,
    beside the organization's own. Only while the report is submitted, reviewed or approved
    and the evaluation is not approved."""
    report = _fresh(report)
    evaluation = _evaluation_for_update(report)
    _require_open(report, evaluation)
    scale = get_scale()
    value = validate_score(score, scale=scale)
    due_row(report=report, measure=measure, scale=scale)
    item, _created = ReportItem.objects.select_for_update().get_or_create(
        report=report, measure=measure
    )
    item.report, item.measure = report, measure
    before = item.parent_score
    item.parent_score, item.parent_comment = value, comment.strip()
    item.parent_scored_by, item.parent_scored_at = _user(actor), timezone.now()
    item.full_clean()
    item.save()
    _audit(
        evaluation,
        report,
        actor=actor,
        action="report.parent_scored",
        obj=item,
        changes={"parent_score": [before, value], "comment": item.parent_comment},
        ip=ip,
    )
    return item


@transaction.atomic
def parent_evaluation_return(
    *, report: Report, actor: Any, reason: str, ip: str | None = None
) -> ParentEvaluation:
    """The parent body sends the report back for correction, with the reason: the report
    returns to draft (as a reopening does: `services.report_reopen`, which tells its
    people) and the evaluation waits for the organization's next submission."""
    from shudarga.reports.services import report_reopen

    report = _fresh(report)
    evaluation = _evaluation_for_update(report)
    _require_open(report, evaluation)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say what the organization should correct.")}, code="reason"
        )
    _event(report, ReportEvent.Action.PARENT_RETURNED, actor, reason=reason)
    report_reopen(report=report, actor=actor, reason=reason, ip=ip)
    evaluation.status = ParentEvaluation.Status.RETURNED
    evaluation.returned_reason = reason
    evaluation.returned_by, evaluation.returned_at = _user(actor), timezone.now()
    evaluation.save()
    _audit(
        evaluation,
        report,
        actor=actor,
        action="report.parent_returned",
        changes={"status": ["open", "returned"], "reason": reason},
        ip=ip,
    )
    return evaluation


def parent_evaluation_resubmitted(*, report: Report, actor: Any, ip: str | None = None) -> None:
    """Called by `services.report_submit` in its transaction: a report the parent body had
    returned goes back before it (the evaluation is open again). Nothing otherwise."""
    evaluation = (
        ParentEvaluation.objects.select_for_update()
        .filter(report_id=report.pk, status=ParentEvaluation.Status.RETURNED)
        .first()
    )
    if evaluation is None:
        return
    evaluation.status = ParentEvaluation.Status.OPEN
    evaluation.save(update_fields=["status", "updated_at"])
    _event(report, ReportEvent.Action.PARENT_RESUBMITTED, actor)
    parent_step_notify(
        report=report, step="resubmitted", actor=actor, parent_id=evaluation.organization_id
    )
    _audit(
        evaluation,
        report,
        actor=actor,
        action="report.parent_resubmitted",
        changes={"status": ["returned", "open"]},
        ip=ip,
    )


@transaction.atomic
def parent_evaluation_approve(
    *, report: Report, actor: Any, ip: str | None = None
) -> ParentEvaluation:
    """The parent body approves its evaluation: every due measure must have its score; the
    four-eyes rule of the parent body holds (who scored for it does not approve). The
    evaluation is then sealed (`Seal.Kind.EVALUATION`) and its scores locked."""
    report = _fresh(report)
    evaluation = _evaluation_for_update(report)
    _require_open(report, evaluation)
    if evaluation.status != ParentEvaluation.Status.OPEN:
        raise ValidationError(
            _("The report was returned for correction; wait for the organization to submit it."),
            code="wrong_status",
        )
    page = report_page(report=report)
    if codes := [row.measure.code for row in page.parent_unscored]:
        raise ValidationError(
            _(
                "The evaluation cannot be approved: %(count)s due measures have no score of "
                "the parent body (%(codes)s)."
            )
            % {"count": len(codes), "codes": ", ".join(codes)},
            code="unscored",
        )
    if refusal := parent_four_eyes_refusal(report=report, evaluation=evaluation, user=actor):
        raise ValidationError(refusal, code="four_eyes")
    evaluation.status = ParentEvaluation.Status.APPROVED
    evaluation.approved_by, evaluation.approved_at = _user(actor), timezone.now()
    evaluation.save()
    page.evaluation = evaluation
    _event(report, ReportEvent.Action.PARENT_APPROVED, actor)
    seal_create(
        kind=Seal.Kind.EVALUATION,
        obj=evaluation,
        organization_id=report.plan.organization_id,
        actor=actor,
        content=evaluation_seal_content(report=report, page=page),
        evidence=[],
        ip=ip,
    )
    parent_step_notify(
        report=report,
        step="approved",
        actor=actor,
        parent_id=evaluation.organization_id,
        percent=page.parent_percent_text,
    )
    _audit(
        evaluation,
        report,
        actor=actor,
        action="report.parent_approved",
        changes={"status": ["open", "approved"], "percent": page.parent_percent_text},
        ip=ip,
    )
    return evaluation


@transaction.atomic
def parent_evaluation_reopen(
    *, report: Report, actor: Any, reason: str, ip: str | None = None
) -> ParentEvaluation:
    """The parent body reopens its approved evaluation, with the reason: the evaluation is
    open again, so its scores may change and it is approved (and sealed) anew. The seal of
    the approval stays on record: `verify_seal` reads it as reopened, and as superseded once
    the next approval seals again. The organization's people are told, and its report page
    shows the reason."""
    report = _fresh(report)
    evaluation = _evaluation_for_update(report)
    if evaluation.status != ParentEvaluation.Status.APPROVED:
        raise ValidationError(
            _("Only an approved evaluation can be reopened."), code="wrong_status"
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the evaluation is reopened.")}, code="reason")
    evaluation.status = ParentEvaluation.Status.OPEN
    evaluation.reopened_reason = reason
    evaluation.reopened_by, evaluation.reopened_at = _user(actor), timezone.now()
    evaluation.save()
    _event(report, ReportEvent.Action.PARENT_REOPENED, actor, reason=reason)
    parent_step_notify(
        report=report,
        step="reopened",
        actor=actor,
        parent_id=evaluation.organization_id,
        reason=reason,
    )
    _audit(
        evaluation,
        report,
        actor=actor,
        action="report.parent_reopened",
        changes={"status": ["approved", "open"], "reason": reason},
        ip=ip,
    )
    return evaluation


def evaluation_seal_content(*, report: Report, page: Any) -> dict[str, Any]:
    """What the seal of a parent body's evaluation holds: the report's identity, both
    scores of every measure, and both percents (from the report's JSON export)."""
    data = report_to_document(report=report, page=page).to_dict()
    return {
        "report": report.pk,
        "organization": data["organization"],
        "year": data["year"],
        "period_key": data["period_key"],
        "percent_text": data["percent_text"],
        "own": {
            item["code"]: item["score_mark"] for goal in data["goals"] for item in goal["items"]
        },
        "parent": data["parent"],
    }
