"""Reports in the admin: to look, never to change. Every change goes through the services,
which keep the workflow, the lock on approved reports and the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shudarga.reports.models import Report, ReportBundle, ReportEvent, ReportItem


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(_ReadOnly):
    list_display = ("plan", "period", "status", "due_date", "submitted_at", "approved_at")
    list_filter = ("status", "period", "plan__year")
    list_select_related = ("plan",)


@admin.register(ReportItem)
class ReportItemAdmin(_ReadOnly):
    list_display = ("report", "measure", "score", "due", "scored_by", "scored_at")
    list_filter = ("score", "due")
    list_select_related = ("report__plan", "measure", "scored_by")
    raw_id_fields = ("report", "measure")


@admin.register(ReportEvent)
class ReportEventAdmin(_ReadOnly):
    list_display = ("report", "action", "actor_label", "at", "reason")
    list_filter = ("action",)
    list_select_related = ("report__plan",)


@admin.register(ReportBundle)
class ReportBundleAdmin(_ReadOnly):
    list_display = ("report", "status", "done", "total", "size", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("report__plan",)
