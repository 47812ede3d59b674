"""Plan -> goals -> (activities) -> measures -> criteria, and the plan's signature blocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import TrackedHistory
from shudarga.core.models import TimeStampedModel
from shudarga.organizations.models import Organization, Unit
from shudarga.plans import schedule


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
    basis = models.TextField(_("basis"), blank=True)  # the annex line of the approving order
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("revision of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
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
    heading = models.TextField(_("direction heading"), blank=True)
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
        CONTINUOUS = schedule.CONTINUOUS, _("Throughout the year (every report period)")
        AS_NEEDED = schedule.AS_NEEDED, _("As it arises (every report period)")
        ONCE = schedule.ONCE, _("Once, by the due date")
        MONTHLY = schedule.MONTHLY, _("Every month")
        QUARTERLY = schedule.QUARTERLY, _("Every quarter")
        PRESENTATIONS = schedule.PRESENTATIONS, _("Q1, half-year and year end")
        HALF_YEARLY = schedule.HALF_YEARLY, _("Half-year and year end")
        YEAR_END = schedule.YEAR_END, _("By year end")
        DATES = schedule.DATES, _("On the dates listed")

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
    expected_result = models.TextField(_("expected result"), blank=True)
    # The document's columns beyond the plan's own (budget, partners, notes): header -> text.
    other_columns = models.JSONField(_("other columns"), default=dict, blank=True)
    # The units responsible, as the organization names them; `responsible_unit` is their
    # names as one line, kept by the services for the pages and documents that print it.
    units = models.ManyToManyField(
        Unit, verbose_name=_("responsible units"), blank=True, related_name="measures"
    )
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
        _("recurrence"), max_length=20, choices=Recurrence.choices, default=Recurrence.CONTINUOUS
    )
    # With recurrence "dates": the ISO dates the document lists ("I, III улиралд").
    scheduled_dates = models.JSONField(_("scheduled dates"), default=list, blank=True)

    history = TrackedHistory(organization="plan.organization_id")

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="measure_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    def due_dates(self) -> list:
        """The dates in the plan's year this measure must be done by."""
        return schedule.due_dates(
            recurrence=self.recurrence,
            year=self.plan.year,
            due_date=self.due_date,
            dates=self.scheduled_dates,
        )


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


class PlanImportDraft(models.Model):
    """A plan document uploaded for import, kept while its reader checks and corrects the
    reading, then marked with the plan it became. Drafts older than a day are removed."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField(null=True, blank=True)  # if the document lacks it
    choices = models.JSONField(default=dict, blank=True)  # the reader's corrections so far
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["organization", "created_at"])]

    def __str__(self) -> str:
        return self.filename


class PlanImportLayout(TimeStampedModel):
    """How an organization's plan documents are read: the corrections its coordinator made
    (header rows, column roles by header text, row kinds), applied to its next document."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="plan_import_layout"
    )
    choices = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("plan import layout")

    def __str__(self) -> str:
        return str(self.organization)


class PlanAmendment(models.Model):
    """A measure added to an approved plan during the year (the seed's 5.3: initiatives of
    the leadership's own), recorded with its reason and the decision it rests on. The plan
    is sealed again with the measure, and the amendment names that seal. Written only by
    `amendments.plan_amend_add_measure`."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="amendments")
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("why it is added"), max_length=2000)
    basis = models.CharField(_("decided by"), max_length=500, blank=True)
    decided_on = models.DateField(_("decided on"))
    seal_id = models.BigIntegerField(_("seal"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan amendment")
        verbose_name_plural = _("plan amendments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.measure_id}"
