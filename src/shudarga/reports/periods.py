"""Reporting periods: which exist, what they are called, when a report is due, and whether
a measure is due in one.

The windows themselves (`h1` = 1 January to 30 June of the plan's year, …) are the criteria
evaluation's (`shudarga.criteria.selectors.plan_period`), so a report and the progress page
always count the same days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shudarga.plans.schedule import due_dates

# In the order of their end dates within a year (the order of the list page and comparisons).
PERIOD_CHOICES = [
    ("q1", _("First quarter")),
    ("q2", _("Second quarter")),
    ("h1", _("Half-year")),
    ("q3", _("Third quarter")),
    ("9m", _("Nine months")),
    ("q4", _("Fourth quarter")),
    ("year", _("Year")),
]
PERIOD_KEYS = tuple(key for key, _label in PERIOD_CHOICES)
DEFAULT_PERIODS = ("h1", "year")

# How the official documents name each period, after the title: "(хагас жилийн байдлаар)".
DOCUMENT_LABELS = {
    "q1": "I улирлын байдлаар",
    "q2": "II улирлын байдлаар",
    "h1": "хагас жилийн байдлаар",
    "q3": "III улирлын байдлаар",
    "9m": "9 сарын байдлаар",
    "q4": "IV улирлын байдлаар",
    "year": "жилийн эцсийн байдлаар",
}

# The same, for pages: in the reader's language.
UI_LABELS = {
    "q1": _("as of the first quarter"),
    "q2": _("as of the second quarter"),
    "h1": _("as of the half-year"),
    "q3": _("as of the third quarter"),
    "9m": _("as of nine months"),
    "q4": _("as of the fourth quarter"),
    "year": _("as of the year end"),
}

# A report is due this many days after its period ends, unless the coordinator sets a date.
DEFAULT_DUE_DAYS = 10


def default_due_date(*, period_end: dt.date) -> dt.date:
    """When a report of a period ending `period_end` is due by default (setting
    `REPORT_DUE_DAYS`, 10 days after the period)."""
    days = int(getattr(settings, "REPORT_DUE_DAYS", DEFAULT_DUE_DAYS))
    return period_end + dt.timedelta(days=days)


def measure_is_due(
    *,
    recurrence: str,
    due_date: dt.date | None,
    year: int,
    period_end: dt.date,
    dates: Iterable[dt.date | str] | None = None,
) -> bool:
    """Whether a measure must show results in a period ending `period_end`: when any of its
    due dates falls on or before that day. Otherwise it is scored ХБ (not yet due). A
    measure assessed throughout the year is due in every period."""
    return any(
        d <= period_end
        for d in due_dates(recurrence=recurrence, year=year, due_date=due_date, dates=dates)
    )
