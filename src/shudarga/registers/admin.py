"""Admin for the register models: for support staff to find rows across organizations.

Saves and deletes go through the services, so search keys, sort keys and the audit log stay
right. Measures and attendees are changed in the app, where they are limited to the row's
organization; here they are shown read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from shudarga.core.http import client_ip
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import REGISTERS, RegisterSpec
from shudarga.registers.services import register_row_delete, register_row_save


class RegisterRowAdmin(admin.ModelAdmin):
    spec: RegisterSpec
    list_select_related = ("organization",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        links = tuple(f.name for f in self.model._meta.many_to_many)
        moved = ("organization",) if obj is not None else ()  # a row never changes owner
        return (*self.readonly_fields, *links, *moved)

    def save_model(
        self, request: HttpRequest, obj: RegisterRow, form: ModelForm, change: bool
    ) -> None:
        register_row_save(
            spec=self.spec,
            organization=obj.organization,
            row=obj,
            measures=None,
            actor=request.user,
            ip=client_ip(request),
        )

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        pass  # many-to-many fields are read-only here; see the module docstring

    def delete_model(self, request: HttpRequest, obj: RegisterRow) -> None:
        register_row_delete(spec=self.spec, row=obj, actor=request.user, ip=client_ip(request))

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RegisterRow]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


def _admin_for(spec: RegisterSpec) -> type[RegisterRowAdmin]:
    kind = (spec.kind_field,) if spec.kind_field else ()
    return type(
        f"{spec.model.__name__}Admin",
        (RegisterRowAdmin,),
        {
            "spec": spec,
            "list_display": ("__str__", spec.date_field, *kind, "organization"),
            "list_filter": ("organization", *kind),
            "search_fields": spec.search_fields,
            "date_hierarchy": spec.date_field,
            "ordering": (f"-{spec.date_field}", "-id"),
        },
    )


for _spec in REGISTERS.values():
    admin.site.register(_spec.model, _admin_for(_spec))
