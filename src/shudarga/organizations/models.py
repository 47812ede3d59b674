"""Organizations, their subordinate units, and who has which role in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import TrackedHistory
from shudarga.core.models import TimeStampedModel
from shudarga.organizations.access import NO_ACCESS, Access
from shudarga.organizations.roles import Role

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
    _("Use 1-40 Latin letters, digits, '-' or '_', starting with a letter or digit."),
)


class Organization(TimeStampedModel):
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys, "/1/7/12/": descendants are one indexed
    # prefix query instead of a recursive walk. Kept by the services, never edited.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")

    # What the person the organization was looked up for may do there: set by
    # `selectors.get_organization_for_user`; nothing until then.
    access: Access = NO_ACCESS

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:list", args=[self.code])  # its plans are its home page


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = TrackedHistory(organization="organization_id")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class Unit(TimeStampedModel):
    """A unit or post of an organization that measures are assigned to ("Хүний нөөцийн
    алба", "ёс зүйн асуудал хариуцсан мэргэжилтэн"). `key` is the folded name: one unit
    per name, whatever its capitals and spacing."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=255)
    key = models.CharField(max_length=255, editable=False)

    history = TrackedHistory(organization="organization_id")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="unit_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class WorkflowPolicy(models.Model):
    """How an organization runs its approvals (plans and reports). Without a row the
    defaults hold.

    `four_eyes` (on by default): nobody approves alone what they made. The person who
    submitted a report may not score, review or approve it, whoever reviewed or scored it
    may not approve it, and whoever imported a plan may not approve it. An organization too
    small for that may turn it off; the change is audited with its reason and shown on
    every report page. It lives here, below plans and reports, so both apply the same rule
    (`selectors.four_eyes_on`).
    """

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="workflow_policy",
    )
    four_eyes = models.BooleanField(_("four-eyes rule"), default=True)
    reason = models.TextField(_("reason for the last change"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("report workflow policy")
        verbose_name_plural = _("report workflow policies")

    def __str__(self) -> str:
        return f"{self.organization} · four eyes {'on' if self.four_eyes else 'off'}"
