"""What the writers produce reads back as the same plan, and is a sound file."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from shudarga.plans.documents import docx_format, json_format, xlsx_format
from shudarga.plans.documents.model import (
    DocActivity,
    DocGoal,
    DocMeasure,
    DocSignature,
    PlanDocument,
)
from shudarga.plans.documents.reading import read_plan_document
from tests.plans import builders

FORMATS: dict[str, tuple[Callable[..., bytes], Callable[[bytes], PlanDocument]]] = {
    "docx": (docx_format.write, docx_format.read),
    "xlsx": (xlsx_format.write, xlsx_format.read),
    "json": (json_format.write, json_format.read),
}
ORGANIZATION = "Нийслэлийн Засаг даргын Тамгын газар"


def three_level_document() -> PlanDocument:
    """Two goals, activities with a legal basis, three-level measures, every extra column;
    some criteria start with characters a spreadsheet would take for a formula."""
    return PlanDocument(
        title="2024 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ",
        year=2024,
        approved_on=dt.date(2024, 2, 1),
        place="Дархан-Уул аймаг",
        goals=[
            DocGoal(
                number=1,
                text="Байгууллагын ил тод байдлыг нэмэгдүүлэх",
                activities=[
                    DocActivity(
                        code="1.1",
                        text="Шийдвэрийг нээлттэй болгох",
                        legal_basis="Мэдээллийн ил тод байдлын тухай хуулийн 6.1",
                    ),
                    DocActivity(code="1.2", text="Мэдээллийн самбар ажиллуулах"),
                ],
                measures=[
                    DocMeasure(
                        code="1.1.1",
                        text="Тушаал шийдвэрийг цахим хуудсанд байршуулах",
                        criteria=['=HYPERLINK("http://x")', "+1 удаа", "@хаяг шинэчилсэн"],
                        activity="1.1",
                        due="Жилдээ",
                        responsible="Хүний нөөцийн алба",
                        baseline="50%",
                        target="100%",
                    ),
                    DocMeasure(
                        code="1.1.2",
                        text="Шийдвэрийн бүртгэл хөтлөх",
                        criteria=["Бүртгэл хөтөлсөн байх"],
                        activity="1.1",
                        due="Сар бүр",
                    ),
                    DocMeasure(
                        code="1.2.1",
                        text="Самбарт 110 дугаарыг байршуулах",
                        activity="1.2",
                        responsible="Захиргааны хэлтэс",
                        target="1",
                    ),
                ],
            ),
            DocGoal(
                number=2,
                text="Сургалт зохион байгуулах",
                activities=[DocActivity(code="2.1", text="Шинэ албан хаагчдыг сургах")],
                measures=[
                    DocMeasure(
                        code="2.1.1",
                        text="Ёс зүйн сургалтад хамруулах",
                        criteria=["Хамруулсан байх", "Тайланд нотломж хавсаргасан байх"],
                        activity="2.1",
                        baseline="0",
                        target="20",
                    )
                ],
            ),
        ],
        signatures=[
            DocSignature(label="БАТЛАВ", title="ДАРГА", name="Б.БОЛД"),
            DocSignature(label="БОЛОВСРУУЛСАН", title="ЁС ЗҮЙН ЗӨВЛӨХ", name="Д.ДОРЖ"),
        ],
    )


@pytest.fixture(scope="module")
def seed() -> PlanDocument:
    return builders.seed_document()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_it_round_trips_the_seed(seed: PlanDocument, fmt: str) -> None:
    write, read = FORMATS[fmt]
    assert read(write(seed)).to_dict() == seed.to_dict()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_it_round_trips_a_three_level_plan(fmt: str) -> None:
    document = three_level_document()
    write, read = FORMATS[fmt]
    back = read(write(document))
    assert back.to_dict() == document.to_dict()
    assert back.goals[0].activities[0].legal_basis == "Мэдээллийн ил тод байдлын тухай хуулийн 6.1"
    assert back.measures[0].baseline == "50%"


def published_plan_document() -> PlanDocument:
    """What the importer reads from other organizations' plans: the annex line, an approval
    block, direction headings, activities numbered on their own, measures with an expected
    result and columns the official table does not have."""
    return PlanDocument(
        title="ОРХОН АЙМГИЙН АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ 2016 ОНЫ ТӨЛӨВЛӨГӨӨ",
        year=2016,
        approved_on=dt.date(2016, 1, 20),
        place="Эрдэнэт хот",
        basis="Аймгийн Засаг даргын 2016 оны 1 дүгээр сарын 20-ны өдрийн 15 дугаар "
        "захирамжийн хавсралт",
        goals=[
            DocGoal(
                number=1,
                heading="Удирдлагын манлайллыг хэрэгжүүлэх чиглэлээр:",
                text="Удирдлага, зохион байгуулалт",
                activities=[DocActivity(code="1", text="Төлөвлөх")],
                measures=[
                    DocMeasure(
                        code="1.1",
                        text="Төлөвлөгөө батлах",
                        activity="1",
                        due="I улиралд",
                        expected_result="Батлагдсан байна.",
                        other={"Төсөв": "500.0 мянга"},
                    ),
                    DocMeasure(code="1.2", text="Тайлагнах", activity="1", due="Жилийн эцэст"),
                ],
            ),
            DocGoal(
                number=2,
                heading="Ил тод байдлын чиглэлээр:",
                text="Ил тод байдал",
                measures=[
                    DocMeasure(
                        code="2.1",
                        text="Мэдээлэх",
                        criteria=["Мэдээлсэн байх"],
                        expected_result="Иргэд мэдсэн байна.",
                    )
                ],
            ),
        ],
        signatures=[
            DocSignature(label="БАТЛАВ", title="АЙМГИЙН ЗАСАГ ДАРГА", name="С.ДАНГААСҮРЭН"),
            DocSignature(label="БОЛОВСРУУЛСАН", title="ХУУЛЬ ЗҮЙН ХЭЛТЭС", name="Б.БАТ"),
        ],
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_it_round_trips_what_other_organizations_plans_have(fmt: str) -> None:
    document = published_plan_document()
    write, read = FORMATS[fmt]
    back = read(write(document))
    assert back.to_dict() == document.to_dict()


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_it_round_trips_with_the_organization_line(seed: PlanDocument, fmt: str) -> None:
    write, read = FORMATS[fmt]
    data = write(seed, organization_name=ORGANIZATION)
    assert read(data).to_dict() == seed.to_dict()
    assert read_plan_document(data).to_dict() == seed.to_dict()  # sniffed by content


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_it_round_trips_a_goal_without_measures_and_no_date(fmt: str) -> None:
    document = PlanDocument(
        title="2025 ОНЫ ТӨЛӨВЛӨГӨӨ",
        year=2025,
        approved_on=None,
        place="",
        goals=[
            DocGoal(number=1, text="Эхний зорилго", measures=[DocMeasure("1.1", "Хийх", [])]),
            DocGoal(number=2, text="Хоосон зорилго"),
        ],
    )
    write, read = FORMATS[fmt]
    assert read(write(document)).to_dict() == document.to_dict()


# -- DOCX layout ------------------------------------------------------------------------


def _docx(document: PlanDocument, **kwargs: str) -> docx.document.Document:
    return docx.Document(io.BytesIO(docx_format.write(document, **kwargs)))


def test_it_writes_docx_on_a4_landscape(seed: PlanDocument) -> None:
    section = _docx(seed).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert round(section.page_width.cm, 1) == 29.7


def test_it_writes_docx_header_lines(seed: PlanDocument) -> None:
    texts = [p.text for p in _docx(seed, organization_name=ORGANIZATION).paragraphs]
    assert texts[:4] == [
        ORGANIZATION,
        "",  # so a name in capitals is not read as the title's first line
        "2023 оны 10 дугаар сарын 10",
        "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ",
    ]


def test_it_writes_docx_table_header_repeating_then_column_numbers(seed: PlanDocument) -> None:
    table = _docx(seed).tables[1]  # the first holds the date and the place
    assert [c.text for c in table.rows[0].cells] == builders.FOUR_HEADERS
    assert [c.text for c in table.rows[1].cells] == ["1", "2", "3", "4"]
    assert table.style.name == "Table Grid"
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None


def test_it_writes_docx_extra_columns_only_when_used(seed: PlanDocument) -> None:
    assert len(_docx(seed).tables[1].columns) == 4
    table = _docx(three_level_document()).tables[1]
    assert [c.text for c in table.rows[0].cells][2] == "Үндсэн үйл ажиллагаа"
    assert [c.text for c in table.rows[0].cells][5:] == [
        "Хугацаа",
        "Хариуцах нэгж",
        "Суурь түвшин",
        "Зорилтот түвшин",
    ]


def test_it_merges_docx_goal_cells_over_the_goals_rows(seed: PlanDocument) -> None:
    table = _docx(seed).tables[1]
    goal_one_rows = table.rows[2:6]  # measures 1.1-1.4
    assert {row.cells[0].text for row in goal_one_rows} == {"1"}
    assert {row.cells[1]._tc for row in goal_one_rows} == {goal_one_rows[0].cells[1]._tc}
    assert table.rows[6].cells[0].text == "2"


def test_it_writes_docx_activities_beside_their_measures_with_legal_basis() -> None:
    table = _docx(three_level_document()).tables[1]
    activity = table.rows[2].cells[2]
    assert [p.text for p in activity.paragraphs] == [
        "1.1. Шийдвэрийг нээлттэй болгох",
        "Эрх зүйн үндэслэл: Мэдээллийн ил тод байдлын тухай хуулийн 6.1",
    ]
    assert table.rows[3].cells[2]._tc is activity._tc  # merged over its two measures
    assert table.rows[2].cells[3].text == "1.1.1. Тушаал шийдвэрийг цахим хуудсанд байршуулах"
    assert [p.text for p in table.rows[2].cells[4].paragraphs][1:] == [
        "-+1 удаа",
        "-@хаяг шинэчилсэн",
    ]


def test_it_writes_docx_signature_blocks_after_the_table(seed: PlanDocument) -> None:
    texts = [p.text for p in _docx(seed).paragraphs]
    start = texts.index("ХЯНАСАН:")
    assert texts[start : start + 8] == [
        "ХЯНАСАН:",
        "ЗАХИРГАА САНХҮҮГИЙН ХЭЛТСИЙН ДАРГЫН АЛБАН ҮҮРГИЙН ТҮР ОРЛОН ГҮЙЦЭТГЭГЧ",
        "Х.СОДНОМДЭМБЭРЭЛ",
        "",
        "БОЛОВСРУУЛСАН:",
        "ХҮНИЙ НӨӨЦ, ЁС ЗҮЙ, ДОТООД АЖИЛ ХАРИУЦСАН МЭРГЭЖИЛЭН",
        "Б.ЭНХЦЭЦЭГ",
        "",
    ]


def test_it_names_a_cyrillic_font_for_every_script(seed: PlanDocument) -> None:
    document = _docx(seed)
    fonts = document.styles.element.find(qn("w:docDefaults")).find(
        f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    assert fonts.get(qn("w:asciiTheme")) is None


# -- XLSX layout ------------------------------------------------------------------------


def _sheet(document: PlanDocument, **kwargs: str):
    return openpyxl.load_workbook(io.BytesIO(xlsx_format.write(document, **kwargs))).active


def _find_row(sheet, text: str) -> int:
    return next(c.row for row in sheet.iter_rows() for c in row if c.value == text)


def test_it_stores_xlsx_text_that_looks_like_a_formula_as_text() -> None:
    data = xlsx_format.write(three_level_document())
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active  # formulas kept, not evaluated
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if c.value.startswith(("=", "+", "-", "@"))]
    assert any(c.value.startswith("-=HYPERLINK") for c in risky)
    assert all(c.data_type == "s" for c in risky)
    assert not [c for c in texts if c.value.startswith("=") and c.data_type != "s"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_it_stores_a_text_cell_starting_with_equals_as_text() -> None:
    document = three_level_document()
    document.goals[1].text = "=1+1 гэж бичсэн зорилго"
    sheet = _sheet(document)
    cell = sheet.cell(row=_find_row(sheet, "=1+1 гэж бичсэн зорилго"), column=2)
    assert cell.data_type == "s"
    assert xlsx_format.read(xlsx_format.write(document)).goals[1].text == document.goals[1].text


def test_it_writes_xlsx_header_lines_merged_across_the_table(seed: PlanDocument) -> None:
    sheet = _sheet(seed, organization_name=ORGANIZATION)
    assert sheet["A1"].value == ORGANIZATION
    title_row = _find_row(sheet, seed.title)
    assert f"A{title_row}:D{title_row}" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.cell(row=title_row, column=1).font.b


def test_it_writes_xlsx_table_with_print_and_freeze_settings(seed: PlanDocument) -> None:
    sheet = _sheet(seed)
    header = _find_row(sheet, "Д/д")
    assert [sheet.cell(row=header, column=i).value for i in range(1, 5)] == builders.FOUR_HEADERS
    assert [sheet.cell(row=header + 1, column=i).value for i in range(1, 5)] == [1, 2, 3, 4]
    assert sheet.cell(row=header, column=1).font.b
    assert sheet.freeze_panes == f"A{header + 2}"
    assert sheet.print_title_rows.replace("$", "") == f"{header}:{header + 1}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.cell(row=header + 2, column=3).alignment.wrap_text
    assert sheet.cell(row=header + 2, column=3).border.left.style == "thin"


def test_it_merges_xlsx_goal_cells_and_joins_criteria_by_line(seed: PlanDocument) -> None:
    sheet = _sheet(seed)
    first = _find_row(sheet, "Д/д") + 2
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"A{first}:A{first + 3}", f"B{first}:B{first + 3}"} <= merged
    assert sheet.cell(row=first, column=4).value == "\n".join(
        f"-{c}" for c in seed.goals[0].measures[0].criteria
    )


def test_it_writes_xlsx_signature_blocks_below_the_table(seed: PlanDocument) -> None:
    sheet = _sheet(seed)
    row = _find_row(sheet, "ХЯНАСАН:")
    assert [sheet.cell(row=row + i, column=2).value for i in range(3)] == [
        "ХЯНАСАН:",
        "ЗАХИРГАА САНХҮҮГИЙН ХЭЛТСИЙН ДАРГЫН АЛБАН ҮҮРГИЙН ТҮР ОРЛОН ГҮЙЦЭТГЭГЧ",
        "Х.СОДНОМДЭМБЭРЭЛ",
    ]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_it_drops_control_characters_that_files_cannot_hold(fmt: str) -> None:
    document = PlanDocument(
        title="2025 ОНЫ ТӨЛӨВЛӨГӨӨ",
        year=2025,
        approved_on=None,
        place="",
        goals=[DocGoal(1, "Зорилго\x07", [DocMeasure("1.1", "Хийх\x0b", ["Хийсэн\x1f байх"])])],
    )
    write, read = FORMATS[fmt]
    back = read(write(document))
    assert (back.goals[0].text, back.measures[0].text) == ("Зорилго", "Хийх")
    assert back.measures[0].criteria == ["Хийсэн байх"]
