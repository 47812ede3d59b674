from __future__ import annotations

import pytest

from shudarga.plans.documents.tabular import split_criteria


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-А байх -Б байх", ["А байх", "Б байх"]),
        ("-2-оос доошгүй байх; -Б", ["2-оос доошгүй байх", "Б"]),
        ("А байх; Б байх.", ["А байх", "Б байх."]),
        ("· А\n· Б", ["А", "Б"]),
        ("• А • Б", ["А", "Б"]),
        ("А\nБ", ["А", "Б"]),
        ("-А\nүргэлжлэл", ["А үргэлжлэл"]),
        ("2023 - 2024 онд хийх", ["2023 - 2024 онд хийх"]),
        ("-Тайланд нотломжийг хавсаргасан байх ;", ["Тайланд нотломжийг хавсаргасан байх"]),
        ("", []),
        ("   ", []),
    ],
)
def test_it_splits_criteria(raw, expected):
    assert split_criteria(raw) == expected
