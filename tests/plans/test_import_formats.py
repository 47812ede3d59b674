"""The seed plan laid out as Word and Excel files people make reads back as the seed."""

from __future__ import annotations

import datetime as dt

import pytest

from shudarga.plans.documents.model import PlanDocument
from shudarga.plans.documents.reading import read_plan_document, sniff_format
from tests.plans import builders

SEED_CODES = [
    "1.1", "1.2", "1.3", "1.4",
    "2.1", "2.2",
    "3.1", "3.2",
    "4.1", "4.2", "4.3",
    "5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8",
]  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> PlanDocument:
    return builders.seed_document()


@pytest.fixture(scope="module", params=sorted(builders.LAYOUTS))
def layout(request: pytest.FixtureRequest) -> tuple[str, PlanDocument]:
    name = request.param
    return name, read_plan_document(builders.LAYOUTS[name](), f"{name}.bin")


def test_it_parses_the_seed_text_as_expected(seed: PlanDocument) -> None:
    assert [goal.number for goal in seed.goals] == [1, 2, 3, 4, 5]
    assert [measure.code for measure in seed.measures] == SEED_CODES
    assert [s.label for s in seed.signatures] == ["ХЯНАСАН", "БОЛОВСРУУЛСАН"]


def test_it_detects_the_layouts_format_by_content() -> None:
    for name, build in builders.LAYOUTS.items():
        assert sniff_format(build()) == name.split("_")[0]


def test_it_reads_five_goals_with_the_seed_texts(layout, seed: PlanDocument) -> None:
    _, document = layout
    assert [(g.number, g.text) for g in document.goals] == [(g.number, g.text) for g in seed.goals]


def test_it_reads_the_nineteen_codes_in_order(layout) -> None:
    _, document = layout
    assert [measure.code for measure in document.measures] == SEED_CODES


def test_it_reads_every_measure_text_and_criteria(layout, seed: PlanDocument) -> None:
    _, document = layout
    for got, expected in zip(document.measures, seed.measures, strict=True):
        assert (got.code, got.text) == (expected.code, expected.text)
        assert got.criteria == expected.criteria, got.code


def test_it_reads_the_signatures(layout, seed: PlanDocument) -> None:
    _, document = layout
    assert [s.to_dict() for s in document.signatures] == [s.to_dict() for s in seed.signatures]
    assert document.signatures[0].title == (
        "ЗАХИРГАА САНХҮҮГИЙН ХЭЛТСИЙН ДАРГЫН АЛБАН ҮҮРГИЙН ТҮР ОРЛОН ГҮЙЦЭТГЭГЧ"
    )
    assert document.signatures[1].name == "Б.ЭНХЦЭЦЭГ"


def test_it_reads_title_year_date_and_place(layout) -> None:
    _, document = layout
    assert document.title == "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ"
    assert document.year == 2023
    assert document.approved_on == dt.date(2023, 10, 10)
    assert document.place == "Улаанбаатар хот"


def test_it_puts_extra_columns_in_due_and_responsible(layout) -> None:
    name, document = layout
    for measure in document.measures:
        if name in builders.EXTRA_COLUMN_LAYOUTS:
            assert (measure.due, measure.responsible) == builders.extra_values(measure.code)
        else:
            assert (measure.due, measure.responsible) == ("", "")
        assert (measure.baseline, measure.target) == ("", "")


def test_it_reads_each_layout_as_the_whole_seed(layout, seed: PlanDocument) -> None:
    name, document = layout
    expected = seed.to_dict()
    if name in builders.EXTRA_COLUMN_LAYOUTS:
        for goal in expected["goals"]:
            for measure in goal["measures"]:
                measure["due"], measure["responsible"] = builders.extra_values(measure["code"])
    assert document.to_dict() == expected
    document.validate()


def test_it_warns_only_about_the_seeds_mixed_script_address(layout) -> None:
    _, document = layout
    assert len(document.warnings) == 1
    assert "khutulbur.iaас.mn" in document.warnings[0]
