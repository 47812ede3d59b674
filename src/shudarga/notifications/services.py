"""Writes of notifications: telling people of an event, and their read marks.

`notify` is called by the service that makes the event (a report submitted, a petition
assigned, …) inside its transaction, so the notification exists exactly when the change
does. Notifications are not audited: the change they speak of is, and they are the
reader's own mail, like read marks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from shudarga.notifications.models import Notification


def _same_user(a: Any, b: Any) -> bool:
    return a is not None and b is not None and getattr(a, "pk", a) == getattr(b, "pk", b)


def notify(
    *,
    users: Iterable[Any],
    event: str,
    key: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    organization_id: int | None = None,
    actor: Any = None,
    email: bool = True,
) -> list[Notification]:
    """Tell each of `users` (once each, the `actor` left out) that `event` happened.

    `key` names this occurrence of the event: a person already told of `key` is not told
    again, so a retried or repeated call adds nothing. With `email`, each new notification
    is also e-mailed by the task worker once the transaction commits (one message per
    person and event). Returns the notifications made.
    """
    wanted: dict[int, Any] = {}
    for user in users:
        if user is None or _same_user(user, actor) or not getattr(user, "is_active", True):
            continue
        wanted.setdefault(user.pk, user)
    if not wanted:
        return []
    told = set(
        Notification.objects.filter(user_id__in=list(wanted), key=key).values_list(
            "user_id", flat=True
        )
    )
    today = timezone.localdate()
    made = [
        Notification(
            user_id=user_id,
            organization_id=organization_id,
            event=event,
            params=params or {},
            url=url[:500],
            key=key[:200],
            day=today,
        )
        for user_id in wanted
        if user_id not in told
    ]
    for row in made:
        row.full_clean(exclude=["user", "organization"])
        row.save()
    # Only people with an address get a copy: the worker is not woken for nothing.
    ids = [row.pk for row in made if getattr(wanted[row.user_id], "email", "")]
    if email and ids:
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return made


def _enqueue_emails(ids: list[int]) -> None:
    from shudarga.notifications.tasks import email_notifications

    email_notifications.enqueue(notification_ids=ids)


def notifications_mark_read(*, user: Any, ids: list[str] | None = None) -> int:
    """Mark `user`'s notifications `ids` (all unread ones when None or empty) read.

    Not audited: read marks are the user's own bookkeeping, not plan data."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    wanted = [int(i) for i in (ids or []) if str(i).isdigit()]
    if wanted:
        rows = rows.filter(pk__in=wanted)
    return rows.update(read_at=timezone.now())
