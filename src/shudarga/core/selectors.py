"""Reads shared by every app."""

from __future__ import annotations

from django.db.models import QuerySet

from shudarga.core.models import AuditEntry


def audit_entries_for_object(*, object_type: str, object_id: int | str) -> QuerySet[AuditEntry]:
    """Audit entries about one object, newest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id))
