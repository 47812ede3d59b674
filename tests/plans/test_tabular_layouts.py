"""The importer takes the other layouts real plans use, not only the seed's."""

from __future__ import annotations

import io

import docx
import openpyxl

from shudarga.plans.documents import docx_format, text_format, xlsx_format
from shudarga.plans.documents.model import PlanDocument

TITLE = "2024 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ"
FOUR = "Д/д\tЗорилго\tХэрэгжүүлэх арга хэмжээ\tГүйцэтгэлийн шалгуур үзүүлэлт"
THREE = "Д/д\tХэрэгжүүлэх арга хэмжээ\tГүйцэтгэлийн шалгуур үзүүлэлт"


def read_tsv(*lines: str) -> PlanDocument:
    return text_format.read("\n".join(lines).encode("utf-8"))


def measures(document: PlanDocument) -> list[tuple[str, str, list[str]]]:
    return [(m.code, m.text, m.criteria) for m in document.measures]


def goals(document: PlanDocument) -> list[tuple[int, str]]:
    return [(g.number, g.text) for g in document.goals]


# -- objectives as heading rows -----------------------------------------------------------


def test_it_reads_zorilt_heading_lines_inside_the_table() -> None:
    document = read_tsv(
        TITLE,
        THREE,
        "1\t2\t3",
        "ЗОРИЛТ 1. Ил тод байдлыг нэмэгдүүлэх",
        "\t1.1. Шийдвэрийг цахим хуудсанд байршуулах\t-Байршуулсан байх",
        "\t1.2. Самбар ажиллуулах\t-Ажиллуулсан байх -Сар бүр шинэчилсэн байх",
        "ЗОРИЛТ 2. Сургалт зохион байгуулах",
        "\t2.1. Ёс зүйн сургалт хийх\t-2-оос доошгүй сургалт хийсэн байх",
    )
    assert goals(document) == [(1, "Ил тод байдлыг нэмэгдүүлэх"), (2, "Сургалт зохион байгуулах")]
    assert measures(document) == [
        ("1.1", "Шийдвэрийг цахим хуудсанд байршуулах", ["Байршуулсан байх"]),
        ("1.2", "Самбар ажиллуулах", ["Ажиллуулсан байх", "Сар бүр шинэчилсэн байх"]),
        ("2.1", "Ёс зүйн сургалт хийх", ["2-оос доошгүй сургалт хийсэн байх"]),
    ]
    assert document.warnings == []


def test_it_reads_ordinal_headings() -> None:
    document = read_tsv(
        TITLE,
        THREE,
        "Нэг. Ил тод байдлыг нэмэгдүүлэх",
        "\t1.1. Шийдвэрийг байршуулах\t-Байршуулсан байх",
        "Хоёр. Сургалт зохион байгуулах",
        "\t2.1. Сургалт хийх\t-Хийсэн байх",
    )
    assert goals(document) == [(1, "Ил тод байдлыг нэмэгдүүлэх"), (2, "Сургалт зохион байгуулах")]
    assert [m.code for m in document.measures] == ["1.1", "2.1"]


def test_it_reads_codes_in_the_number_column_and_text_in_the_measure_column() -> None:
    document = read_tsv(
        TITLE,
        THREE,
        "ЗОРИЛТ 1. Ил тод байдлыг нэмэгдүүлэх",
        "1.1\tШийдвэрийг байршуулах\t-Байршуулсан байх",
        "1.2.\tСамбар ажиллуулах\t-Ажиллуулсан байх",
    )
    assert measures(document) == [
        ("1.1", "Шийдвэрийг байршуулах", ["Байршуулсан байх"]),
        ("1.2", "Самбар ажиллуулах", ["Ажиллуулсан байх"]),
    ]
    assert document.warnings == []


def test_it_reads_a_numbered_goal_row_in_a_table_without_a_goal_column() -> None:
    document = read_tsv(
        TITLE,
        THREE,
        "1\tИл тод байдлыг нэмэгдүүлэх\t",
        "1.1\tШийдвэрийг байршуулах\t-Байршуулсан байх",
        "2\tСургалт зохион байгуулах\t",
        "\t2.1. Сургалт хийх\t-Хийсэн байх",
    )
    assert goals(document) == [(1, "Ил тод байдлыг нэмэгдүүлэх"), (2, "Сургалт зохион байгуулах")]
    assert measures(document) == [
        ("1.1", "Шийдвэрийг байршуулах", ["Байршуулсан байх"]),
        ("2.1", "Сургалт хийх", ["Хийсэн байх"]),
    ]


# -- three levels -------------------------------------------------------------------------


def test_it_reads_three_level_codes_with_a_legal_basis_in_the_activity_cell() -> None:
    document = read_tsv(
        TITLE,
        FOUR,
        "1\t2\t3\t4",
        "1\tИл тод байдлыг нэмэгдүүлэх\t1.1. Шийдвэрийг нээлттэй болгох. Эрх зүйн үндэслэл: "
        "Мэдээллийн ил тод байдлын тухай хуулийн 6.1\t",
        "\t\t1.1.1. Цахим хуудсанд байршуулах\t-Байршуулсан байх",
        "\t\t1.1.2. Бүртгэл хөтлөх\t-Хөтөлсөн байх",
        "\t\t1.2. Самбар ажиллуулах\t",
        "\t\t1.2.1. Самбарт байршуулах\t-Байршуулсан байх",
    )
    goal = document.goals[0]
    assert [a.to_dict() for a in goal.activities] == [
        {
            "code": "1.1",
            "text": "Шийдвэрийг нээлттэй болгох.",
            "legal_basis": "Мэдээллийн ил тод байдлын тухай хуулийн 6.1",
        },
        {"code": "1.2", "text": "Самбар ажиллуулах", "legal_basis": ""},
    ]
    assert [(m.code, m.activity, m.text) for m in goal.measures] == [
        ("1.1.1", "1.1", "Цахим хуудсанд байршуулах"),
        ("1.1.2", "1.1", "Бүртгэл хөтлөх"),
        ("1.2.1", "1.2", "Самбарт байршуулах"),
    ]
    document.validate()


def test_it_splits_criteria_at_middle_dot_and_bullet() -> None:
    document = read_tsv(
        TITLE,
        FOUR,
        "1\tИл тод байдал\t1.1. Байршуулах\t· Байршуулсан байх · Сар бүр шинэчилсэн байх",
        "\t\t1.2. Мэдээлэх\t•Мэдээлсэн байх •2023-2024 онд тайлагнасан байх",
    )
    assert [m.criteria for m in document.measures] == [
        ["Байршуулсан байх", "Сар бүр шинэчилсэн байх"],
        ["Мэдээлсэн байх", "2023-2024 онд тайлагнасан байх"],
    ]


# -- optional columns ---------------------------------------------------------------------


def test_it_finds_optional_columns_by_header_in_any_order() -> None:
    document = read_tsv(
        TITLE,
        "Дархан-Уул аймаг",
        "Д/д\tХэрэгжүүлэх арга хэмжээ\tХариуцах нэгж\tЗорилтот түвшин\tГүйцэтгэлийн шалгуур "
        "үзүүлэлт\tСуурь түвшин\tХэрэгжих хугацаа",
        "1\t2\t3\t4\t5\t6\t7",
        "ЗОРИЛТ 1. Ил тод байдлыг нэмэгдүүлэх",
        "1.1\tМэдээллийг нээлттэй болгох. Эрх зүйн үндэслэл: Авлигын эсрэг хууль, 8.1\t\t\t\t\t",
        "1.1.1\tЦахим хуудсанд байршуулах\tХүний нөөцийн алба\t100%\t-Байршуулсан байх\t80%\t"
        "Жилдээ",
        "1.1.2\tСамбарт байршуулах\tЗахиргааны хэлтэс\t1\t-Байршуулсан байх\t0\tI улирал",
    )
    first, second = document.measures
    assert (first.responsible, first.target, first.baseline, first.due) == (
        "Хүний нөөцийн алба",
        "100%",
        "80%",
        "Жилдээ",
    )
    assert (second.responsible, second.target, second.baseline, second.due) == (
        "Захиргааны хэлтэс",
        "1",
        "0",
        "I улирал",
    )
    assert first.criteria == ["Байршуулсан байх"]
    assert first.text == "Цахим хуудсанд байршуулах"
    assert document.goals[0].activities[0].legal_basis == "Авлигын эсрэг хууль, 8.1"
    assert document.place == "Дархан-Уул аймаг"
    assert document.warnings == []


# -- Word ---------------------------------------------------------------------------------


def _docx_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _plan_docx_with_heading_rows() -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph(TITLE)
    headers = ["Д/д", "Хэрэгжүүлэх арга хэмжээ", "Шалгуур үзүүлэлт", "Хариуцах нэгж"]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text

    def heading(text: str) -> None:
        cells = table.add_row().cells
        cells[0].merge(cells[-1]).text = text  # one cell across the whole table

    def row(*paragraphs: list[str]) -> None:
        for cell, texts in zip(table.add_row().cells, paragraphs, strict=True):
            cell.text = texts[0] if texts else ""
            for text in texts[1:]:
                cell.add_paragraph(text)

    heading("ЗОРИЛТ 1. Ил тод байдлыг нэмэгдүүлэх")
    row(["1.1"], ["Шийдвэрийг нээлттэй болгох", "Эрх зүйн үндэслэл: Хуулийн 6.1"], [], [])
    row(["1.1.1"], ["Цахим хуудсанд байршуулах"], ["• Байршуулсан байх", "• Шинэчилсэн"], ["ХН"])
    row(["1.1.2"], ["Бүртгэл хөтлөх"], ["• Хөтөлсөн байх"], ["Захиргаа"])
    heading("ЗОРИЛТ 2. Сургалт зохион байгуулах")
    row(["2.1"], ["Сургалт"], [], [])
    row(["2.1.1"], ["Ёс зүйн сургалт хийх"], ["• Хийсэн байх"], ["ХН"])
    return document


def test_it_reads_a_docx_with_objective_rows_spanning_all_columns() -> None:
    document = docx_format.read(_docx_bytes(_plan_docx_with_heading_rows()))
    assert goals(document) == [(1, "Ил тод байдлыг нэмэгдүүлэх"), (2, "Сургалт зохион байгуулах")]
    assert [a.to_dict() for a in document.goals[0].activities] == [
        {"code": "1.1", "text": "Шийдвэрийг нээлттэй болгох", "legal_basis": "Хуулийн 6.1"}
    ]
    assert [(m.code, m.activity, m.text, m.criteria, m.responsible) for m in document.measures] == [
        ("1.1.1", "1.1", "Цахим хуудсанд байршуулах", ["Байршуулсан байх", "Шинэчилсэн"], "ХН"),
        ("1.1.2", "1.1", "Бүртгэл хөтлөх", ["Хөтөлсөн байх"], "Захиргаа"),
        ("2.1.1", "2.1", "Ёс зүйн сургалт хийх", ["Хийсэн байх"], "ХН"),
    ]
    assert document.warnings == []
    document.validate()


# -- signatures ---------------------------------------------------------------------------

SIDE_BY_SIDE = [
    {"label": "ХЯНАСАН", "title": "ЗАХИРГААНЫ ХЭЛТСИЙН ДАРГА", "name": "Х.СОДНОМ"},
    {"label": "БОЛОВСРУУЛСАН", "title": "ЁС ЗҮЙН ЗӨВЛӨХ", "name": "Б.ЭНХ"},
]
SIDE_BY_SIDE_ROWS = [
    ["ХЯНАСАН:", "БОЛОВСРУУЛСАН:"],
    ["ЗАХИРГААНЫ ХЭЛТСИЙН ДАРГА", "ЁС ЗҮЙН ЗӨВЛӨХ"],
    ["Х.СОДНОМ", "Б.ЭНХ"],
]


def test_it_reads_signers_side_by_side_in_tab_text() -> None:
    document = read_tsv(
        TITLE,
        FOUR,
        "1\tИл тод байдал\t1.1. Байршуулах\t-Байршуулсан байх",
        "",
        *("\t".join(row) for row in SIDE_BY_SIDE_ROWS),
    )
    assert [s.to_dict() for s in document.signatures] == SIDE_BY_SIDE
    assert document.goals[0].text == "Ил тод байдал"


def test_it_reads_signers_side_by_side_in_a_docx_table() -> None:
    document = _plan_docx_with_heading_rows()
    document.add_paragraph("")
    signatures = document.add_table(rows=3, cols=2)
    for row, texts in zip(signatures.rows, SIDE_BY_SIDE_ROWS, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    plan = docx_format.read(_docx_bytes(document))
    assert [s.to_dict() for s in plan.signatures] == SIDE_BY_SIDE


def test_it_reads_a_docx_signature_table_with_names_on_the_right() -> None:
    document = _plan_docx_with_heading_rows()
    signatures = document.add_table(rows=4, cols=2)
    for row, texts in zip(
        signatures.rows,
        [
            ["ХЯНАСАН:", ""],
            ["ЗАХИРГААНЫ ХЭЛТСИЙН ДАРГА", "Х.СОДНОМ"],
            ["БОЛОВСРУУЛСАН:", ""],
            ["ЁС ЗҮЙН ЗӨВЛӨХ", "Б.ЭНХ"],
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    plan = docx_format.read(_docx_bytes(document))
    assert [s.to_dict() for s in plan.signatures] == SIDE_BY_SIDE


def test_it_reads_signers_side_by_side_in_a_sheet() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([TITLE])
    sheet.append(FOUR.split("\t"))
    sheet.append([1, "Ил тод байдал", "1.1. Байршуулах", "-Байршуулсан байх"])
    sheet.append([])
    for left, right in SIDE_BY_SIDE_ROWS:
        sheet.append([None, left, None, right])
    out = io.BytesIO()
    workbook.save(out)
    plan = xlsx_format.read(out.getvalue())
    assert [s.to_dict() for s in plan.signatures] == SIDE_BY_SIDE
