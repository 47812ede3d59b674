"""Registers: the structured records of what was done, which the plan's criteria count.

Every row belongs to one organization and serves one or more measures of that
organization's plans. `search_text` and `sort_key` are kept by the services (see
`shudarga.core.text`) so search is case-insensitive for Cyrillic and order is Mongolian on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import TrackedHistory
from shudarga.core.models import TimeStampedModel
from shudarga.organizations.models import Organization
from shudarga.plans.models import Measure
from shudarga.registers.fields import ChoiceListField


class RegisterRow(TimeStampedModel):
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    sort_key = models.CharField(editable=False, max_length=400, blank=True, default="")

    # Every register gets its own historical table (`HistoricalEvent`, …).
    history = TrackedHistory(organization="organization_id", inherit=True)

    class Meta:
        abstract = True


class Publication(RegisterRow):
    """Outreach materials (measures 1.1, 1.4): one row is one material (a poster, a spot,
    an article), with every channel it was published on. A poster put on Facebook and on
    the website is one material, counted once."""

    class Channel(models.TextChoices):
        WEBSITE = "website", _("Official website")
        FACEBOOK = "facebook", _("Facebook")
        TWITTER = "twitter", _("Twitter / X")
        INSTAGRAM = "instagram", _("Instagram")
        YOUTUBE = "youtube", _("YouTube")
        TV = "tv", _("Television")
        RADIO = "radio", _("Radio")
        NEWSPAPER = "newspaper", _("Newspaper")
        LED = "led", _("LED screen")
        BILLBOARD = "billboard", _("Billboard")
        OTHER = "other", _("Other")

    class Material(models.TextChoices):
        SPOT = "spot", _("Video spot")
        INFOGRAPHIC = "infographic", _("Infographic")
        ARTICLE = "article", _("Article")
        POSTER = "poster", _("Poster")
        EBOOK = "ebook", _("E-book")
        HANDBOOK = "handbook", _("Handbook")
        BROCHURE = "brochure", _("Brochure")
        OTHER = "other", _("Other")

    class Producer(models.TextChoices):
        OWN = "own", _("Our organization")
        AUTHORITY = "authority", _("Anti-corruption authority (АТГ)")

    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=500)
    channels = ChoiceListField(
        _("channels"),
        options=Channel,
        singular=_("channel"),
        help_text=_("Every channel the material was published on; none while it is not out yet."),
    )
    material = models.CharField(_("material type"), max_length=20, choices=Material.choices)
    produced_by = models.CharField(_("produced by"), max_length=20, choices=Producer.choices)
    copies = models.PositiveIntegerField(_("copies distributed"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    shows_hotline = models.BooleanField(_("shows the 110 hotline"), default=False)

    class Meta:
        verbose_name = _("outreach publication")
        verbose_name_plural = _("outreach publications")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"])]

    def __str__(self) -> str:
        return self.title


class Event(RegisterRow):
    """Events and meetings (measures 1.2, 4.2, 5.1)."""

    class Kind(models.TextChoices):
        AWARENESS_DAY = "awareness_day", _("Awareness day")
        OUTREACH = "outreach", _("Outreach event")
        DISCUSSION = "discussion", _("Sector discussion")
        MEETING = "meeting", _("Meeting")
        BRIEFING = "briefing", _("Staff briefing")

    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    follow_up = models.TextField(_("follow-up actions taken"), blank=True)

    class Meta:
        verbose_name = _("event or meeting")
        verbose_name_plural = _("events and meetings")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"])]

    def __str__(self) -> str:
        return self.title


class StaffMember(RegisterRow):
    """Staff, with appointment dates, so "every new appointee trained" can be computed (2.1)."""

    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=255, blank=True)
    appointed_on = models.DateField(_("appointed on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["organization", "appointed_on"])]

    def __str__(self) -> str:
        return self.name


class Training(RegisterRow):
    """Trainings and who attended (2.1, 5.7)."""

    class Kind(models.TextChoices):
        ANTI_CORRUPTION = "anti_corruption", _("Anti-corruption and ethics")
        PROCUREMENT = "procurement", _("Procurement")
        OTHER = "other", _("Other")

    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=500)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    organizer = models.CharField(_("organizer"), max_length=255, blank=True)
    attendees = models.ManyToManyField(
        StaffMember, verbose_name=_("attendees"), blank=True, related_name="trainings"
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"])]

    def __str__(self) -> str:
        return self.topic


class Contract(RegisterRow):
    """Contracts with private parties and their anti-corruption clauses (3.1)."""

    number = models.CharField(_("number"), max_length=100)
    counterparty = models.CharField(_("counterparty"), max_length=500)
    date = models.DateField(_("signed on"))
    value = models.DecimalField(
        _("value (MNT)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    clause_anti_corruption = models.BooleanField(_("anti-corruption clause"), default=False)
    clause_duty_to_report = models.BooleanField(_("duty to report corruption"), default=False)
    clause_damages = models.BooleanField(_("damages recovered on termination"), default=False)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"])]

    def __str__(self) -> str:
        return f"{self.number} {self.counterparty}"

    @property
    def has_all_clauses(self) -> bool:
        return self.clause_anti_corruption and self.clause_duty_to_report and self.clause_damages


class BoardUpdate(RegisterRow):
    """Updates of the "Шударга ёс, хөгжил дэвшилд 110" information board (1.3)."""

    date = models.DateField(_("date"))
    content = models.TextField(_("what was posted"))

    class Meta:
        verbose_name = _("information board update")
        verbose_name_plural = _("information board updates")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"])]

    def __str__(self) -> str:
        return f"{self.date}: {self.content[:60]}"


class Risk(RegisterRow):
    """The corruption-risk register (4.1)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MITIGATING = "mitigating", _("Being mitigated")
        CLOSED = "closed", _("Closed")

    date = models.DateField(_("identified on"))
    process = models.CharField(_("process"), max_length=500)
    risk = models.TextField(_("risk"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    owner = models.CharField(_("owner"), max_length=255, blank=True)
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("corruption risk")
        verbose_name_plural = _("corruption risks")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5
                ),
                name="risk_scales_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.process

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class DocumentReview(RegisterRow):
    """Reviews of internal rules (5.4) and of management orders (5.6)."""

    class Kind(models.TextChoices):
        INTERNAL_RULE = "internal_rule", _("Internal rule")
        MANAGEMENT_ORDER = "management_order", _("Management order")

    class Outcome(models.TextChoices):
        VALID = "valid", _("Still valid")
        AMENDED = "amended", _("Amended")
        REPEALED = "repealed", _("Repealed")

    date = models.DateField(_("reviewed on"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    document = models.CharField(_("document"), max_length=500)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reviewer = models.CharField(_("reviewer"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("document review")
        verbose_name_plural = _("document reviews")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.document


class Audit(RegisterRow):
    """State and internal audits of financial reports (5.8)."""

    class Kind(models.TextChoices):
        STATE = "state", _("State audit")
        INTERNAL = "internal", _("Internal audit")

    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    period_covered = models.CharField(_("period covered"), max_length=255)
    findings = models.TextField(_("findings"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_covered}"


class OversightItem(RegisterRow):
    """Public-oversight items (3.2) and the authority's recommendations (5.2)."""

    class Kind(models.TextChoices):
        PUBLIC_OVERSIGHT = "public_oversight", _("Public oversight")
        RECOMMENDATION = "recommendation", _("Recommendation of the anti-corruption authority")

    date = models.DateField(_("received on"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("from"), max_length=255, blank=True)
    content = models.TextField(_("what was received"))
    action_taken = models.TextField(_("what was done"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("oversight item or recommendation")
        verbose_name_plural = _("oversight items and recommendations")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.content[:80]
