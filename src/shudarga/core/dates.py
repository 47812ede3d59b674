"""Dates as Mongolian official documents write them: `2023 оны 10 дугаар сарын 10`."""

from __future__ import annotations

import datetime as dt
import re

# The ordinal suffix follows the vowel harmony of the month number's last word:
# нэг, дөрөв, ес take -дүгээр; the others take -дугаар.
_FRONT_VOWEL_MONTHS = {1, 4, 9, 11}

MN_DATE_RE = re.compile(
    r"(?P<year>\d{4})\s*оны\s+(?P<month>\d{1,2})\s*(?:-?\s*(?:дугаар|дүгээр|р))?\s*сарын\s+"
    r"(?P<day>\d{1,2})",
    re.IGNORECASE,
)


def mn_month_ordinal(month: int) -> str:
    return "дүгээр" if month in _FRONT_VOWEL_MONTHS else "дугаар"


def format_mn_date(value: dt.date) -> str:
    """`date(2023, 10, 10)` -> `2023 оны 10 дугаар сарын 10`."""
    return f"{value.year} оны {value.month} {mn_month_ordinal(value.month)} сарын {value.day}"


def format_date(value: dt.date) -> str:
    """A date in the active language: `2023 оны 10 дугаар сарын 10` in Mongolian, the
    locale's long date otherwise ("Oct. 10, 2023")."""
    from django.utils import formats
    from django.utils.translation import get_language

    if (get_language() or "mn").startswith("mn"):
        return format_mn_date(value)
    return formats.date_format(value, "DATE_FORMAT")


def parse_mn_date(text: str) -> dt.date | None:
    """The first `YYYY оны M дугаар сарын D` in `text` as a date, or None.

    Raises ValueError when the words are there but the day does not exist (31.02).
    """
    match = MN_DATE_RE.search(text)
    if not match:
        return None
    return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
