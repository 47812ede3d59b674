"""Writes shared by every app: the audit record."""

from __future__ import annotations

from typing import Any

from django.db import models

from shudarga.core.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    organization_id: int | None,
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Record that `actor` (a user, or None for the system) did `action` to `obj`.

    Call it inside the same transaction as the change so both land or neither does.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "system")[:150],
        organization_id=organization_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes or {},
        ip=ip,
    )
