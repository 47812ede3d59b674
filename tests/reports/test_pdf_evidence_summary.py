"""The report PDF summarises each measure's evidence (how many files and links, how many
prove a register's row, the newest few and "… бусад N"); the Word document lists the first
fifteen; the JSON and XLSX keep every item (issue 17: a busy organization's PDF in time)."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess

import docx
import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType

from shudarga.reports.exports import report_export
from shudarga.reports.selectors import report_to_document
from tests.factories import EvidenceFactory, TrainingFactory

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    command = ["pdftotext", "-raw", "-", "-"]  # poppler-utils, as the README's checks
    done = subprocess.run(command, input=content, capture_output=True, check=True)  # noqa: S603
    return " ".join(done.stdout.decode().split())


@pytest.fixture
def busy_measure(year_report):
    """Measure 1.1 of the 2023 year report with 20 items: 14 files and 6 links, one day
    apart (the newest on 2023-01-20), two of the files proving a training."""
    measure = year_report.plan.measures.get(code="1.1")
    training = TrainingFactory(organization=year_report.plan.organization)
    training_type = ContentType.objects.get_for_model(training)
    for day in range(1, 21):
        fields = {
            "measure": measure,
            "title": f"Баримт {day:02d}",
            "relates_to": dt.date(2023, 1, day),
        }
        if day <= 14:
            fields.update(as_file=True, original_name=f"barimt-{day:02d}.pdf")
        if day in (3, 4):
            fields.update(register_type=training_type, register_id=training.pk)
        EvidenceFactory(**fields)
    EvidenceFactory(measure=measure, title="Өмнөх оных", relates_to=dt.date(2022, 12, 31))
    return measure


def test_the_pdf_counts_each_kind_and_lists_the_newest_few(year_report, busy_measure):
    text = _pdf_text(report_export(report=year_report, fmt="pdf", layout="official").content)
    assert "Нотломж 20: файл 14, холбоос 6" in text
    assert "Бүртгэлийн мөрийг нотлох — сургалт: 2" in text
    assert "Сүүлийн 3:" in text
    for day in (20, 19, 18):  # the newest three, by the date of the work
        assert f"Баримт {day}" in text
    assert "Баримт 17" not in text and "Баримт 01" not in text
    assert "Өмнөх оных" not in text  # outside the report's period
    assert "… бусад 17 нотломж нотломжийн багцад" in text


def test_a_measure_with_few_items_lists_them_all_without_a_remainder(year_report):
    measure = year_report.plan.measures.get(code="2.1")
    EvidenceFactory(measure=measure, title="Ганц холбоос", relates_to=dt.date(2023, 5, 1))
    document = report_to_document(report=year_report, evidence="newest")
    item = next(i for i in document.items if i.code == "2.1")
    assert item.evidence_counts_text == "Нотломж 1: холбоос 1"
    assert [e.title for e in item.evidence_recent] == ["Ганц холбоос"]
    assert item.evidence_recent_more_text == "" and item.evidence_registers_text == ""
    text = _pdf_text(report_export(report=year_report, fmt="pdf", layout="official").content)
    assert "Ганц холбоос" in text and "Сүүлийн 1:" not in text


def test_json_and_xlsx_keep_every_item_and_word_the_first_fifteen(year_report, busy_measure):
    data = json.loads(report_export(report=year_report, fmt="json", layout="official").content)
    items = [i for g in data["goals"] for i in g["items"] if i["code"] == "1.1"]
    titles = [e["title"] for e in items[0]["evidence"]]
    assert titles == [f"Баримт {day:02d}" for day in range(1, 21)]  # by date, all of them
    assert "evidence_summary" not in items[0]  # the JSON (and the seal) as before

    sheet = openpyxl.load_workbook(
        io.BytesIO(report_export(report=year_report, fmt="xlsx", layout="official").content)
    ).active
    cells = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for day in range(1, 21):
        assert f"Баримт {day:02d}" in cells
    assert "1. Баримт 01 (barimt-01.pdf)" in cells and "20. Баримт 20 (https://" in cells

    word = docx.Document(
        io.BytesIO(report_export(report=year_report, fmt="docx", layout="official").content)
    )
    text = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "14. Баримт 14 (barimt-14.pdf)" in text and "15. Баримт 15 (https://" in text
    assert "Баримт 16" not in text
    assert "… бусад 5 нотломж нотломжийн багцад" in text


def test_the_light_listing_matches_the_page_s_evidence(year_report, busy_measure):
    """Read as plain rows or from the report page's objects, the documents are the same
    (the seal reads the page's)."""
    from shudarga.reports.selectors import report_page

    light = report_to_document(report=year_report).to_dict()
    from_page = report_to_document(report=year_report, page=report_page(report=year_report))
    assert light == from_page.to_dict()
