"""Citizens' petitions and complaints against their legal deadlines, and the satisfaction
survey (measure 4.3).

Personal data of a petitioner lives in the `petitioner_*` fields only; pages show them to
those who handle petitions (see `selectors.may_handle_petitions`), and no other field, audit
entry or search key of the register holds them except `private_search_text`.
All computed fields (number, deadline, search keys, resolution date) are kept by the
services.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import TrackedHistory
from shudarga.core.models import TimeStampedModel
from shudarga.organizations.models import Organization
from shudarga.petitions.deadlines import Kind as _Kind

# Field sizes, shared by the models and the public form so both refuse the same input.
NAME_MAX = 200
REGISTER_NO_MAX = 20
ADDRESS_MAX = 300
CONTACT_MAX = 200
SUBJECT_MAX = 300
CATEGORY_MAX = 100
BODY_MAX = 10_000
ANSWER_MAX = 10_000


class PetitionCounter(models.Model):
    """The last registration number given in one organization and year.

    The register service locks this row (`select_for_update`) while it numbers a petition,
    in the same transaction as the insert: numbers are gap-free and never repeat.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="petition_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last_number}"


class Petition(TimeStampedModel):
    class Channel(models.TextChoices):
        WRITTEN = "written", _("In writing (letter)")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        EMAIL = "email", _("By e-mail")
        WEBSITE = "website", _("Website")
        GOV_1111 = "1111", _("11-11 government centre")
        OTHER = "other", _("Other")

    class Kind(models.TextChoices):
        PETITION = _Kind.PETITION, _("Petition (өргөдөл)")
        COMPLAINT = _Kind.COMPLAINT, _("Complaint (гомдол)")
        PROPOSAL = _Kind.PROPOSAL, _("Proposal (санал)")
        REQUEST = _Kind.REQUEST, _("Request (хүсэлт)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        EXTENDED = "extended", _("Deadline extended")
        TRANSFERRED = "transferred", _("Transferred to another body")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.EXTENDED)

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("registration number"), editable=False)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)

    # Personal data: shown only to those who handle petitions.
    petitioner_name = models.CharField(_("petitioner's name"), max_length=NAME_MAX)
    petitioner_register_no = models.CharField(
        _("petitioner's register number"), max_length=REGISTER_NO_MAX, blank=True
    )
    petitioner_address = models.CharField(
        _("petitioner's address"), max_length=ADDRESS_MAX, blank=True
    )
    petitioner_contact = models.CharField(_("phone or e-mail"), max_length=CONTACT_MAX, blank=True)

    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    category = models.CharField(_("category"), max_length=CATEGORY_MAX, blank=True)
    body = models.TextField(_("text of the petition"), max_length=BODY_MAX, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_petitions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )

    # The deadline, from the rule in force on `received_on` (see deadlines.py).
    rule_key = models.CharField(_("deadline rule"), max_length=20, editable=False)
    base_days = models.PositiveSmallIntegerField(_("days to answer"), editable=False)
    original_due_on = models.DateField(_("original deadline"), editable=False)
    due_on = models.DateField(_("deadline"), editable=False)

    extension_days = models.PositiveSmallIntegerField(
        _("extended by (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_decided_by = models.CharField(_("extension decided by"), max_length=200, blank=True)
    extension_petitioner_informed = models.BooleanField(
        _("petitioner informed of the extension"), default=False
    )
    extended_on = models.DateField(_("extended on"), null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extension recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    answer_text = models.TextField(_("answer"), max_length=ANSWER_MAX, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    transferred_to = models.CharField(_("transferred to"), max_length=300, blank=True)
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_note = models.TextField(_("note on closing"), blank=True)
    # The day it stopped running against its deadline: answered, transferred, or closed
    # without either. Overdue = no resolution and the deadline passed, or resolved late.
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)

    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # SHA-256 of the citizen's tracking code; the code itself is never stored.
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    search_text = models.TextField(editable=False, blank=True, default="")
    private_search_text = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The tracking code's hash stays out of history: it is the citizen's key, not data.
    history = TrackedHistory(organization="organization_id", excluded_fields=["tracking_hash"])

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-year", "-number"]
        indexes = [
            models.Index(fields=["organization", "received_on"]),
            models.Index(fields=["organization", "resolved_on", "due_on"]),
            models.Index(fields=["resolved_on", "due_on", "reminder_sent_at"]),
            # Open petitions by deadline: the parent view's overdue counts.
            models.Index(
                fields=["organization", "due_on"],
                condition=models.Q(resolved_on__isnull=True),
                name="petition_open_by_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"], name="petition_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "received",
                        "in_progress",
                        "extended",
                        "transferred",
                        "answered",
                        "closed",
                    ]
                ),
                name="petition_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=_Kind.ALL), name="petition_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("original_due_on"))
                & models.Q(original_due_on__gte=models.F("received_on")),
                name="petition_deadline_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.registration_no}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.organization.code, self.pk])

    @property
    def registration_no(self) -> str:
        """`2024-0007`: year of receipt and number within it."""
        return f"{self.year}-{self.number:04d}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class PetitionStatsSnapshot(models.Model):
    """Petition statistics of a quarter (or, with quarter 0, a year) as submitted: the
    figures as of the period's cut-off, kept as they were. A correction is a new snapshot
    naming the one it corrects and why; the newest is in force. Written only by
    `services.petition_stats_submit`, never changed."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))  # 1-4, 0 for the whole year
    data = models.JSONField(_("figures"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.TextField(_("reason for the correction"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("submitted petition statistics")
        verbose_name_plural = _("submitted petition statistics")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organization", "year", "quarter"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=0, quarter__lte=4), name="petition_stats_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(reason=""),
                name="petition_stats_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} Q{self.quarter}"


def _attachment_path(instance: PetitionAttachment, filename: str) -> str:
    # A random name: the citizen's file name may carry personal data or path tricks.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"petitions/{instance.petition.organization_id}/{uuid.uuid4().hex}{suffix}"


class PetitionAttachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# --- Satisfaction survey (measure 4.3) ---------------------------------------------------


class Survey(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The public link's key: unguessable, so drafts and other organizations' surveys
    # cannot be found by counting.
    public_key = models.CharField(max_length=32, unique=True, editable=False)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The survey's summary (4.3 "Бодитой үр дүнг тооцсон байх"): what the answers showed and
    # what the organization did about it. Answers alone are not a result.
    result = models.TextField(_("what the survey found"), max_length=5000, blank=True)
    actions_taken = models.TextField(_("what was done about it"), max_length=5000, blank=True)
    summarized_on = models.DateField(_("summed up on"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open", "closed"]),
                name="survey_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("petitions:survey_detail", args=[self.organization.code, self.pk])


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("Scale 1–5")
        CHOICE = "choice", _("One choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("answer required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["likert", "choice", "text"]),
                name="question_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One anonymous submission: no IP, no cookie value, no user is stored with it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    scale = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique"),
            models.CheckConstraint(
                condition=models.Q(scale__isnull=True) | models.Q(scale__gte=1, scale__lte=5),
                name="answer_scale_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.scale or self.choice or self.text[:40]}"
