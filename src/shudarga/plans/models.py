"""Plan -> goals -> (activities) -> measures -> criteria, and the plan's signature blocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import TrackedHistory
from shudarga.core.models import TimeStampedModel
from shudarga.organizations.models import Organization


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    import_warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = TrackedHistory(organization="organization_id")

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-created_at"]
        indexes = [models.Index(fields=["organization", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1990, year__lte=2200), name="plan_year_sane"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "approved", "published"]),
                name="plan_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.organization.code, self.pk])


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("goal"))
    position = models.PositiveIntegerField(_("order"))

    history = TrackedHistory(organization="plan.organization_id")

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goal_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class Activity(models.Model):
    """A main activity (`1.1`) that groups measures (`1.1.1`) in three-level plans."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("activity"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    position = models.PositiveIntegerField(_("order"))

    history = TrackedHistory(organization="plan.organization_id")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="activity_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class Measure(TimeStampedModel):
    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once, by the due date")
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("Every quarter")
        PRESENTATIONS = "q1_h1_year", _("Q1, half-year and year end")
        HALF_YEARLY = "half_yearly", _("Half-year and year end")
        YEAR_END = "year_end", _("By year end")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="measures"
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("measure"))
    position = models.PositiveIntegerField(_("order"))
    # As written in the document's optional columns; structured assignment comes later.
    due_text = models.CharField(_("deadline"), max_length=255, blank=True)
    responsible_text = models.CharField(_("responsible unit"), max_length=500, blank=True)
    baseline = models.TextField(_("baseline level"), blank=True)
    target = models.TextField(_("target level"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=255, blank=True)
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_measures",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=20, choices=Recurrence.choices, default=Recurrence.YEAR_END
    )

    history = TrackedHistory(organization="plan.organization_id")

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="measure_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class Criterion(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="criteria")
    text = models.TextField(_("criterion"))
    position = models.PositiveIntegerField(_("order"))

    history = TrackedHistory(organization="measure.plan.organization_id")

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text[:80]


class Signature(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signatures")
    label = models.CharField(_("label"), max_length=100)
    title = models.CharField(_("job title"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    position = models.PositiveIntegerField(_("order"))

    history = TrackedHistory(organization="plan.organization_id")

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.label}: {self.name}"
