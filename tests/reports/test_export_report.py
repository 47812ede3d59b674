"""`shudarga export_report REPORT_ID --format docx|xlsx|pdf|json [-o PATH]`."""

from __future__ import annotations

import io
import json

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

TITLE = "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨНИЙ ХЭРЭГЖИЛТИЙН ТАЙЛАН"


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf", "json"])
def test_it_writes_each_format_to_a_file(tmp_path, year_report, fmt):
    path = tmp_path / f"report.{fmt}"
    err = io.StringIO()
    call_command("export_report", str(year_report.pk), "--format", fmt, "-o", str(path), stderr=err)
    data = path.read_bytes()
    assert f"Wrote {path} ({len(data)} bytes)." in err.getvalue()
    if fmt == "docx":
        assert TITLE in "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert TITLE in [c.value for row in sheet.iter_rows() for c in row]
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert json.loads(data)["title"] == TITLE


def test_it_writes_json_to_standard_output(year_report):
    out = io.StringIO()
    call_command("export_report", str(year_report.pk), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["period_key"] == "year" and len(data["goals"]) == 5


def test_it_asks_for_a_path_for_binary_formats_on_a_text_stream(year_report):
    with pytest.raises(CommandError, match="need -o PATH"):
        call_command("export_report", str(year_report.pk), "--format", "pdf", stdout=io.StringIO())


def test_it_refuses_an_unknown_report():
    with pytest.raises(CommandError, match="No report with id 999999"):
        call_command("export_report", "999999", "-o", "/dev/null")


def test_it_refuses_an_unknown_format(year_report):
    with pytest.raises(CommandError):
        call_command("export_report", str(year_report.pk), "--format", "odt")
