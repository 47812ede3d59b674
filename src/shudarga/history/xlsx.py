"""The history as an XLSX sheet: one line per changed field of each version."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shudarga.core.spreadsheets import page_setup, set_text
from shudarga.history.selectors import Version

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = (18, 20, 16, 22, 40, 12, 26, 40, 40)


def history_xlsx(versions: Iterable[Version]) -> IO[bytes]:
    """A workbook of `versions` (consumed as they come, so memory stays flat): when, who,
    from where, kind, object, action, field, before, after. Every text cell is text, never
    a formula. Returns an open temporary file at its start; the caller streams and closes
    it."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("History")[:31])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    page_setup(sheet, title_rows="1:1", freeze="A2")
    header = [
        _("When"),
        _("Who"),
        _("From address"),
        _("Kind"),
        _("Object"),
        _("Action"),
        _("Field"),
        _("Before"),
        _("After"),
    ]
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = set_text(WriteOnlyCell(sheet), text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    hidden = _("(hidden: personal data)")
    for version in versions:
        lines = [
            (c.field, *((hidden, hidden) if c.hidden else (c.before, c.after)))
            for c in version.changes
        ]
        for field, before, after in lines or [("", "", "")]:
            when = WriteOnlyCell(sheet, value=timezone.localtime(version.at).replace(tzinfo=None))
            when.number_format = "yyyy-mm-dd hh:mm:ss"
            texts = (
                version.user_label or _("system"),
                version.ip,
                version.kind_name,
                f"{version.object_label} (#{version.object_id})",
                version.action_name,
                field,
                before,
                after,
            )
            sheet.append([when, *(set_text(WriteOnlyCell(sheet), t) for t in texts)])
    out = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)  # noqa: SIM115 (caller closes)
    workbook.save(out)
    out.seek(0)
    return out
