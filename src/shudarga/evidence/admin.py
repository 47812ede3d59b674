"""Evidence in the admin: to look, never to change. Every change goes through the services,
which check the file, keep versions and write the audit log; the admin would bypass all
three, so it is read-only and offers no deletion."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from shudarga.evidence.models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "organization",
        "measure",
        "kind",
        "content_type",
        "size",
        "version",
        "is_current",
        "relates_to",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("kind", "is_current", "content_type", "organization")
    search_fields = ("title", "original_name", "sha256", "link")
    list_select_related = ("organization", "measure", "uploaded_by")
    date_hierarchy = "relates_to"
    raw_id_fields = ("measure", "criterion", "previous")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
