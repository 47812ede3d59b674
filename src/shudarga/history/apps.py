from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """Pages that show the version history of an organization's data (a face: it reads
    every app's historical tables and nothing reads it)."""

    name = "shudarga.history"
    label = "history"
    verbose_name = _("History")
