"""Evidence (нотломж): files and links that prove a measure was carried out.

A file is never replaced in place: a new version is a new row that points at the one it
replaces (`previous`), shares its `lineage` and takes the next `version` number; the old
row and its stored file stay. Only one row of a lineage is current. Deleting evidence only
marks its current row as no longer current (`deleted_at`); nothing is removed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import TrackedHistory
from shudarga.evidence import filetypes
from shudarga.organizations.models import Organization
from shudarga.plans.models import Criterion, Measure

sha256_validator = RegexValidator(r"^[0-9a-f]{64}$", _("A SHA-256 digest is 64 hex digits."))


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """`evidence/<organization id>/<year>/<random>.<ext>`: the user's file name is never
    part of the stored name (it is kept, sanitised, in `original_name`); the extension
    comes from the sniffed type."""
    year = timezone.localdate().year
    ext = filetypes.storage_extension(instance.content_type)
    return f"evidence/{instance.organization_id}/{year}/{uuid.uuid4().hex}{ext}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    # PROTECT: evidence is proof, it must not vanish with a plan or measure.
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="evidence"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    # The register row this proves (an event, a training, a contract…), if any.
    register_type = models.ForeignKey(
        ContentType,
        verbose_name=_("register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    register_id = models.PositiveBigIntegerField(_("register row"), null=True, blank=True)
    register_row = GenericForeignKey("register_type", "register_id")
    relates_to = models.DateField(
        _("date of the work"),
        default=timezone.localdate,
        help_text=_("When the work it proves was done; reports pick evidence by this date."),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255, blank=True)
    link = models.URLField(
        _("link"),
        max_length=1000,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, validators=[sha256_validator]
    )
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    is_current = models.BooleanField(_("current"), default=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)
    # Folded title and file name (see shudarga.core.text.search_key), kept by the services.
    search_text = models.TextField(editable=False, blank=True, default="")

    history = TrackedHistory(organization="organization_id")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-relates_to", "-id"]
        indexes = [
            models.Index(fields=["organization", "measure"]),
            models.Index(fields=["measure", "relates_to"]),
            models.Index(fields=["lineage", "version"]),
            # The newest current evidence of an organization first: the evidence list and
            # the API page through it without sorting thousands of rows.
            models.Index(
                "organization",
                F("relates_to").desc(),
                F("id").desc(),
                name="evidence_org_recent",
                condition=models.Q(is_current=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["file", "link"]), name="evidence_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="link")
                | models.Q(
                    Exact(Length("sha256"), 64),
                    ~models.Q(file=""),
                    size__isnull=False,
                ),
                name="evidence_file_has_digest",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="file") | ~models.Q(link=""),
                name="evidence_link_has_url",
            ),
            models.UniqueConstraint(fields=["lineage", "version"], name="evidence_version_unique"),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=models.Q(is_current=True),
                name="evidence_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evidence:detail", args=[self.organization.code, self.pk])

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE

    @property
    def type_label(self) -> str:
        """`PDF`, `JPEG`, … for files; `Link` for links."""
        if not self.is_file:
            return str(self.Kind.LINK.label)
        return filetypes.SHORT_NAMES.get(self.content_type, self.content_type)

    @property
    def shows_inline(self) -> bool:
        """Whether the page previews it (images and PDFs only)."""
        file_type = filetypes.FILE_TYPES.get(self.content_type)
        return self.is_file and file_type is not None and file_type.inline

    @property
    def is_image(self) -> bool:
        return self.is_file and self.content_type in filetypes.IMAGE_TYPES

    @property
    def short_digest(self) -> str:
        return self.sha256[:12]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
