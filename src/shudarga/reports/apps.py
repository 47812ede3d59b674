from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "shudarga.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from shudarga.criteria.facts import provide_reports
        from shudarga.reports.selectors import report_facts

        # "Тайлагнасан байх" is evaluated by the criteria, which sit below the reports.
        provide_reports(report_facts)
