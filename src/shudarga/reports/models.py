"""Implementation reports (хэрэгжилтийн тайлан): one per plan and reporting period.

A report holds one item per measure: the implementation text (drafted from the period's
registers and evidence, then edited by the officer), the officer's self-assessment, the
achieved level and, when the target was missed, why; the reviewer's score and comment.
Its workflow is draft -> submitted -> reviewed -> approved; an approved report is locked.

Measures are PROTECTed: a measure (or a plan) that a report speaks about cannot be deleted,
so a scored report never loses a row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import TrackedHistory
from shudarga.core.models import TimeStampedModel
from shudarga.organizations.models import Organization
from shudarga.plans.models import Measure, Plan
from shudarga.reports.periods import PERIOD_CHOICES, PERIOD_KEYS


def _user_fk(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Report(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.CharField(_("period"), max_length=10, choices=PERIOD_CHOICES)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = _user_fk(_("created by"))
    submitted_by = _user_fk(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = _user_fk(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    approved_by = _user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    history = TrackedHistory(organization="plan.organization_id")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["plan_id", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="report_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "reviewed", "approved"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(period__in=list(PERIOD_KEYS)), name="report_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} · {self.get_period_display()}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.plan.organization.code, self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class ReportItem(TimeStampedModel):
    """What one measure achieved in the report's period, and how it was scored."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="items"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="report_items"
    )
    text = models.TextField(_("implementation"), blank=True)
    # False while the text is the one drafted from the records; a person's edit makes it True
    # and redrafting then leaves it alone.
    text_edited = models.BooleanField(_("edited by a person"), default=False)
    self_score = models.PositiveSmallIntegerField(_("self-assessment"), null=True, blank=True)
    achieved = models.TextField(_("achieved level"), blank=True)
    target_reached = models.BooleanField(_("target reached"), null=True, blank=True)
    shortfall_reason = models.TextField(_("why the target was not reached"), blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    score_comment = models.TextField(_("reviewer's comment"), blank=True)
    scored_by = _user_fk(_("scored by"))
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)
    # The parent body's score of the measure (issue 18), on the same scale, beside the
    # organization's own; the `ParentEvaluation` of the report says where it stands.
    parent_score = models.PositiveSmallIntegerField(_("parent body's score"), null=True, blank=True)
    parent_comment = models.TextField(_("parent body's comment"), blank=True)
    parent_scored_by = _user_fk(_("scored for the parent body by"))
    parent_scored_at = models.DateTimeField(_("scored for the parent body"), null=True, blank=True)
    # Whether the measure was due in the period, fixed when the report is submitted (None
    # while it is a draft: then the plan's schedule decides, as it may still change).
    due = models.BooleanField(_("due in the period"), null=True, blank=True)

    history = TrackedHistory(organization="report.plan.organization_id")

    class Meta:
        verbose_name = _("report item")
        verbose_name_plural = _("report items")
        constraints = [
            models.UniqueConstraint(fields=["report", "measure"], name="report_item_unique"),
            # Scales are percentages; which values are allowed is the configured scale's call.
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="report_item_score_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(self_score__isnull=True) | models.Q(self_score__lte=100),
                name="report_item_self_score_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(parent_score__isnull=True) | models.Q(parent_score__lte=100),
                name="report_item_parent_score_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.measure.code}"


class ReportComment(models.Model):
    """A note between the reviewer and the officer about one measure of a report."""

    item = models.ForeignKey(
        ReportItem, verbose_name=_("report item"), on_delete=models.CASCADE, related_name="comments"
    )
    author = _user_fk(_("author"))
    author_label = models.CharField(_("author (as recorded)"), max_length=150, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_label}: {self.text[:60]}"


class ReportEvent(models.Model):
    """One step of a report's workflow: who moved it, when, and why (reopening needs a why)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Marked reviewed")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened")
        PARENT_RETURNED = "parent_returned", _("Returned by the parent body")
        PARENT_RESUBMITTED = "parent_resubmitted", _("Corrected for the parent body")
        PARENT_APPROVED = "parent_approved", _("Evaluation approved by the parent body")
        PARENT_REOPENED = "parent_reopened", _("Evaluation reopened by the parent body")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = _user_fk(_("who"))
    actor_label = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    from_status = models.CharField(_("from"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report} · {self.action} · {self.actor_label}"


class ParentEvaluation(TimeStampedModel):
    """The parent body's evaluation of a subordinate organization's report (issue 18).

    Its scores are on the report's items (`ReportItem.parent_score`); this row says who
    evaluates (the report organization's parent) and where the evaluation stands: open
    while the parent scores, returned while the organization corrects the report (its next
    submission opens the evaluation again), approved once the parent approves it, which
    seals it and locks the parent's scores. The parent may reopen an approved evaluation
    with a reason; it is then open again until approved (and sealed) anew.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Being evaluated")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    report = models.OneToOneField(
        Report,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="parent_evaluation",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        related_name="evaluations_given",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    returned_reason = models.TextField(_("why it was returned"), blank=True)
    returned_by = _user_fk(_("returned by"))
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    approved_by = _user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # The last reopening of an approved evaluation: the seal of that approval stays on
    # record (superseded by the next approval's), the descendant reads why it was reopened.
    reopened_reason = models.TextField(_("why it was reopened"), blank=True)
    reopened_by = _user_fk(_("reopened by"))
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)

    class Meta:
        verbose_name = _("parent body's evaluation")
        verbose_name_plural = _("parent body's evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "returned", "approved"]),
                name="parent_evaluation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.organization}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class RankingApproval(models.Model):
    """A parent body's ranking of its descendants for one year and period, as approved
    (issue 18): the rows as they stood, kept so the public portal shows what was approved
    even when scores move later. The newest approval of a year and period is the one
    published."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("parent body"),
        on_delete=models.CASCADE,
        related_name="ranking_approvals",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=10, choices=PERIOD_CHOICES)
    rows = models.JSONField(_("ranking"), default=list)
    approved_by = _user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        verbose_name = _("approved ranking")
        verbose_name_plural = _("approved rankings")
        ordering = ["-approved_at", "-id"]
        indexes = [models.Index(fields=["organization", "year", "period", "approved_at"])]

    def __str__(self) -> str:
        return f"{self.organization} · {self.year} · {self.period}"


def bundle_upload_to(instance: ReportBundle, filename: str) -> str:
    return f"report-bundles/{instance.report.plan.organization_id}/{filename}"


class ReportBundle(models.Model):
    """The evidence bundle of a report: a ZIP built once, kept in the default storage so
    any app server can hand it out, and rebuilt on request."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="bundles"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    done = models.PositiveIntegerField(_("files done"), default=0)
    total = models.PositiveIntegerField(_("files"), default=0)
    file = models.FileField(_("file"), upload_to=bundle_upload_to, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = _user_fk(_("requested by"))
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence bundle")
        verbose_name_plural = _("evidence bundles")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
