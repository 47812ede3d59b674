"""XLSX downloads of the petition statistics and the survey results.

Every text cell is written as text: a value starting with `=`, `+`, `-` or `@` (or a tab or
carriage return) gets Excel's quote prefix and the string type, so neither Excel nor
LibreOffice ever reads it as a formula, also after editing the cell or saving as CSV.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shudarga.core.spreadsheets import page_setup, set_text
from shudarga.petitions.selectors import QuestionResult
from shudarga.petitions.statistics import QuarterRow, QuarterStats

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet: Any, value: object, *, bold: bool = False) -> WriteOnlyCell:
    if value is None or isinstance(value, bool | int | float):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        cell = set_text(WriteOnlyCell(sheet), value)
    if bold:
        cell.font = Font(bold=True)
    return cell


class _Book:
    def __init__(self) -> None:
        self.workbook = openpyxl.Workbook(write_only=True)

    def sheet(self, title: str, widths: Sequence[int]) -> Any:
        sheet = self.workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:31])
        page_setup(sheet)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        return sheet

    @staticmethod
    def row(sheet: Any, values: Sequence[object], *, bold: bool = False) -> None:
        sheet.append([_cell(sheet, v, bold=bold) for v in values])

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.workbook.save(out)
        return out.getvalue()


def stats_header() -> list[str]:
    return [
        _("Group"),
        _("Carried over"),
        _("Received"),
        _("Answered"),
        _("Transferred"),
        _("Closed otherwise"),
        _("Resolved on time"),
        _("Resolved late"),
        _("Open at the end"),
        _("of which overdue"),
        _("Percent on time"),
    ]


def stats_values(row: QuarterRow, label: str) -> list[object]:
    return [
        label,
        row.carried_over,
        row.received,
        row.answered,
        row.transferred,
        row.closed,
        row.on_time,
        row.late,
        row.open_at_end,
        row.overdue_at_end,
        row.percent_on_time,
    ]


def stats_xlsx(
    *, stats: QuarterStats, organization_name: str, period_label: str, snapshot: Any = None
) -> bytes:
    """The quarterly table: a title block, the totals, then by channel, type and subject.
    With `snapshot`, the submitted figures and when they were submitted."""
    book = _Book()
    sheet = book.sheet(_("Petitions"), [34, 11, 11, 11, 12, 12, 12, 12, 12, 12, 10])
    book.row(sheet, [organization_name], bold=True)
    book.row(sheet, [_("Petitions and complaints: statistics"), period_label])
    book.row(
        sheet,
        [_("From"), stats.date_from.isoformat(), _("to"), stats.date_to.isoformat(),
         _("as of"), stats.cutoff.isoformat()],
    )  # fmt: skip
    if snapshot is not None:
        book.row(sheet, [_("Submitted"), snapshot.submitted_at.date().isoformat()])
    elif stats.provisional:
        book.row(sheet, [_("Provisional: the period is not over.")])
    book.row(sheet, [])
    book.row(sheet, stats_header(), bold=True)
    book.row(sheet, stats_values(stats.total, _("Total")), bold=True)
    for title, rows in (
        (_("By channel"), stats.by_channel),
        (_("By type"), stats.by_kind),
        (_("By subject"), stats.by_subject),
    ):
        book.row(sheet, [])
        book.row(sheet, [title], bold=True)
        for row in rows:
            book.row(sheet, stats_values(row, str(row.label)))
    return book.bytes()


def survey_xlsx(
    *, title: str, organization_name: str, total: int, results: list[QuestionResult]
) -> bytes:
    """A summary sheet (counts per option, means) and a sheet of free-text answers."""
    book = _Book()
    summary = book.sheet(_("Summary"), [60, 24, 12, 12])
    book.row(summary, [organization_name], bold=True)
    book.row(summary, [title], bold=True)
    book.row(summary, [_("Responses"), total])
    book.row(summary, [])
    for result in results:
        book.row(summary, [result.question.text], bold=True)
        book.row(summary, [_("Answered"), result.answered])
        if result.mean is not None:
            book.row(summary, [_("Mean (1-5)"), result.mean])
        for label, count, percent in result.bars:
            book.row(summary, ["", label, count, round(percent, 1)])
        book.row(summary, [])
    texts = book.sheet(_("Free text"), [60, 80])
    book.row(texts, [_("Question"), _("Answer")], bold=True)
    for result in results:
        for text in result.texts:
            book.row(texts, [result.question.text, text])
    return book.bytes()


def register_xlsx(*, petitions: Any, personal: bool, organization_name: str) -> bytes:
    """The register (already filtered) as one sheet. Personal data columns only when
    `personal` (a handler downloads it)."""
    book = _Book()
    personal_header = (
        [_("Petitioner"), _("Register number"), _("Address"), _("Phone or e-mail")]
        if personal
        else []
    )
    widths = [12, 12, 16, 16] + ([28, 14, 28, 20] if personal else []) + [40, 16, 20, 12, 18, 12]
    sheet = book.sheet(_("Petitions"), widths)
    book.row(sheet, [organization_name], bold=True)
    book.row(
        sheet,
        [_("No."), _("Received"), _("Type"), _("Channel"), *personal_header, _("Subject"),
         _("Category"), _("Officer"), _("Deadline"), _("Status"), _("Resolved on")],
        bold=True,
    )  # fmt: skip
    for p in petitions:
        officer = ""
        if p.assigned_to:
            officer = p.assigned_to.get_full_name() or p.assigned_to.get_username()
        personal_values = (
            [getattr(p, name) for name in ("petitioner_name", "petitioner_register_no",
                                           "petitioner_address", "petitioner_contact")]
            if personal
            else []
        )  # fmt: skip
        book.row(
            sheet,
            [p.registration_no, p.received_on.isoformat(), str(p.get_kind_display()),
             str(p.get_channel_display()), *personal_values, p.subject, p.category, officer,
             p.due_on.isoformat(), str(p.get_status_display()),
             p.resolved_on.isoformat() if p.resolved_on else ""],
        )  # fmt: skip
    return book.bytes()
