"""E-mail copies of notifications, sent by the task worker (`shudarga db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from shudarga.notifications.models import Notification


def _body(notification: Notification) -> str:
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    lines = [notification.text, ""]
    if link:
        lines += [_("Open it in Shudarga: %(link)s") % {"link": link}, ""]
    lines.append(
        _("You get this e-mail because you hold a role in Shudarga; it is also on your home page.")
    )
    return "\n".join(lines)


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail each notification of `notification_ids` not e-mailed yet to its person, in
    Mongolian: one message per notification. Safe to repeat: a notification is marked
    e-mailed in the same transaction that sends it, under a row lock. Returns how many
    went out."""
    sent = 0
    connection = get_connection()
    for pk in notification_ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update()
                .select_related("user")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if row is None or not row.user.email or not row.user.is_active:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                message = EmailMessage(
                    subject=_("Shudarga: %(text)s") % {"text": row.text[:150]},
                    body=_body(row),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[row.user.email],
                    connection=connection,
                )
                message.send()
            row.emailed_at = timezone.now()
            row.save(update_fields=["emailed_at"])
            sent += 1
    return sent
