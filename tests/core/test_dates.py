from __future__ import annotations

import datetime as dt

import pytest

from shudarga.core.dates import format_mn_date, parse_mn_date


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2023, 10, 10), "2023 оны 10 дугаар сарын 10"),
        (dt.date(2024, 1, 5), "2024 оны 1 дүгээр сарын 5"),
        (dt.date(2024, 4, 30), "2024 оны 4 дүгээр сарын 30"),
        (dt.date(2024, 9, 1), "2024 оны 9 дүгээр сарын 1"),
        (dt.date(2024, 11, 1), "2024 оны 11 дүгээр сарын 1"),
        (dt.date(2024, 12, 31), "2024 оны 12 дугаар сарын 31"),
    ],
)
def test_it_formats_and_parses_mongolian_dates(value, text):
    assert format_mn_date(value) == text
    assert parse_mn_date(text) == value


def test_it_parses_short_forms():
    assert parse_mn_date("2023 оны 3-р сарын 1") == dt.date(2023, 3, 1)
    assert parse_mn_date("no date here") is None


def test_it_rejects_impossible_days():
    with pytest.raises(ValueError):
        parse_mn_date("2023 оны 2 дугаар сарын 31")
