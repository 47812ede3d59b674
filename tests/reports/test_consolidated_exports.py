"""The parent body's consolidated report at national scale (issue 18): its PDF prints each
organization as one monospaced line under a header repeated on every page, its Word table
is written as XML in one go; both say exactly what the report's rows say."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from shudarga.reports.consolidated import Consolidated, ConsolidatedRow, consolidated_report
from shudarga.reports.documents import consolidated_docs
from shudarga.reports.ranking import Ranking, RankRow
from tests.reports.test_ranking import aimag  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

LONG_NAME = (
    "Архангай аймгийн Эрдэнэмандал сумын Засаг даргын Тамгын газрын харьяа Ерөнхий "
    "боловсролын сургууль, цэцэрлэг, соёлын төв, эрүүл мэндийн төвийн нэгдсэн захиргаа"
)


def _pdf_lines(content: bytes) -> list[str]:
    command = ["pdftotext", "-layout", "-", "-"]  # poppler-utils
    done = subprocess.run(command, input=content, capture_output=True, check=True)  # noqa: S603
    return done.stdout.decode().split("\n")  # not splitlines(): it splits pages ("\f") too


def _cells(line: str) -> list[str]:
    """A printed organization line's cells, between its rules."""
    return [cell.strip() for cell in line.strip().strip("│").split("│")]


def _big(n: int) -> Consolidated:
    rows = []
    for i in range(n):
        row = RankRow(
            code=f"S{i}", name=LONG_NAME if i == 7 else f"Сум {i:04d}", state="evaluated",
            rank=i + 1, percent=Decimal("70.5") + i % 3, own_percent=Decimal("80.0"),
            approved=True, last_percent=Decimal("65.0"),
        )  # fmt: skip
        timing = "late" if i % 4 == 0 else "on_time"
        rows.append(ConsolidatedRow(row=row, timing=timing, goals={1: Decimal("50.0")}))
    ranking = Ranking(
        organization=SimpleNamespace(name="Архангай аймаг"), year=2023, period="year",
        rows=[r.row for r in rows],
    )  # fmt: skip
    return Consolidated(ranking=ranking, rows=rows, goal_numbers=[1, 2], low=[])


def test_the_pdf_prints_each_organization_s_figures_on_its_line(parent_org, aimag):  # noqa: F811
    c = consolidated_report(organization=parent_org, year=2023, period="year")
    lines = _pdf_lines(consolidated_docs.write_pdf(c))
    printed = [_cells(line) for line in lines if line.strip().startswith("│")]
    assert printed == consolidated_docs.rows(c)  # every cell, in the rows' order
    assert ["—", "Хөвсгөл", "—", "—", "—", "—", "засварт буцаасан", "—", "—"] in printed


def test_a_long_list_repeats_the_header_on_every_page_and_wraps_long_names():
    c = _big(130)
    content = consolidated_docs.write_pdf(c)
    lines = _pdf_lines(content)
    pages = [page for page in "\n".join(lines).split("\f") if page.strip()]
    assert len(pages) >= 3  # 130 organizations take several pages, each under the titles
    assert all("Байр" in page and "Байгууллага" in page for page in pages)
    printed = [_cells(line) for line in lines if line.strip().startswith("│")]
    firsts = [cells for cells in printed if cells[0]]
    assert [cells[1] for cells in firsts if cells[1].startswith("Сум")] == [
        f"Сум {i:04d}" for i in range(130) if i != 7
    ]
    assert len(firsts) == 130 and firsts[3] == consolidated_docs.rows(c)[3]
    # The long name goes on under itself, on lines without figures.
    at = next(i for i, cells in enumerate(printed) if cells[1].startswith("Архангай"))
    name_lines = [printed[at][1]]
    for cells in printed[at + 1 :]:
        if cells[0]:
            break
        assert set(cells[2:]) == {""}
        name_lines.append(cells[1])
    assert len(name_lines) > 1 and " ".join(name_lines) == LONG_NAME


def test_the_word_table_holds_the_rows_as_python_docx_would_write_them(parent_org, aimag):  # noqa: F811
    c = consolidated_report(organization=parent_org, year=2023, period="year")
    word = docx.Document(io.BytesIO(consolidated_docs.write_docx(c)))
    table = word.tables[0]
    got = [[cell.text for cell in row.cells] for row in table.rows]
    assert got == [consolidated_docs.headers(c), *consolidated_docs.rows(c)]
    first = table.rows[1].cells
    assert first[1].paragraphs[0].alignment is None  # the name reads from the left
    assert first[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert first[1].paragraphs[0].runs[0].font.size == Pt(9)
    assert first[1].width == table.rows[0].cells[1].width


def test_the_word_table_of_a_long_list_holds_every_organization():
    c = _big(130)
    table = docx.Document(io.BytesIO(consolidated_docs.write_docx(c))).tables[0]
    assert [row.cells[1].text for row in table.rows][1:] == [r.row.name for r in c.rows]


def test_many_goals_shrink_the_lines_to_the_page_not_past_it():
    c = _big(20)
    c.goal_numbers = list(range(1, 13))
    for entry in c.rows:
        entry.goals = dict.fromkeys(c.goal_numbers, Decimal("66.7"))
    page = consolidated_docs.html(c)
    widths, size = consolidated_docs._widths(c, consolidated_docs.rows(c))
    line = sum(widths) + consolidated_docs._PADDING * len(widths) + 1
    assert size < consolidated_docs.MONO_PT
    assert line * size * consolidated_docs.MONO_ADVANCE <= consolidated_docs.TABLE_PT
    assert widths[1] >= consolidated_docs._NAME_MIN and "Зорилго 12, %" in page
    printed = [
        _cells(line)
        for line in _pdf_lines(consolidated_docs.write_pdf(c))
        if line.strip().startswith("│")
    ]
    firsts = [cells[:1] + cells[2:] for cells in printed if cells[0]]  # the long name wraps
    assert firsts == [values[:1] + values[2:] for values in consolidated_docs.rows(c)]
