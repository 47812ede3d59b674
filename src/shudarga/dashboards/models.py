"""What the dashboards keep of their own: the record that a day's digest went out, and the
secret tokens of calendar feeds. Notifications live in `shudarga.notifications`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationSummary(models.Model):
    """An organization's row in its parent body's view, as of its newest change: the
    latest plan, the latest scored report and its percent (per goal too), the periods that
    have a report. `stamp` is the newest entry of the organization's audit chain when the
    row was computed (`core.memo.change_stamp`); a row whose stamp is not the chain's
    head any more is recomputed before it is read (`dashboards.summary`), so it is never
    served stale, and sorting and filtering 3,000 of them is one query.

    What depends on the day (overdue measures and petitions) is not stored as a count:
    `SummaryMeasureDue` keeps the dates, the query counts those before the day."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
    )
    # False for the placeholder a refresh inserts to lock the row before computing it.
    computed = models.BooleanField(_("computed"), default=False)
    stamp = models.BigIntegerField(_("change stamp"), null=True, blank=True)
    # References, not constraints: a deleted plan or report is an audited change, so the
    # row is recomputed before anyone reads the stale id.
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    plan_status = models.CharField(_("plan status"), max_length=20, blank=True)
    latest_report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("latest scored report"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    latest_status = models.CharField(_("latest report status"), max_length=20, blank=True)
    percent = models.DecimalField(
        _("score, %"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    goal_percents = models.JSONField(_("score per goal, %"), default=dict, blank=True)
    periods = models.CharField(_("periods with a report"), max_length=100, blank=True)
    goals = models.CharField(_("goals scored"), max_length=1000, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    class Meta:
        verbose_name = _("organization summary")
        verbose_name_plural = _("organization summaries")

    def __str__(self) -> str:
        return f"{self.organization_id} @ {self.stamp}"


class SummaryMeasureDue(models.Model):
    """`count` measures of the organization's latest plan with nothing recorded whose first
    due date is `due_on`: overdue on any day after it. Recomputed with the summary."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    count = models.PositiveIntegerField(_("measures"))

    class Meta:
        verbose_name = _("unrecorded measures due")
        verbose_name_plural = _("unrecorded measures due")
        constraints = [
            models.UniqueConstraint(fields=["organization", "due_on"], name="summary_due_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.count} due {self.due_on}"


class ReminderDigest(models.Model):
    """That `user` was sent the digest of `day`. The unique constraint, not memory, keeps
    reruns and several app servers from sending a second one the same day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    items = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class CalendarFeed(models.Model):
    """A secret iCalendar URL: a person's own deadlines (no `organization`), or everything
    of one organization the person sees. Revoking sets `revoked_at`; a new one gets a new
    token, so an old subscription stops working. The feed answers only while its person
    still sees the organization."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user_id} {self.token[:6]}…"
