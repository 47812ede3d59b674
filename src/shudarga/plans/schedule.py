"""When a measure is due: its due dates in the plan's year, from its recurrence."""

from __future__ import annotations

import calendar
import datetime as dt


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def due_dates(*, recurrence: str, year: int, due_date: dt.date | None = None) -> list[dt.date]:
    """Every date in `year` the measure must be done by, in order.

    `once` is the due date (year end when none is set); `monthly` each month's last day;
    `quarterly` each quarter's; `q1_h1_year` the plan's presentations (seed 5.1): end of
    Q1, of the first half and of the year.
    """
    if recurrence == "monthly":
        return [_month_end(year, m) for m in range(1, 13)]
    if recurrence == "quarterly":
        return [_month_end(year, m) for m in (3, 6, 9, 12)]
    if recurrence == "q1_h1_year":
        return [_month_end(year, m) for m in (3, 6, 12)]
    if recurrence == "half_yearly":
        return [_month_end(year, m) for m in (6, 12)]
    if recurrence == "once" and due_date is not None:
        return [due_date]
    return [dt.date(year, 12, 31)]


def next_due(*, recurrence: str, year: int, due_date: dt.date | None, today: dt.date
             ) -> dt.date | None:  # fmt: skip
    """The first due date on or after `today`, or None when all have passed."""
    return next(
        (d for d in due_dates(recurrence=recurrence, year=year, due_date=due_date) if d >= today),
        None,
    )
