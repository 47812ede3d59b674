"""Admin for support staff: read-only views of petitions and surveys across organizations.

Every change to a petition must be numbered, dated against its deadline and audited, so
the admin adds, changes and deletes nothing; that is done on the app's pages. Petitioners'
personal data is shown here only to superusers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shudarga.petitions.models import Petition, Question, Survey
from shudarga.petitions.services import PERSONAL_FIELDS


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organization", "kind", "channel", "status", "received_on", "due_on")
    list_filter = ("status", "kind", "channel", "organization")
    list_select_related = ("organization",)
    search_fields = ("search_text",)
    date_hierarchy = "received_on"
    ordering = ("-received_on", "-id")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        hidden = ("tracking_hash", "search_text", "private_search_text")
        if not request.user.is_superuser:
            hidden += PERSONAL_FIELDS
        return hidden


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "status", "opened_at", "closed_at")
    list_filter = ("status",)
    list_select_related = ("organization",)
    inlines = (QuestionInline,)
    exclude = ("public_key",)
