"""Bad documents get one clear message naming the place, and nothing is saved."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from shudarga.plans.documents.model import PlanImportError
from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.models import Criterion, Goal, Measure, Plan

HEADER = "Д/д\tЗорилго\tХэрэгжүүлэх арга хэмжээ\tГүйцэтгэлийн шалгуур үзүүлэлт\n"
TITLE = "2024 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ\n\n"


def _error(data: bytes) -> str:
    with translation.override("en"), pytest.raises(PlanImportError) as exc:
        read_plan_document(data, "x").validate()
    return str(exc.value)


def test_it_rejects_an_empty_file():
    assert _error(b"") == "The file is empty."
    assert _error(b"  \n\n") == "The file is empty."


def test_it_rejects_binary_junk():
    assert "neither UTF-8 text" in _error(bytes(range(256)) * 40)


def test_it_rejects_a_renamed_pdf():
    assert "PDF" in _error(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")


def test_it_rejects_an_old_word_file():
    assert "DOCX" in _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_it_rejects_text_without_a_plan_table():
    assert "No plan table found" in _error("Сайн байна уу\nэнэ бол захидал\n".encode())


def test_it_rejects_duplicate_measure_codes():
    text = TITLE + HEADER + "1\tЗорилго\t1.1. Нэг\t-А\n\t\t1.1. Дахиад\t-Б\n"
    message = _error(text.encode())
    assert "1.1" in message
    assert "line 5" in message  # the second one
    assert "line 4" in message  # and where the first was


def test_it_warns_about_a_measure_whose_code_names_another_goal():
    text = TITLE + HEADER + "1\tЗорилго\t1.1. Нэг\t-А\n\t\t3.1. Гурав\t-Б\n"
    with translation.override("en"):
        document = read_plan_document(text.encode())
    assert [m.code for m in document.goals[0].measures] == ["1.1", "3.1"]
    warning = next(w for w in document.warnings if "3.1" in w)
    assert "line 5" in warning and "goal 3" in warning and "goal 1" in warning


def test_it_numbers_a_measure_without_a_code_by_position_and_says_so():
    text = TITLE + HEADER + "1\tЗорилго\t\t\n\t\tКодгүй арга хэмжээ\t-Б\n"
    with translation.override("en"):
        document = read_plan_document(text.encode())
    assert [(m.code, m.text, m.criteria) for m in document.measures] == [
        ("1.1", "Кодгүй арга хэмжээ", ["Б"])
    ]
    assert any("numbered by position" in w for w in document.warnings)


def test_it_rejects_a_table_without_any_measure():
    text = TITLE + HEADER + "1\tЗорилго\t\t\n2\tДахиад зорилго\t\t\n"
    message = _error(text.encode())
    assert "no measures" in message
    assert "goals 2," in message  # what was understood


def test_it_rejects_an_impossible_header_date():
    text = "2024 оны 2 дугаар сарын 31\n" + TITLE + HEADER + "1\tЗорилго\t1.1. Нэг\t-А\n"
    message = _error(text.encode())
    assert "line 1" in message
    assert "not a real date" in message


def test_it_rejects_a_twenty_megabyte_file():
    data = (TITLE + HEADER).encode() + b"x" * (20 * 1024 * 1024)
    assert "at most 5 MB" in _error(data)


def test_it_rejects_a_zip_bomb(settings):
    settings.PLAN_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (5 * 1024 * 1024))
    assert "unpack to" in _error(buffer.getvalue())


def test_it_rejects_a_zip_that_is_not_office():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", b"hi")
    assert "not a Word" in _error(buffer.getvalue())


def test_it_rejects_a_damaged_docx():
    assert "damaged" in _error(b"PK\x03\x04" + b"garbage" * 100)


def test_it_rejects_a_plan_without_a_year():
    text = "АВЛИГЫН ЭСРЭГ ТӨЛӨВЛӨГӨӨ\n" + HEADER + "1\tЗорилго\t1.1. Нэг\t-А\n"
    assert "year" in _error(text.encode())


def test_it_rejects_json_nested_too_deeply_to_be_a_plan():
    assert "nested too deeply" in _error(b"[" * 5000 + b"]" * 5000)


def test_a_refusal_after_reading_says_what_was_read():
    from shudarga.plans.documents.reading import read_valid_plan

    text = "АВЛИГЫН ЭСРЭГ ТӨЛӨВЛӨГӨӨ\n" + HEADER + "1\tЗорилго\t1.1. Нэг\t-А\n"
    with translation.override("en"), pytest.raises(PlanImportError) as exc:
        read_valid_plan(text.encode())
    message = str(exc.value)
    assert "year" in message
    assert "goals 1," in message and "measures 1," in message
    assert "“Хэрэгжүүлэх арга хэмжээ” → Measure to implement" in message


def test_it_rejects_broken_json():
    assert "line 1" in _error(b'{"title": ')
    assert "“goals”" in _error(b'{"title": "t", "year": 2024, "approved_on": null, "place": ""}')


def test_it_speaks_mongolian_by_default():
    with translation.override("mn"), pytest.raises(PlanImportError) as exc:
        read_plan_document(b"")
    assert str(exc.value) == "Файл хоосон байна."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF-1.4 junk",
        (TITLE + HEADER + "1\tЗорилго\t1.1. Нэг\t-А\n\t\t1.1. Дахиад\t-Б\n").encode(),
        (TITLE + HEADER + "1\tЗорилго\t\t\n2\tДахиад зорилго\t\t\n").encode(),
    ],
)
def test_the_command_saves_nothing_on_bad_input(tmp_path, content):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("import_plan", str(path), "--org", "NEWORG")
    assert not Plan.objects.exists()
    assert not Goal.objects.exists()
    assert not Measure.objects.exists()
    assert not Criterion.objects.exists()
