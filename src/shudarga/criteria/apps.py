from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "shudarga.criteria"
    label = "criteria"
    verbose_name = _("Criteria evaluation")
