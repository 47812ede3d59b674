"""Plan tables laid out as other organizations lay them out: header bands of several rows,
varied header words, goal and direction headings, activities beside their measures, codes
typed or numbered by Word or absent, implementation columns, text around the table."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from shudarga.plans.documents.model import PlanImportError
from shudarga.plans.documents.reading import read_plan
from tests.plans.layouts import docx_bytes, tsv_bytes, xlsx_bytes

TITLE = "2024 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def read(data: bytes, **choices):
    from shudarga.plans.documents.choices import ImportChoices

    document, reading = read_plan(
        data, choices=ImportChoices.from_dict(choices) if choices else None
    )
    document.validate()
    return document, reading


def measures(document):
    return [(m.code, m.text, m.criteria) for m in document.measures]


def test_a_three_row_header_with_baseline_and_target_split_by_year_and_level():
    rows = [
        ["Д/д", "Үйл ажиллагааны зорилт", "Зорилтын хүрээнд хэрэгжүүлэх үйл ажиллагаа",
         "Хүрэх түвшин, үр дүнгийн үзүүлэлт", "", "", "", "", "Хэрэгжүүлэх хугацаа",
         "Хариуцах нэгж"],
        ["", "", "", "Шалгуур үзүүлэлт", "Суурь түвшин", "", "Зорилтот түвшин", "", "", ""],
        ["", "", "", "", "он", "түвшин", "он", "түвшин", "", ""],
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
        ["1", "Ил тод байдлыг нэмэгдүүлэх", "1.1. Шийдвэрийг цахим хуудсанд байршуулах",
         "- Байршуулсан шийдвэрийн тоо", "2023", "60%", "2024", "100%", "Улирал бүр",
         "Хүний нөөцийн алба"],
        ["", "", "1.2. Сургалт зохион байгуулах", "- Хамрагдсан албан хаагчийн тоо", "2023",
         "10", "2024", "20", "IV улиралд", "Захиргааны хэлтэс"],
    ]  # fmt: skip
    merges = [(0, 0, 2, 0), (0, 1, 2, 1), (0, 2, 2, 2), (0, 3, 0, 7), (1, 3, 2, 3),
              (1, 4, 1, 5), (1, 6, 1, 7), (0, 8, 2, 8), (0, 9, 2, 9), (4, 0, 5, 0),
              (4, 1, 5, 1)]  # fmt: skip
    document, reading = read(docx_bytes(before=[TITLE], tables=[(rows, merges)]))
    assert reading.band.rows == 3
    assert [c.role for c in reading.columns] == [
        "number", "goal", "measure", "criteria", "baseline", "baseline", "target", "target",
        "due", "responsible",
    ]  # fmt: skip
    assert [(g.number, g.text) for g in document.goals] == [(1, "Ил тод байдлыг нэмэгдүүлэх")]
    first, second = document.measures
    assert (first.code, first.criteria) == ("1.1", ["Байршуулсан шийдвэрийн тоо"])
    assert first.baseline == "он: 2023; түвшин: 60%"
    assert first.target == "он: 2024; түвшин: 100%"
    assert (second.due, second.responsible) == ("IV улиралд", "Захиргааны хэлтэс")
    assert document.warnings == []


def test_goal_headings_over_rows_numbered_by_dd():
    rows = [
        ["№", "Хэрэгжүүлэх арга хэмжээ", "Хэрэгжих хугацаа", "Хариуцах нэгж, албан тушаалтан",
         "Гүйцэтгэлийн шалгуур үзүүлэлт"],
        ["Зорилт-1: Авлигаас урьдчилан сэргийлэх", "", "", "", ""],
        ["1", "Ёс зүйн сургалт зохион байгуулах", "Жилдээ", "Сургалтын тасаг",
         "Сургалтад 90-ээс доошгүй хувь хамрагдсан байх"],
        ["2", "Сонирхлын зөрчлийн мэдүүлэг хүлээн авах", "I улирал", "Хүний нөөц",
         "Бүх албан хаагчийн мэдүүлгийг хүлээн авсан байх"],
        ["Зорилт-2: Ил тод байдлыг хангах", "", "", "", ""],
        ["3", "Худалдан авах ажиллагааг ил тод болгох", "Тухай бүр", "Санхүүгийн алба",
         "Цахим системд байршуулсан байх"],
    ]  # fmt: skip
    merges = [(1, 0, 1, 4), (4, 0, 4, 4)]
    document, reading = read(docx_bytes(before=[TITLE], tables=[(rows, merges)]))
    assert [(g.number, g.text) for g in document.goals] == [
        (1, "Авлигаас урьдчилан сэргийлэх"),
        (2, "Ил тод байдлыг хангах"),
    ]
    assert [m.code for m in document.measures] == ["1", "2", "3"]
    assert [len(g.measures) for g in document.goals] == [2, 1]
    assert [r.kind for r in reading.rows[1:]] == ["goal", "measure", "measure", "goal", "measure"]


def test_activities_in_merged_cells_numbered_in_their_own_column():
    rows = [
        ["Стратегийн зорилт", "№", "Үйл ажиллагаа", "Хэрэгжүүлэх арга хэмжээ",
         "Шалгуур үзүүлэлт", "Хугацаа", "Хариуцах нэгж"],
        ["Авлигын эрсдэлийг бууруулах", "1", "Эрсдэлийн үнэлгээ хийх",
         "1.1. Эрсдэлийн бүртгэл хөтлөх", "Бүртгэл хөтлөгдсөн байх", "Жилдээ", "Дотоод хяналт"],
        ["", "", "", "1.2. Эрсдэлийн үнэлгээг хэлэлцэх", "Хэлэлцсэн байх", "II улирал",
         "Удирдлага"],
        ["", "2", "Ашиг сонирхлын зөрчлөөс урьдчилан сэргийлэх",
         "2.1. Мэдүүлэг хүлээн авах", "Бүгд мэдүүлсэн байх", "I улирал", "Хүний нөөц"],
    ]  # fmt: skip
    merges = [(1, 0, 3, 0), (1, 1, 2, 1), (1, 2, 2, 2)]
    document, reading = read(docx_bytes(before=[TITLE], tables=[(rows, merges)]))
    assert [c.role for c in reading.columns][:4] == ["goal", "number", "activity", "measure"]
    goal = document.goals[0]
    assert [(a.code, a.text) for a in goal.activities] == [
        ("1", "Эрсдэлийн үнэлгээ хийх"),
        ("2", "Ашиг сонирхлын зөрчлөөс урьдчилан сэргийлэх"),
    ]
    assert [(m.code, m.activity) for m in goal.measures] == [
        ("1.1", "1"), ("1.2", "1"), ("2.1", "2")
    ]  # fmt: skip


def test_word_list_numbering_gives_the_codes_word_shows():
    rows = [
        ["Зорилго", "Хэрэгжүүлэх арга хэмжээ", "Шалгуур үзүүлэлт"],
        ["{list:0}Ил тод байдлыг нэмэгдүүлэх", "{list:1}Шийдвэрийг байршуулах",
         "{bullet:0}Байршуулсан байх\n{bullet:0}Сар бүр шинэчилсэн байх"],
        ["", "{list:1}Самбар ажиллуулах", "{bullet:0}Ажиллуулсан байх"],
        ["{list:0}Сургалт зохион байгуулах", "{list:1}Ёс зүйн сургалт", "{bullet:0}Хийсэн байх"],
    ]  # fmt: skip
    merges = [(1, 0, 2, 0)]
    document, _reading = read(docx_bytes(before=[TITLE], tables=[(rows, merges)]))
    assert [(g.number, g.text) for g in document.goals] == [
        (1, "Ил тод байдлыг нэмэгдүүлэх"),
        (2, "Сургалт зохион байгуулах"),
    ]
    assert measures(document) == [
        ("1.1", "Шийдвэрийг байршуулах", ["Байршуулсан байх", "Сар бүр шинэчилсэн байх"]),
        ("1.2", "Самбар ажиллуулах", ["Ажиллуулсан байх"]),
        ("2.1", "Ёс зүйн сургалт", ["Хийсэн байх"]),
    ]


def test_a_sheet_with_a_group_header_typed_without_merging():
    rows = [
        [TITLE],
        ["Д/д", "Зорилго", "Хэрэгжүүлэх арга хэмжээ", "Шалгуур үзүүлэлт", "", "Хугацаа"],
        ["", "", "", "Гүйцэтгэлийн", "Хүрэх түвшин", ""],
        [1, "Ил тод байдал", "1.1. Мэдээлэх", "Мэдээлсэн байх", "100%", "Сар бүр"],
    ]
    document, reading = read(xlsx_bytes([("Sheet", rows, [])]))
    assert reading.band.rows == 2
    assert [c.role for c in reading.columns] == [
        "number",
        "goal",
        "measure",
        "criteria",
        "target",
        "due",
    ]
    measure = document.measures[0]
    assert (measure.criteria, measure.target, measure.due) == (
        ["Мэдээлсэн байх"],
        "100%",
        "Сар бүр",
    )


def test_implementation_columns_are_named_and_left_out():
    document, reading = read(
        tsv_bytes(
            TITLE,
            "Д/д\tХэрэгжүүлэх арга хэмжээ\tШалгуур үзүүлэлт\tХугацаа\tХэрэгжилт\tХувь",
            "Нэг. Ил тод байдал",
            "1.1\tМэдээлэх\t-Мэдээлсэн байх\tЖилдээ\t12 удаа мэдээлсэн\t100",
        )
    )
    assert [c.role for c in reading.columns][-2:] == ["ignore", "ignore"]
    assert measures(document) == [("1.1", "Мэдээлэх", ["Мэдээлсэн байх"])]
    assert any("“Хэрэгжилт”, “Хувь”" in w for w in document.warnings)


def test_text_around_the_table_and_a_header_repeated_at_a_page_top():
    header = "Д/д\tЗорилго\tХэрэгжүүлэх арга хэмжээ\tГүйцэтгэлийн шалгуур үзүүлэлт"
    document, reading = read(
        tsv_bytes(
            "Засаг даргын 2024 оны 1 дүгээр сарын 15-ны өдрийн",
            "12 дугаар захирамжийн хавсралт",
            "",
            "БАТЛАВ:",
            "ЗАСАГ ДАРГА                 Б.БОЛД",
            "",
            "ДАРХАН-УУЛ АЙМГИЙН ЗАСАГ ДАРГЫН ТАМГЫН ГАЗРЫН",
            "АВЛИГЫН ЭСРЭГ 2024 ОНЫ ТӨЛӨВЛӨГӨӨ",
            "",
            "2024.01.20\t\t\tДархан хот",
            header,
            "1\t2\t3\t4",
            "1\tИл тод байдал\t1.1. Мэдээлэх\t-Мэдээлсэн байх",
            "",
            header,
            "1\t2\t3\t4",
            "\t\t1.2. Байршуулах\t-Байршуулсан байх",
        )
    )
    assert document.title == (
        "ДАРХАН-УУЛ АЙМГИЙН ЗАСАГ ДАРГЫН ТАМГЫН ГАЗРЫН АВЛИГЫН ЭСРЭГ 2024 ОНЫ ТӨЛӨВЛӨГӨӨ"
    )
    assert document.basis == (
        "Засаг даргын 2024 оны 1 дүгээр сарын 15-ны өдрийн 12 дугаар захирамжийн хавсралт"
    )
    assert [s.to_dict() for s in document.signatures] == [
        {"label": "БАТЛАВ", "title": "ЗАСАГ ДАРГА", "name": "Б.БОЛД"}
    ]
    assert document.approved_on == dt.date(2024, 1, 20)
    assert document.place == "Дархан хот"
    assert [m.code for m in document.measures] == ["1.1", "1.2"]
    kinds = [r.kind for r in reading.rows]
    assert "repeated_header" in kinds and kinds.count("column_numbers") == 2


def test_a_plan_split_over_tables_with_a_goal_heading_between_them():
    header = ["Д/д", "Хэрэгжүүлэх арга хэмжээ", "Шалгуур үзүүлэлт"]
    first = [header, ["ЗОРИЛТ 1. Ил тод байдал", "", ""], ["1.1", "Мэдээлэх", "Мэдээлсэн байх"]]
    second = [header, ["2.1", "Сургалт хийх", "Хийсэн байх"]]
    data = docx_bytes(
        before=[TITLE],
        tables=[(first, [(1, 0, 1, 2)]), (second, [])],
        between=[["ЗОРИЛТ 2. Сургалт"]],
        after=["ХЯНАСАН:", "ХЭЛТСИЙН ДАРГА", "Б.БАТ"],
    )
    document, _reading = read(data)
    assert [(g.number, g.text) for g in document.goals] == [(1, "Ил тод байдал"), (2, "Сургалт")]
    assert [m.code for m in document.measures] == ["1.1", "2.1"]
    assert [s.name for s in document.signatures] == ["Б.БАТ"]


def test_the_plan_sheet_is_found_among_others():
    plan = [
        [TITLE],
        ["Д/д", "Зорилго", "Хэрэгжүүлэх арга хэмжээ", "Шалгуур үзүүлэлт"],
        [1, "Ил тод байдал", "1.1. Мэдээлэх", "Мэдээлсэн байх"],
    ]
    instructions = [["Заавар"], ["Төлөвлөгөөг дараагийн хуудсанд бөглөнө үү."]]
    document, reading = read(xlsx_bytes([("Заавар", instructions, []), ("Төлөвлөгөө", plan, [])]))
    assert reading.table == 2
    assert [m.code for m in document.measures] == ["1.1"]


def test_no_codes_anywhere_numbers_by_position_and_joins_a_cut_row():
    document, _reading = read(
        tsv_bytes(
            TITLE,
            "Зорилт\tХэрэгжүүлэх арга хэмжээ\tХүрэх үр дүн",
            "Ил тод байдал\tШийдвэрийг цахим хуудсанд\tНээлттэй болсон байна",
            "\tбайршуулах\t",
            "\tСамбар ажиллуулах\tМэдээлэл хүрсэн байна",
            "Сургалт\tСургалт хийх\tМэдлэг дээшилсэн байна",
        )
    )
    assert [(m.code, m.text, m.expected_result, m.criteria) for m in document.measures] == [
        ("1.1", "Шийдвэрийг цахим хуудсанд байршуулах", "Нээлттэй болсон байна", []),
        ("1.2", "Самбар ажиллуулах", "Мэдээлэл хүрсэн байна", []),
        ("2.1", "Сургалт хийх", "Мэдлэг дээшилсэн байна", []),
    ]
    assert any("numbered by position" in w for w in document.warnings)


def test_roman_goal_numbers_and_headers_typed_with_slips():
    document, reading = read(
        tsv_bytes(
            TITLE,
            "№\tЗорилго\tХэрэгжүүлэх арга хэмжээ\tГүйцэтгэлийн шалгуур узуулэлт\tХугацаa",
            "I\tИл тод байдал\t1.1. Мэдээлэх\t-Мэдээлсэн байх\tЖилдээ",
            "II\tСургалт\t2.1. Сургалт хийх\t-Хийсэн байх\tIII улиралд",
        )
    )
    assert [c.role for c in reading.columns] == ["number", "goal", "measure", "criteria", "due"]
    assert [(g.number, g.text) for g in document.goals] == [(1, "Ил тод байдал"), (2, "Сургалт")]


def test_measure_numbers_that_restart_under_each_goal_get_the_goal_in_front():
    document, _reading = read(
        tsv_bytes(
            TITLE,
            "Зорилт\tд/д\tХэрэгжүүлэх арга хэмжээ",
            "Ил тод байдал\t1\tМэдээлэх",
            "\t2\tБайршуулах",
            "Сургалт\t1\tСургалт хийх",
        )
    )
    assert [m.code for m in document.measures] == ["1.1", "1.2", "2.1"]
    assert any("start again under each goal" in w for w in document.warnings)


def test_a_table_without_a_plan_header_is_refused_saying_what_was_found():
    with pytest.raises(PlanImportError) as exc:
        read(docx_bytes(before=[TITLE], tables=[([["Нэр", "Утас"], ["Бат", "99119911"]], [])]))
    message = str(exc.value)
    assert "No plan table found" in message
    assert "table 1: 2 rows × 2 columns" in message
    assert exc.value.reading is not None and exc.value.reading.grid is not None


def test_a_refusal_is_in_mongolian_too():
    with translation.override("mn"), pytest.raises(PlanImportError) as exc:
        read_plan(docx_bytes(before=[TITLE], tables=[([["Нэр", "Утас"], ["Бат", "9911"]], [])]))
    assert "Төлөвлөгөөний хүснэгт олдсонгүй" in str(exc.value)


def test_choices_correct_what_the_header_misleads():
    rows = tsv_bytes(
        TITLE,
        "Үйл ажиллагаа\tАрга хэмжээ\tШалгуур",
        "Ил тод байдал\t1.1. Мэдээлэх\tМэдээлсэн байх",
        "\t1.2. Байршуулах\tБайршуулсан байх",
    )
    document, reading = read(rows)
    assert [c.role for c in reading.columns] == ["activity", "measure", "criteria"]
    document, reading = read(rows, columns={"1": "goal"})
    assert [(g.number, g.text) for g in document.goals] == [(1, "Ил тод байдал")]
    assert reading.columns[0].source == "choice"
    assert not document.goals[0].activities


def test_several_measures_in_one_cell_become_one_measure_each():
    rows = [
        ["Д/д", "Зорилго", "Хэрэгжүүлэх арга хэмжээ", "Шалгуур үзүүлэлт"],
        [
            "1",
            "Ил тод байдал",
            "1.1. Мэдээлэх\n1.2. Байршуулах\nдараа нь шинэчлэх",
            "- Хийсэн байх",
        ],
    ]
    document, _reading = read(docx_bytes(before=[TITLE], tables=[(rows, [])]))
    assert [(m.code, m.text, m.criteria) for m in document.measures] == [
        ("1.1", "Мэдээлэх", ["Хийсэн байх"]),
        ("1.2", "Байршуулах дараа нь шинэчлэх", []),
    ]
    assert any("1.1, 1.2" in w for w in document.warnings)


def test_a_bullet_typed_before_an_uncoded_measure_is_not_its_text():
    document, _reading = read(
        tsv_bytes(
            TITLE,
            "Зорилт\tХэрэгжүүлэх арга хэмжээ\tХүрэх үр дүн",
            "Ил тод байдал\t- Мэдээлэх\tМэдсэн байна",
        )
    )
    assert document.measures[0].text == "Мэдээлэх"


def test_two_headings_in_a_row_are_a_direction_over_a_goal():
    document, reading = read(
        tsv_bytes(
            TITLE,
            "Д/д\tХэрэгжүүлэх арга хэмжээ\tШалгуур үзүүлэлт",
            "I. ЁС ЗҮЙН ЧИГЛЭЛ",
            "Зорилт 1. Удирдлагын манлайлал",
            "1.1\tТанилцуулах\t-Танилцуулсан байх",
            "Зорилт 2. Сургалт",
            "2.1\tСургалт хийх\t-Хийсэн байх",
        )
    )
    # Both goals stand under the direction.
    assert [(g.number, g.heading, g.text) for g in document.goals] == [
        (1, "ЁС ЗҮЙН ЧИГЛЭЛ", "Удирдлагын манлайлал"),
        (2, "ЁС ЗҮЙН ЧИГЛЭЛ", "Сургалт"),
    ]
    assert [r.kind for r in reading.rows[2:]] == ["heading", "goal", "measure", "goal", "measure"]


def test_a_goal_cell_alone_on_its_row_starts_a_goal_even_when_headed():
    document, _reading = read(
        tsv_bytes(
            TITLE,
            "Зорилт\tХэрэгжүүлэх арга хэмжээ\tШалгуур үзүүлэлт",
            "Зорилт 1. Ил тод байдал\t\t",
            "\t1.1. Мэдээлэх\t-Мэдээлсэн байх",
            "Зорилт 2. Сургалт\t\t",
            "\t2.1. Сургалт хийх\t-Хийсэн байх",
        )
    )
    assert [(g.number, g.heading, g.text) for g in document.goals] == [
        (1, "", "Ил тод байдал"),
        (2, "", "Сургалт"),
    ]


def test_tab_text_saved_by_excel_keeps_a_quoted_cell_whole():
    document, _reading = read(
        tsv_bytes(
            TITLE,
            "Д/д\tЗорилго\tХэрэгжүүлэх арга хэмжээ\tШалгуур үзүүлэлт\tХугацаа",
            '1\tИл тод байдал\t1.1. Мэдээлэх\t"-Мэдээлсэн байх\n-Тайлагнасан ""110"" байх"'
            "\tСар бүр",
            "\t\t1.2. Байршуулах\t-Байршуулсан байх\tЖилдээ",
        )
    )
    first, second = document.measures
    assert first.criteria == ["Мэдээлсэн байх", 'Тайлагнасан "110" байх']
    assert (first.due, second.due) == ("Сар бүр", "Жилдээ")


def test_numbers_that_number_goals_in_a_table_without_codes():
    document, _reading = read(
        tsv_bytes(
            TITLE,
            "Д/д\tЗорилго\tХэрэгжүүлэх арга хэмжээ\tШалгуур үзүүлэлт",
            "1\tСургалт\tШинэ албан хаагчдыг хамруулах\t1. Хамруулсан байх 2. Нотломжтой байх",
            "\t\tУдирдах ажилтныг хамруулах\t-Хамруулсан байх",
            "2\tИл тод байдал\tМэдээлэх\t-Мэдээлсэн байх",
        )
    )
    assert [(m.code, m.criteria) for m in document.measures] == [
        ("1.1", ["Хамруулсан байх", "Нотломжтой байх"]),
        ("1.2", ["Хамруулсан байх"]),
        ("2.1", ["Мэдээлсэн байх"]),
    ]


def test_a_goal_repeated_on_every_row_with_row_numbers():
    document, _reading = read(
        tsv_bytes(
            TITLE,
            "№\tЗорилт\tХэрэгжүүлэх арга хэмжээ",
            "1\tИл тод байдал\t1.1. Мэдээлэх",
            "2\tИл тод байдал\t1.2. Байршуулах",
            "3\tСургалт\t2.1. Сургалт хийх",
        )
    )
    assert [(g.number, [m.code for m in g.measures]) for g in document.goals] == [
        (1, ["1.1", "1.2"]),
        (2, ["2.1"]),
    ]
    assert not any("stands under goal" in w for w in document.warnings)


def test_excel_number_cells_read_as_the_sheet_shows_them():
    rows = [[TITLE], ["Д/д", "Хэрэгжүүлэх арга хэмжээ", "Зорилтот түвшин"], ["ЗОРИЛТ 1. Ил тод"]]
    rows += [[1 + k / 10, f"Ажил {k}", 1.0] for k in range(1, 10)] + [[1.1, "Ажил 10", 0.5]]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([("Sheet", rows, [])])))
    for row in book.active.iter_rows(min_row=4):
        row[2].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    document, _reading = read(out.getvalue())
    assert [m.code for m in document.measures][-2:] == ["1.9", "1.10"]  # Excel shows 1.1
    assert document.measures[0].target == "100%"
    assert any("1.10" in w for w in document.warnings)


def test_a_note_between_two_parts_of_a_table_is_no_heading():
    header = ["Д/д", "Зорилго", "Хэрэгжүүлэх арга хэмжээ"]
    data = docx_bytes(
        before=[TITLE],
        tables=[
            ([header, ["1", "Ил тод байдал", "1.1. Мэдээлэх"]], []),
            ([header, ["2", "Сургалт", "2.1. Сургалт хийх"]], []),
        ],
        between=[["(хүснэгтийн үргэлжлэл)"]],
    )
    document, _reading = read(data)
    assert [(g.number, g.heading) for g in document.goals] == [(1, ""), (2, "")]


def test_a_document_without_a_title_is_named_from_its_year():
    from shudarga.plans.documents.reading import read_valid_plan

    data = tsv_bytes("Д/д\tЗорилго\tХэрэгжүүлэх арга хэмжээ", "1\tИл тод\t1.1. Мэдээлэх")
    document, _reading = read_valid_plan(data, year=2024)
    assert document.title == "2024 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ"
    assert any("no title" in w for w in document.warnings)


def test_windows_cyrillic_text_is_refused_saying_so():
    data = "\n".join(["2024 ОНЫ АВЛИГЫН ЭСРЭГ ТӨЛӨВЛӨГӨӨ", "Д/д\tЗорилго\tАрга хэмжээ"] * 3)
    with pytest.raises(PlanImportError, match="Windows-1251"):
        read(data.replace("Ө", "О").encode("cp1251"))
