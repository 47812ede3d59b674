"""The parent body's table as an XLSX workbook: one sheet per table of the page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from shudarga.core.spreadsheets import page_setup
from shudarga.dashboards.selectors import ParentOverview
from shudarga.reports.periods import PERIOD_CHOICES


def overview_workbook(overview: ParentOverview) -> bytes:
    labels = dict(PERIOD_CHOICES)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Organizations")[:31]
    ws.append([
        _("Organization"), _("Code"), _("Plan"), _("Plan status"), _("Latest report"),
        _("Report status"), _("Score, %"), _("Overdue measures"), _("Overdue petitions"),
    ])  # fmt: skip
    for row in overview.rows:
        latest = row.latest
        ws.append([
            row.organization.name,
            row.organization.code,
            row.plan.year if row.plan else None,
            str(row.plan.get_status_display()) if row.plan else _("No plan"),
            str(latest.report.get_period_display()) if latest else None,
            str(latest.report.get_status_display()) if latest else None,
            float(latest.percent) if latest and latest.percent is not None else None,
            row.overdue_measures,
            row.overdue_petitions,
        ])  # fmt: skip
    heat = wb.create_sheet(_("Goals")[:31])
    heat.append([_("Organization")] + [_("Goal %(n)s") % {"n": n} for n in overview.goal_numbers])
    for row in overview.rows:
        heat.append(
            [row.organization.name]
            + [
                float(v) if (v := row.goal_percents.get(n)) is not None else None
                for n in overview.goal_numbers
            ]
        )
    matrix = wb.create_sheet(_("Submission")[:31])
    matrix.append([_("Organization")] + [str(labels[p]) for p in overview.periods])
    for row in overview.rows:
        matrix.append(
            [row.organization.name]
            + [
                str(r.get_status_display()) if (r := row.reports.get(p)) else _("No report")
                for p in overview.periods
            ]
        )
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        page_setup(sheet, title_rows="1:1", freeze="B2")
        sheet.column_dimensions["A"].width = 45
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
