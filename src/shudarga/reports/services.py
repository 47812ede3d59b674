"""Writes for reports: create with drafted texts, edit, score, comment, move through the
workflow, build the evidence bundle. Each write is atomic and audited.

State rules live here (who may press which button is `selectors.report_may`, checked by the
views): officers write while the report is a draft; the reviewer scores once it is
submitted; an approved report is locked until someone reopens it with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shudarga.core.services import (
    audit_record,
    history_bulk_create,
    history_bulk_update,
    record_lock_release,
    record_lock_set,
)
from shudarga.organizations.models import Organization, WorkflowPolicy
from shudarga.plans.models import Measure, Plan
from shudarga.plans.selectors import plan_goals_for_page
from shudarga.reports.drafting import draft_text
from shudarga.reports.evaluation import parent_evaluation_resubmitted
from shudarga.reports.models import (
    Report,
    ReportBundle,
    ReportComment,
    ReportEvent,
    ReportItem,
)
from shudarga.reports.notices import report_step_notify
from shudarga.reports.periods import (
    DEFAULT_PERIODS,
    PERIOD_KEYS,
    default_due_date,
    measure_is_due,
)
from shudarga.reports.scale import get_scale, validate_score
from shudarga.reports.sealing import report_seal
from shudarga.reports.selectors import (
    draft_facts,
    due_row,
    four_eyes_refusal,
    registers_counted_organization_wide,
    report_page,
    report_period,
    report_to_document,
)

logger = logging.getLogger(__name__)


def _actor_label(actor: Any) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()[:150]
    return "system"


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit(report: Report, *, actor: Any, action: str, obj: Any = None, changes=None, ip=None):
    audit_record(
        actor=actor,
        action=action,
        obj=obj or report,
        organization_id=report.plan.organization_id,
        changes=changes,
        ip=ip,
    )


def _locked_message(report: Report) -> str:
    return _("The report is approved and locked; reopen it (with a reason) to change anything.")


def _require_status(report: Report, *allowed: str, message: str) -> None:
    if report.status == Report.Status.APPROVED and Report.Status.APPROVED not in allowed:
        raise ValidationError(_locked_message(report), code="locked")
    if report.status not in allowed:
        raise ValidationError(message, code="wrong_status")


def _require_four_eyes(report: Report, actor: Any, step: str) -> None:
    """ValidationError (code `four_eyes`) when the four-eyes rule keeps `actor` from `step`
    on `report` (see `selectors.four_eyes_refusal`). Checked on the locked row."""
    if refusal := four_eyes_refusal(report=report, user=actor, step=step):
        raise ValidationError(refusal, code="four_eyes")


def _fresh(report: Report) -> Report:
    """The report row locked for this transaction, keeping the caller's plan (and its
    organization with the user's roles)."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    locked.plan = report.plan
    return locked


# -- creating and drafting ----------------------------------------------------------------


def _drafts(report: Report, today: dt.date | None) -> tuple[list[Measure], dict[int, str]]:
    """The plan's measures and each one's text drafted from the period's records."""
    goals = plan_goals_for_page(plan=report.plan)
    facts = draft_facts(report=report, goals=goals, today=today)
    measures = [m for g in goals for m in g.measures.all()]
    return measures, {m.pk: draft_text(facts[m.pk]) for m in measures}


@transaction.atomic
def report_create(
    *,
    plan: Plan,
    period: str,
    actor: Any,
    due_date: dt.date | None = None,
    ip: str | None = None,
    today: dt.date | None = None,
) -> Report:
    """A draft report of `plan` for `period` (`h1`, `year`, `q1`, `9m`, …) with one item per
    measure whose text is drafted from the period's records. One report per plan and period.
    The due date defaults to `periods.default_due_date`."""
    if period not in PERIOD_KEYS:
        raise ValidationError(_("Unknown reporting period."), code="period")
    if Report.objects.filter(plan=plan, period=period).exists():
        raise ValidationError(_("The plan already has a report for this period."), code="duplicate")
    report = Report(plan=plan, period=period, created_by=_user_or_none(actor))
    report.due_date = due_date or default_due_date(period_end=report_period(report=report).end)
    report.full_clean()
    report.save()
    measures, texts = _drafts(report, today)
    history_bulk_create(
        (ReportItem(report=report, measure=m, text=texts[m.pk]) for m in measures),
        model=ReportItem,
        actor=actor,
        ip=ip,
    )
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.CREATED,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
    )
    _audit(
        report,
        actor=actor,
        action="report.created",
        changes={"period": period, "due_date": report.due_date.isoformat()},
        ip=ip,
    )
    return report


def report_create_defaults(
    *, plan: Plan, actor: Any, ip: str | None = None, today: dt.date | None = None
) -> list[Report]:
    """The half-year and year reports of `plan`, those it does not have yet."""
    existing = set(Report.objects.filter(plan=plan).values_list("period", flat=True))
    return [
        report_create(plan=plan, period=period, actor=actor, ip=ip, today=today)
        for period in DEFAULT_PERIODS
        if period not in existing
    ]


@transaction.atomic
def report_redraft(
    *,
    report: Report,
    actor: Any,
    measure: Measure | None = None,
    ip: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Draft the texts again from the records: every text no person has edited, or, with
    `measure`, that measure's text even if edited (the officer asked for it). Draft only.
    Returns how many texts changed."""
    report = _fresh(report)
    _require_status(
        report,
        Report.Status.DRAFT,
        message=_("Only a draft report can be drafted again; reopen it first."),
    )
    measures, texts = _drafts(report, today)
    # `report` (with its plan) set on each item: the history finds the organization there.
    items = {i.measure_id: i for i in ReportItem.objects.filter(report=report)}
    for item in items.values():
        item.report = report
    changed = []
    for m in measures:
        if measure is not None and m.pk != measure.pk:
            continue
        item = items.get(m.pk) or ReportItem(report=report, measure=m)
        if item.pk and item.text_edited and measure is None:
            continue
        if item.pk is None or item.text != texts[m.pk] or item.text_edited:
            item.text, item.text_edited = texts[m.pk], False
            item.save()
            changed.append(m.code)
    _audit(report, actor=actor, action="report.redrafted", changes={"measures": changed}, ip=ip)
    return len(changed)


@transaction.atomic
def report_set_due_date(
    *, report: Report, due_date: dt.date, actor: Any, ip: str | None = None
) -> Report:
    """Change when the report is due. Not once it is approved."""
    report = _fresh(report)
    _require_status(
        report,
        Report.Status.DRAFT,
        Report.Status.SUBMITTED,
        Report.Status.REVIEWED,
        message="",
    )
    before = report.due_date
    report.due_date = due_date
    report.full_clean()
    report.save(update_fields=["due_date", "updated_at"])
    _audit(
        report,
        actor=actor,
        action="report.due_date",
        changes={"due_date": [before.isoformat(), due_date.isoformat()]},
        ip=ip,
    )
    return report


# -- the officer's part -------------------------------------------------------------------


def _item_for_update(report: Report, measure: Measure) -> ReportItem:
    if measure.plan_id != report.plan_id:
        raise ValidationError(_("The measure is not part of this report's plan."))
    item, _created = ReportItem.objects.select_for_update().get_or_create(
        report=report, measure=measure
    )
    item.report, item.measure = report, measure
    return item


@transaction.atomic
def report_item_save(
    *,
    report: Report,
    measure: Measure,
    actor: Any,
    text: str,
    self_score: int | None = None,
    achieved: str = "",
    target_reached: bool | None = None,
    shortfall_reason: str = "",
    ip: str | None = None,
) -> ReportItem:
    """The officer's part of one measure: implementation text, self-assessment (a level of
    the scale, or none), achieved level, and why the target was missed when it was.
    Only while the report is a draft."""
    report = _fresh(report)
    _require_status(
        report,
        Report.Status.DRAFT,
        message=_(
            "The report was submitted; the implementation text can change only after the "
            "reviewer sends it back."
        ),
    )
    if self_score is not None:
        self_score = validate_score(self_score)
    if target_reached is False and not shortfall_reason.strip():
        raise ValidationError({"shortfall_reason": _("Say why the target level was not reached.")})
    item = _item_for_update(report, measure)
    fields = {
        "text": text.strip(),
        "self_score": self_score,
        "achieved": achieved.strip(),
        "target_reached": target_reached,
        "shortfall_reason": shortfall_reason.strip() if target_reached is False else "",
    }
    changes = {
        name: [getattr(item, name), value]
        for name, value in fields.items()
        if getattr(item, name) != value
    }
    for name, value in fields.items():
        setattr(item, name, value)
    if "text" in changes:
        item.text_edited = True
    item.full_clean()
    item.save()
    _audit(
        report,
        actor=actor,
        action="report.item_saved",
        obj=item,
        changes={k: v if k != "text" else "…" for k, v in changes.items()},
        ip=ip,
    )
    return item


# -- the reviewer's part ------------------------------------------------------------------


@transaction.atomic
def report_item_score(
    *,
    report: Report,
    measure: Measure,
    actor: Any,
    score: object,
    comment: str = "",
    ip: str | None = None,
) -> ReportItem:
    """The reviewer's score of one measure (a level of the scale) and comment. Only once the
    report is submitted and before it is approved, and only for a measure due in the period
    (the others are ХБ)."""
    report = _fresh(report)
    _require_status(
        report,
        Report.Status.SUBMITTED,
        Report.Status.REVIEWED,
        message=_("Score the report once the officer has submitted it."),
    )
    _require_four_eyes(report, actor, "score")
    scale = get_scale()
    value = validate_score(score, scale=scale)
    due_row(report=report, measure=measure, scale=scale)
    item = _item_for_update(report, measure)
    before = item.score
    item.score, item.score_comment = value, comment.strip()
    item.scored_by, item.scored_at = _user_or_none(actor), timezone.now()
    item.full_clean()
    item.save()
    _audit(
        report,
        actor=actor,
        action="report.item_scored",
        obj=item,
        changes={"score": [before, value], "comment": item.score_comment},
        ip=ip,
    )
    return item


@transaction.atomic
def report_comment_add(
    *, report: Report, measure: Measure, actor: Any, text: str, ip: str | None = None
) -> ReportComment:
    """A comment on one measure, between reviewer and officer. Not on a locked report."""
    report = _fresh(report)
    _require_status(
        report,
        Report.Status.DRAFT,
        Report.Status.SUBMITTED,
        Report.Status.REVIEWED,
        message="",
    )
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")})
    item = _item_for_update(report, measure)
    comment = ReportComment(
        item=item, author=_user_or_none(actor), author_label=_actor_label(actor), text=text.strip()
    )
    comment.full_clean()
    comment.save()
    _audit(
        report,
        actor=actor,
        action="report.commented",
        obj=item,
        changes={"comment": comment.text[:500]},
        ip=ip,
    )
    return comment


# -- the workflow -------------------------------------------------------------------------


def _event(report: Report, action: str, actor: Any, *, source: str, reason: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        reason=reason,
        from_status=source,
    )


def _unscored_codes(report: Report) -> list[str]:
    return [row.measure.code for row in report_page(report=report, with_evidence=False).unscored]


def _require_scored(report: Report, verb: str) -> None:
    if codes := _unscored_codes(report):
        raise ValidationError(
            _(
                "The report cannot be %(verb)s: %(count)s due measures have no score "
                "(%(codes)s). Score them, or reopen the report."
            )
            % {"verb": verb, "count": len(codes), "codes": ", ".join(codes)},
            code="unscored",
        )


def _move(report: Report, *, to: str, by: str, event: str, actor: Any, ip: str | None) -> Report:
    """Set the report's status to `to`, stamp `<by>_by`/`<by>_at`, and record the step in
    the report's history and the audit log."""
    source = report.status
    report.status = to
    setattr(report, f"{by}_by", _user_or_none(actor))
    setattr(report, f"{by}_at", timezone.now())
    report.save(update_fields=["status", f"{by}_by", f"{by}_at", "updated_at"])
    _event(report, event, actor, source=source)
    _audit(report, actor=actor, action=f"report.{to}", changes={"status": [source, str(to)]}, ip=ip)
    return report


@transaction.atomic
def report_submit(
    *, report: Report, actor: Any, ip: str | None = None, today: dt.date | None = None
) -> Report:
    """draft -> submitted. Texts nobody edited are drafted once more from the records, and
    each measure's due flag is fixed, so what the reviewer scores no longer moves."""
    report = _fresh(report)
    _require_status(report, Report.Status.DRAFT, message=_("Only a draft report can be submitted."))
    measures, texts = _drafts(report, today)
    # `report` (with its plan) set on each item: the history finds the organization there.
    items = {i.measure_id: i for i in ReportItem.objects.filter(report=report)}
    for item in items.values():
        item.report = report
    end = report_period(report=report).end
    new, changed = [], []
    for m in measures:
        item = items.get(m.pk) or ReportItem(report=report, measure=m)
        if not item.text_edited:
            item.text = texts[m.pk]
        item.due = measure_is_due(
            recurrence=m.recurrence,
            due_date=m.due_date,
            year=report.plan.year,
            period_end=end,
            dates=m.scheduled_dates,
        )
        item.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
        (changed if item.pk else new).append(item)
    history_bulk_create(new, model=ReportItem, actor=actor, ip=ip)
    history_bulk_update(
        changed, ["text", "due", "updated_at"], model=ReportItem, actor=actor, ip=ip
    )
    report = _move(
        report,
        to=Report.Status.SUBMITTED,
        by="submitted",
        event=ReportEvent.Action.SUBMITTED,
        actor=actor,
        ip=ip,
    )
    # A correction the parent body asked for goes back to it.
    parent_evaluation_resubmitted(report=report, actor=actor, ip=ip)
    report_step_notify(report=report, step="submitted", actor=actor)
    return report


@transaction.atomic
def report_mark_reviewed(*, report: Report, actor: Any, ip: str | None = None) -> Report:
    """submitted -> reviewed, once every due measure has a score."""
    report = _fresh(report)
    _require_status(
        report,
        Report.Status.SUBMITTED,
        message=_("Only a submitted report can be marked reviewed."),
    )
    _require_four_eyes(report, actor, "review")
    _require_scored(report, _("marked reviewed"))
    report = _move(
        report,
        to=Report.Status.REVIEWED,
        by="reviewed",
        event=ReportEvent.Action.REVIEWED,
        actor=actor,
        ip=ip,
    )
    report_step_notify(report=report, step="reviewed", actor=actor)
    return report


@transaction.atomic
def report_approve(*, report: Report, actor: Any, ip: str | None = None) -> Report:
    """reviewed -> approved: the report is locked and sealed (`sealing.report_seal`: its
    JSON export and the digests of its evidence, which `verify_seal` and the report page
    compare later; approving again after a reopening writes a new seal). Refused while any
    due measure lacks a score (a measure added to the plan after review, say)."""
    report = _fresh(report)
    if report.status == Report.Status.APPROVED:
        raise ValidationError(_("The report is already approved."), code="locked")
    _require_scored(report, pgettext("the report cannot be …", "approved"))
    _require_status(
        report,
        Report.Status.REVIEWED,
        message=_("The reviewer marks the report reviewed before it is approved."),
    )
    _require_four_eyes(report, actor, "approve")
    report = _move(
        report,
        to=Report.Status.APPROVED,
        by="approved",
        event=ReportEvent.Action.APPROVED,
        actor=actor,
        ip=ip,
    )
    report_seal(report=report, actor=actor, ip=ip)
    _lock_records(report)
    report_step_notify(report=report, step="approved", actor=actor)
    return report


def _lock_records(report: Report) -> None:
    """Lock the evidence and register rows the approved `report` covers (`RecordLock`)."""
    period = report_period(report=report)
    record_lock_set(
        kind="report",
        obj=report,
        organization_id=report.plan.organization_id,
        plan_id=report.plan_id,
        start=period.start,
        end=period.end,
        registers=registers_counted_organization_wide(plan=report.plan),
    )


@transaction.atomic
def report_reopen(*, report: Report, actor: Any, reason: str, ip: str | None = None) -> Report:
    """Back to draft, from submitted, reviewed or approved, with the reason recorded. Scores
    and texts stay; due flags follow the plan's schedule again until the next submission."""
    report = _fresh(report)
    if report.status == Report.Status.DRAFT:
        raise ValidationError(_("The report is already a draft."), code="wrong_status")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is reopened.")}, code="reason")
    source = report.status
    report_step_notify(report=report, step="returned", actor=actor, reason=reason.strip())
    report.status = Report.Status.DRAFT
    report.submitted_by = report.reviewed_by = report.approved_by = None
    report.submitted_at = report.reviewed_at = report.approved_at = None
    report.save()
    items = list(ReportItem.objects.filter(report=report).exclude(due=None))
    for item in items:
        item.report, item.due, item.updated_at = report, None, timezone.now()
    history_bulk_update(items, ["due", "updated_at"], model=ReportItem, actor=actor, ip=ip)
    _event(report, ReportEvent.Action.REOPENED, actor, source=source, reason=reason.strip())
    unlocked = record_lock_release(kind="report", object_id=report.pk)
    _audit(
        report,
        actor=actor,
        action="report.reopened",
        changes={"status": [source, "draft"], "reason": reason.strip(), "unlocked": bool(unlocked)},
        ip=ip,
    )
    return report


@transaction.atomic
def report_policy_set(
    *, organization: Organization, four_eyes: bool, reason: str, actor: Any, ip: str | None = None
) -> WorkflowPolicy:
    """Turn the four-eyes rule on or off for `organization`'s reports, with the reason
    (required to turn it off). Audited; the views let only the leader call it."""
    reason = reason.strip()
    if not four_eyes and not reason:
        raise ValidationError(
            {"reason": _("Say why one person may submit, review and approve reports here.")}
        )
    policy, _created = WorkflowPolicy.objects.select_for_update().get_or_create(
        organization=organization
    )
    before = policy.four_eyes
    policy.four_eyes, policy.reason = four_eyes, reason
    policy.changed_by = _user_or_none(actor)
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        action="report.policy_changed",
        obj=policy,
        organization_id=organization.pk,
        changes={"four_eyes": [before, four_eyes], "reason": reason},
        ip=ip,
    )
    return policy


TRANSITIONS: dict[str, Callable[..., Report]] = {
    "submit": report_submit,
    "review": report_mark_reviewed,
    "approve": report_approve,
}


# -- the evidence bundle ------------------------------------------------------------------


# A bundle still waiting or running after this long was interrupted (its process ended).
BUNDLE_STALE_AFTER = dt.timedelta(hours=1)


@transaction.atomic
def bundle_request(*, report: Report, actor: Any, ip: str | None = None) -> ReportBundle:
    """A new bundle waiting to be built, counting the files it will hold. Not while another
    is being built; one left waiting or running for `BUNDLE_STALE_AFTER` counts as failed."""
    unfinished = report.bundles.filter(
        status__in=[ReportBundle.Status.PENDING, ReportBundle.Status.RUNNING]
    )
    unfinished.filter(created_at__lt=timezone.now() - BUNDLE_STALE_AFTER).update(
        status=ReportBundle.Status.FAILED, error="interrupted", finished_at=timezone.now()
    )
    if unfinished.exists():
        raise ValidationError(_("A bundle of this report is already being built."))
    page = report_page(report=report)
    bundle = ReportBundle.objects.create(
        report=report,
        requested_by=_user_or_none(actor),
        total=sum(len(row.evidence) for row in page.rows) + 1,  # the files and the PDF
    )
    _audit(report, actor=actor, action="report.bundle_requested", obj=bundle, ip=ip)
    return bundle


def bundle_build(
    *, bundle: ReportBundle, progress: Callable[[int, int], None] | None = None
) -> ReportBundle:
    """Build `bundle`: the report PDF, every evidence file of the period in a folder per
    measure, a manifest with each file's SHA-256. Written to a temporary file (never held in
    memory), then stored. Progress is saved on the row every few files for the page to show.
    A failure is recorded on the row and raised again."""
    from shudarga.reports.documents import bundle as bundle_format
    from shudarga.reports.documents import pdf
    from shudarga.reports.documents.model import EVIDENCE_NEWEST

    report = Report.objects.select_related("plan__organization").get(pk=bundle.report_id)
    ReportBundle.objects.filter(pk=bundle.pk).update(status=ReportBundle.Status.RUNNING)
    last_saved = [0.0]

    def step(done: int, total: int) -> None:
        now = timezone.now().timestamp()
        if done == total or now - last_saved[0] > 0.5:
            ReportBundle.objects.filter(pk=bundle.pk).update(done=done, total=total)
            last_saved[0] = now
        if progress is not None:
            progress(done, total)

    try:
        page = report_page(report=report)
        document = report_to_document(report=report, page=page)
        evidence = [e for row in page.rows for e in row.evidence]
        with tempfile.TemporaryFile(suffix=".zip") as out:
            bundle_format.write(
                out,
                document=document,
                evidence=evidence,
                pdf_bytes=pdf.write(
                    report_to_document(report=report, page=page, evidence=EVIDENCE_NEWEST)
                ),
                progress=step,
            )
            size = out.tell()
            out.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: out.read(1024 * 1024), b""):
                digest.update(chunk)
            out.seek(0)
            plan = report.plan
            name = f"{plan.organization.code}-{plan.year}-{report.period}-bundle-{bundle.pk}.zip"
            old = ReportBundle.objects.filter(report=report).exclude(pk=bundle.pk).exclude(file="")
            for previous in old:
                previous.file.delete(save=False)  # one bundle per report is kept
                ReportBundle.objects.filter(pk=previous.pk).update(file="")
            bundle.refresh_from_db()
            bundle.file.save(name, File(out, name=name), save=False)
        bundle.size, bundle.sha256 = size, digest.hexdigest()
        bundle.status, bundle.finished_at = ReportBundle.Status.DONE, timezone.now()
        bundle.done = bundle.total
        bundle.save()
    except Exception as exc:
        logger.exception("Evidence bundle %s failed", bundle.pk)
        ReportBundle.objects.filter(pk=bundle.pk).update(
            status=ReportBundle.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    return bundle
