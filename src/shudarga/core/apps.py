from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shudarga.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Seal every historical row django-simple-history writes (see core.history).
        from django.core import checks

        from shudarga.core import receivers  # noqa: F401
        from shudarga.core.audit_keys import check_audit_keys

        checks.register(check_audit_keys)
