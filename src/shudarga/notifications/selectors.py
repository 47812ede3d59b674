"""Reads of notifications, and who is told of what."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from shudarga.notifications.models import Notification
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import PERMISSIONS


def notifications_for_user(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user)


def unread_count(*, user: Any) -> int:
    """How many of the user's notifications are unread (one indexed count)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def members_who_may(*, organization: Organization | int, action: str) -> QuerySet[Any]:
    """Active users who hold, in `organization` itself, a role that allows `action`.

    Roles inherited from a parent body are left out on purpose: a ministry's people act in
    its agencies only for the ministry (`reports.notices.parent_step_notify` tells them
    what concerns them), and are not told of every step of every agency.
    """
    roles = [role for role, allowed in PERMISSIONS.items() if action in allowed]
    org_id = organization if isinstance(organization, int) else organization.pk
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization_id=org_id,
            memberships__role__in=roles,
        )
        .distinct()
    )
