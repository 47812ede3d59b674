from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a first look (`shudarga load_demo_data`). It sits above every other
    app and only calls their services."""

    name = "shudarga.demo"
    label = "demo"
    verbose_name = _("Demo data")
