"""The seed plan, read from its tab-separated text, with every measure and criterion checked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from shudarga.plans.documents.reading import read_plan_document

EXPECTED = json.loads((Path(__file__).parent / "seed_expected.json").read_text(encoding="utf-8"))

CODES = [
    "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "4.3",
    "5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8",
]  # fmt: skip

CRITERIA_COUNTS = {
    "1.1": 3, "1.2": 2, "1.3": 2, "1.4": 3, "2.1": 2, "2.2": 2, "3.1": 5, "3.2": 3,
    "4.1": 2, "4.2": 3, "4.3": 2, "5.1": 4, "5.2": 2, "5.3": 3,
    "5.4": 1, "5.5": 1, "5.6": 1, "5.7": 1, "5.8": 1,
}  # fmt: skip


@pytest.fixture
def document(seed_bytes):
    return read_plan_document(seed_bytes, "seed.txt")


def test_it_reads_the_header(document):
    assert document.title == "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ"
    assert document.year == 2023
    assert document.approved_on == dt.date(2023, 10, 10)
    assert document.place == "Улаанбаатар хот"


def test_it_finds_five_goals_and_nineteen_measures_in_order(document):
    assert [g.number for g in document.goals] == [1, 2, 3, 4, 5]
    assert [m.code for m in document.measures] == CODES
    by_goal = {g.number: [m.code for m in g.measures] for g in document.goals}
    assert by_goal[5] == ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8"]


def test_it_puts_every_criterion_in_its_place(document):
    assert {m.code: len(m.criteria) for m in document.measures} == CRITERIA_COUNTS
    assert document.to_dict() == EXPECTED


def test_it_keeps_measure_text_without_its_code(document):
    for measure in document.measures:
        assert not measure.text.startswith(measure.code)
        assert measure.text == measure.text.strip()
    assert document.measures[0].text.startswith("АТГ-аас бэлтгэсэн шторк")


def test_it_joins_measure_2_2_across_the_page_break(document):
    m = next(m for m in document.measures if m.code == "2.2")
    assert m.text.startswith("Тухайн байгууллагын хариуцдаг, шууд хамаардаг")
    assert m.criteria == [
        "Өөрсдийн нөөц бололцоонд тулгуурлан зохион байгуулсан байх",
        "Тайланд нотломжийг хавсаргасан байх.",
    ]


def test_it_reads_shifted_rows_5_4_to_5_8(document):
    m = next(m for m in document.measures if m.code == "5.4")
    assert m.text.startswith("Байгууллагын хэмжээнд мөрдөгдөж байгаа дүрэм")
    assert m.criteria == [
        "Хэрэгжилтийг дотоод дүрэм, журамд тусгасан байдлын хэрэгжилтийг гаргах, хяналт "
        "шинжилгээ хийх"
    ]


def test_it_does_not_split_inside_2_oos(document):
    m = next(m for m in document.measures if m.code == "1.2")
    assert m.criteria[0].startswith("2-оос доошгүй өдөрлөг")
    m = next(m for m in document.measures if m.code == "4.2")
    assert m.criteria[0] == "2-оос доошгүйг зохион байгуулсан байх"


def test_it_splits_at_semicolon_without_bullet(document):
    m = next(m for m in document.measures if m.code == "1.4")
    assert m.criteria[-1] == "Авлигыг мэдээлэх 110 дугаарыг оруулсан байх."


def test_it_keeps_the_cut_off_criterion_as_written(document):
    m = next(m for m in document.measures if m.code == "5.1")
    assert "Арга хэмжээнд удирдлагын" in m.criteria


def test_it_warns_about_the_mixed_script_address_and_keeps_it(document):
    m = next(m for m in document.measures if m.code == "5.3")
    assert "khutulbur.iaас.mn цахим санд нэмж оруулсан байх," in m.criteria
    assert len(document.warnings) == 1
    assert "khutulbur.iaас.mn" in document.warnings[0]
    assert "5.3" in document.warnings[0]


def test_it_reads_the_signature_blocks(document):
    assert [s.to_dict() for s in document.signatures] == [
        {
            "label": "ХЯНАСАН",
            "title": "ЗАХИРГАА САНХҮҮГИЙН ХЭЛТСИЙН ДАРГЫН АЛБАН ҮҮРГИЙН ТҮР ОРЛОН ГҮЙЦЭТГЭГЧ",
            "name": "Х.СОДНОМДЭМБЭРЭЛ",
        },
        {
            "label": "БОЛОВСРУУЛСАН",
            "title": "ХҮНИЙ НӨӨЦ, ЁС ЗҮЙ, ДОТООД АЖИЛ ХАРИУЦСАН МЭРГЭЖИЛЭН",
            "name": "Б.ЭНХЦЭЦЭГ",
        },
    ]


def test_it_reads_crlf_and_bom_the_same(seed_bytes):
    variant = b"\xef\xbb\xbf" + seed_bytes.replace(b"\n", b"\r\n")
    assert read_plan_document(variant).to_dict() == EXPECTED


def test_it_reads_utf16_the_same(seed_bytes):
    variant = seed_bytes.decode("utf-8").encode("utf-16")
    assert read_plan_document(variant).to_dict() == EXPECTED
