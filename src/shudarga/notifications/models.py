"""In-app notifications: one message to one person about one event, unread until read.

What a notification says is not stored as text: `event` names what happened and `params`
holds the values (each label in every language of the site), and `events.EVENTS` words it
in the reader's language. So the English page never shows Mongolian and no page shows the
event's key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shudarga.notifications.events import message_for
from shudarga.organizations.models import Organization


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="shudarga_notifications",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    event = models.CharField(_("event"), max_length=40)
    params = models.JSONField(_("values"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What makes the event one event ("report.submitted:12:2026-07-08T…"): the same key is
    # never notified twice to the same person, whoever calls and however often.
    key = models.CharField(max_length=200, blank=True, default="")
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event}"

    @property
    def text(self) -> str:
        """The message in the active language."""
        return message_for(self.event, self.params)
