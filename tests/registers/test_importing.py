"""The import parser on its own: cell values, column names and row-numbered messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from shudarga.registers.importing import (
    CellError,
    parse_bool,
    parse_cell,
    parse_date,
    parse_measure_codes,
    parse_table,
)
from shudarga.registers.registry import REGISTERS

PUBLICATIONS = REGISTERS["publications"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _error(func, *args) -> str:
    with pytest.raises(CellError) as exc:
        func(*args)
    return str(exc.value)


EXCEL_DATE = dt.datetime(2024, 3, 5)  # noqa: DTZ001  (Excel cells have no time zone)


@pytest.mark.parametrize(
    "raw", ["2024-03-05", "5.3.2024", "05.03.2024", " 2024-03-05 ", EXCEL_DATE, 45356]
)
def test_it_reads_dates_in_every_accepted_form(raw):
    assert parse_date(raw) == dt.date(2024, 3, 5)


def test_it_names_a_date_that_does_not_exist():
    assert _error(parse_date, "31.02.2024") == "31.02.2024 is not a real date."
    assert _error(parse_date, "2024-02-30") == "2024-02-30 is not a real date."


def test_it_explains_how_to_write_a_date():
    assert "2024-03-31 or 31.03.2024" in _error(parse_date, "March 5")
    assert "is not a date" in _error(parse_date, -3)


@pytest.mark.parametrize("raw", ["тийм", "Тийм", "yes", "YES", "1", 1, "true", True])
def test_it_reads_yes(raw):
    assert parse_bool(raw) is True


@pytest.mark.parametrize("raw", ["үгүй", "ҮГҮЙ", "no", "0", 0, "false", False])
def test_it_reads_no(raw):
    assert parse_bool(raw) is False


def test_it_refuses_a_word_that_is_not_yes_or_no():
    assert "тийм/үгүй, yes/no, 1/0 or true/false" in _error(parse_bool, "maybe")


@pytest.mark.parametrize("raw", ["facebook", "Facebook", "FACEBOOK", " Facebook "])
def test_it_reads_a_choice_by_value_or_label(raw):
    assert parse_cell(PUBLICATIONS.field("channels"), raw) == ["facebook"]


def test_it_lists_the_choices_for_an_unknown_one():
    message = _error(parse_cell, PUBLICATIONS.field("channels"), "Telegram")
    assert message.startswith("“Telegram” is not one of: Official website, Facebook")


def test_it_refuses_negative_and_fractional_counts():
    copies = PUBLICATIONS.field("copies")
    assert _error(parse_cell, copies, "-5") == "Ensure this value is greater than or equal to 0."
    assert _error(parse_cell, copies, "2.5") == "2.5 is not a whole number."
    assert _error(parse_cell, copies, "many") == "“many” is not a number."
    assert parse_cell(copies, 1200.0) == 1200
    assert parse_cell(copies, "1 200") == 1200
    assert parse_cell(copies, "") is None


def test_it_reads_money_with_a_decimal_comma():
    value = REGISTERS["contracts"].field("value")
    assert parse_cell(value, "1 500 000,50") == Decimal("1500000.50")
    assert parse_cell(value, 1500000.5) == Decimal("1500000.5")


def test_it_checks_the_fields_own_limits():
    likelihood = REGISTERS["risks"].field("likelihood")
    assert "less than or equal to 5" in _error(parse_cell, likelihood, 7)
    assert parse_cell(REGISTERS["risks"].field("status"), None) == "open"  # the default


def test_it_requires_required_cells():
    assert _error(parse_cell, PUBLICATIONS.field("title"), "  ") == "A value is required."


def test_it_splits_measure_codes_and_checks_them():
    assert parse_measure_codes("1.2, 4.2;5.1 1.2", {"1.2", "4.2", "5.1"}) == ["1.2", "4.2", "5.1"]
    assert parse_measure_codes(None, {"1.2"}) == []
    assert (
        _error(parse_measure_codes, "1.2, 7.7", {"1.2"})
        == "There is no measure 7.7 in the organization's latest plan."
    )


def _table(*rows):
    header = ["Date", "title", "Channel", "material type", "PRODUCED BY", "copies distributed"]
    return [header, *rows]


def test_it_matches_columns_by_english_or_mongolian_name_or_field_name():
    table = [
        ["Date", "Гарчиг", "channel", "Material type", "Produced by", "Арга хэмжээнүүд"],
        ["2024-03-05", "Нийтлэл", "tv", "spot", "own", "1.2"],
    ]
    parsed = parse_table(spec=PUBLICATIONS, table=table, measure_codes={"1.2"})
    assert parsed.errors == []
    assert parsed.rows[0].values["title"] == "Нийтлэл"
    assert parsed.rows[0].measure_codes == ["1.2"]


def test_it_numbers_rows_as_the_spreadsheet_does_and_skips_blank_ones():
    table = [
        [None, None],
        _table()[0],
        ["2024-03-05", "A", "tv", "spot", "own", "1"],
        [None, "", None],
        ["31.02.2024", "B", "tv", "spot", "own", "1"],
    ]
    parsed = parse_table(spec=PUBLICATIONS, table=table, measure_codes=None)
    assert parsed.errors == ["Row 5, “Date”: 31.02.2024 is not a real date."]
    assert [row.line for row in parsed.rows] == [3]


def test_it_reports_every_bad_cell_of_every_row():
    parsed = parse_table(
        spec=PUBLICATIONS,
        table=_table(
            ["2024-03-05", "Good", "tv", "spot", "own", "10"],
            ["31.02.2024", "Bad date", "tv", "spot", "own", "10"],
            ["2024-03-05", "Negative", "tv", "spot", "own", "-3"],
            ["2024-03-05", "Unknown channel", "telegram", "spot", "own", "1"],
        ),
        measure_codes=None,
    )
    assert parsed.errors[0] == "Row 3, “Date”: 31.02.2024 is not a real date."
    assert parsed.errors[1] == (
        "Row 4, “copies distributed”: Ensure this value is greater than or equal to 0."
    )
    assert parsed.errors[2].startswith("Row 5, “Channel”: “telegram” is not one of:")
    assert len(parsed.rows) == 1


def test_it_names_missing_required_columns_and_ignores_unknown_ones():
    parsed = parse_table(
        spec=PUBLICATIONS, table=[["title", "Comment"], ["A", "x"]], measure_codes=None
    )
    assert parsed.errors == ["The file has no column for: date, material type, produced by."]
    assert parsed.warnings == ["Column “Comment” was ignored: this register has no such field."]


def test_it_refuses_two_columns_for_one_field():
    parsed = parse_table(
        spec=REGISTERS["board-updates"],
        table=[["date", "Date", "content"], ["2024-01-01", "2024-01-01", "x"]],
        measure_codes=None,
    )
    assert parsed.errors == ["Columns “date” and “Date” are the same field."]


def test_it_refuses_an_empty_table_or_a_header_alone():
    spec = REGISTERS["board-updates"]
    assert parse_table(spec=spec, table=[], measure_codes=None).errors == ["The file has no rows."]
    assert parse_table(spec=spec, table=[["date", "content"]], measure_codes=None).errors == [
        "The file has a header but no rows."
    ]
