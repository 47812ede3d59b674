from __future__ import annotations

import datetime as dt

from shudarga.plans.schedule import due_dates, next_due


def test_it_lists_due_dates_by_recurrence():
    assert len(due_dates(recurrence="monthly", year=2024)) == 12
    assert due_dates(recurrence="monthly", year=2024)[1] == dt.date(2024, 2, 29)
    assert due_dates(recurrence="q1_h1_year", year=2023) == [
        dt.date(2023, 3, 31),
        dt.date(2023, 6, 30),
        dt.date(2023, 12, 31),
    ]
    assert due_dates(recurrence="once", year=2023, due_date=dt.date(2023, 5, 1)) == [
        dt.date(2023, 5, 1)
    ]
    assert due_dates(recurrence="once", year=2023) == [dt.date(2023, 12, 31)]
    assert due_dates(recurrence="year_end", year=2023) == [dt.date(2023, 12, 31)]


def test_next_due_is_the_first_date_not_yet_passed():
    kwargs = {"recurrence": "quarterly", "year": 2023, "due_date": None}
    assert next_due(**kwargs, today=dt.date(2023, 4, 1)) == dt.date(2023, 6, 30)
    assert next_due(**kwargs, today=dt.date(2023, 6, 30)) == dt.date(2023, 6, 30)
    assert next_due(**kwargs, today=dt.date(2024, 1, 1)) is None
