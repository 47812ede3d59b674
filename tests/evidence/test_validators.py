"""Upload checks: what is accepted, what is refused and what the refusal says."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shudarga.evidence import filetypes
from shudarga.evidence.validators import (
    check_extension,
    check_office_zip,
    check_upload,
    digest_chunks,
    sanitize_filename,
    sniff,
)
from tests.evidence import files
from tests.evidence.files import temp_upload, upload


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _refusal(uploaded, **limits) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(uploaded, **limits)
    return " ".join(caught.value.messages)


# --- accepted -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("тайлан.pdf", files.PDF, filetypes.PDF),
        ("photo.jpg", files.JPEG, filetypes.JPEG),
        ("photo.JPEG", files.JPEG, filetypes.JPEG),
        ("board.png", files.png(), filetypes.PNG),
        ("spot.mp4", files.MP4, filetypes.MP4),
        ("minutes.docx", files.docx(), filetypes.DOCX),
        ("list.xlsx", files.xlsx(), filetypes.XLSX),
    ],
)
@pytest.mark.parametrize("make", [upload, temp_upload], ids=["memory", "temporary-file"])
def test_it_accepts_each_allowed_type(make, name, data, mime):
    checked = check_upload(make(name, data, "text/html"))  # the browser's claim is ignored
    assert checked.content_type == mime
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.original_name == name


def test_it_accepts_a_real_word_file_made_by_python_docx():
    import docx

    document = docx.Document()
    document.add_paragraph("Сургалтын тэмдэглэл")
    buffer = io.BytesIO()
    document.save(buffer)
    assert check_upload(upload("тэмдэглэл.docx", buffer.getvalue())).content_type == filetypes.DOCX


def test_it_accepts_a_real_excel_file_made_by_openpyxl():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Оролцогчид"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert check_upload(upload("ирц.xlsx", buffer.getvalue())).content_type == filetypes.XLSX


def test_it_leaves_the_upload_rewound_for_storing():
    uploaded = upload("a.pdf", files.PDF)
    check_upload(uploaded)
    assert uploaded.read() == files.PDF


# --- refused by content -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("setup.pdf", files.EXE, "Windows program"),
        ("setup.exe", files.EXE, "Windows program"),
        ("page.pdf", files.HTML, "web page (HTML)"),
        ("page.html", b"  \n<html><head></head></html>", "web page (HTML)"),
        ("logo.svg", files.SVG, "SVG drawing"),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG drawing"),
        ("notes.txt", files.TEXT, "plain text"),
        ("notes.pdf", files.TEXT, "plain text"),
        ("old.doc", files.OLE, "old-format or password-protected Office file"),
        ("clip.mp4", files.MOV, "QuickTime (MOV) video"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20, "GIF image"),
        ("data.xml", b'<?xml version="1.0"?><root/>', "XML document"),
    ],
)
def test_it_refuses_what_is_not_on_the_allow_list(name, data, what):
    message = _refusal(upload(name, data, "application/pdf"))
    assert f"“{name}” is " in message
    assert what in message
    assert "Only PDF, JPEG, PNG, MP4, Word (DOCX) and Excel (XLSX)" in message


def test_it_refuses_a_zip_that_is_not_an_office_file():
    data = files.zip_of({"photos/1.jpg": files.JPEG, "readme.txt": b"hi"})
    assert "is a ZIP archive" in _refusal(upload("photos.docx", data))


def test_it_refuses_a_powerpoint_with_a_clear_message():
    data = files.zip_of({"[Content_Types].xml": b"<T/>", "ppt/presentation.xml": b"<p/>"})
    assert "PowerPoint" in _refusal(upload("slides.docx", data))


def test_it_refuses_a_damaged_zip():
    data = files.docx()[:200]  # the directory at the end is cut off
    assert "damaged" in _refusal(upload("broken.docx", data))


def test_it_refuses_an_empty_file():
    assert "“empty.pdf” is empty" in _refusal(upload("empty.pdf", b""))


# --- zip bombs and unsafe archives --------------------------------------------------------


def _bomb_docx(path, unpacked: int) -> None:
    """A DOCX whose document.xml is `unpacked` bytes of zeros, written in chunks."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", files.CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            block = b"\x00" * (1024 * 1024)
            for _ in range(unpacked // len(block)):
                entry.write(block)


def test_it_refuses_a_zip_bomb_docx_by_its_unpacked_size(tmp_path):
    path = tmp_path / "bomb.docx"
    _bomb_docx(path, 30 * 1024 * 1024)
    assert path.stat().st_size < 100 * 1024  # 30 MB of zeros packs into a few dozen KB
    message = _refusal(temp_upload("bomb.docx", path.read_bytes()), max_unpacked=20 * 1024 * 1024)
    assert "“bomb.docx” would unpack to" in message
    assert "zip bomb" in message


def test_it_refuses_a_zip_bomb_docx_by_its_compression_ratio(tmp_path):
    path = tmp_path / "bomb.docx"
    _bomb_docx(path, 8 * 1024 * 1024)  # under the size limit, but packed ~1000:1
    message = _refusal(upload("bomb.docx", path.read_bytes()))
    assert "times tighter than a real document" in message


def test_it_lets_a_small_but_very_compressible_part_through():
    data = files.docx(**{"word/styles.xml": b" " * 200_000})  # 200 KB of spaces, ratio ~1000
    assert check_upload(upload("styles.docx", data)).content_type == filetypes.DOCX


@pytest.mark.parametrize(
    "entry",
    ["../../etc/cron.d/evil", "word/../../evil.xml", "/etc/passwd", "C:/Windows/evil.dll",
     "word\\..\\evil.xml"],
)  # fmt: skip
def test_it_refuses_a_zip_with_unsafe_paths(entry):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", files.CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>")
        info = zipfile.ZipInfo("placeholder")
        info.filename = entry  # ZipInfo would clean the name; the attacker's tool does not
        archive.writestr(info, b"x")
    message = _refusal(upload("minutes.docx", buffer.getvalue()))
    assert "unsafe path" in message
    assert "“minutes.docx”" in message


def test_it_refuses_an_office_file_with_macros():
    data = files.docx(**{"word/vbaProject.bin": b"\x00" * 100})
    assert "contains macros" in _refusal(upload("letter.docx", data))


def test_it_refuses_a_zip_with_the_same_part_twice():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", files.CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<a/>")
        with pytest.warns(UserWarning):
            archive.writestr("word/document.xml", b"<b/>")
    assert "the same part twice" in _refusal(upload("twice.docx", buffer.getvalue()))


def test_check_office_zip_reads_a_path_or_a_file_object(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(files.xlsx())
    assert check_office_zip(str(path), name="x.xlsx", max_unpacked=10**6) == filetypes.XLSX
    with path.open("rb") as handle:
        assert check_office_zip(handle, name="x.xlsx", max_unpacked=10**6) == filetypes.XLSX


# --- the extension must agree with the content --------------------------------------------


def test_it_refuses_a_jpeg_named_pdf_and_says_what_it_really_is():
    message = _refusal(upload("scan.pdf", files.JPEG, "application/pdf"))
    assert message.startswith("“scan.pdf” is a JPEG image, not a .pdf file.")
    assert ".jpg / .jpeg" in message


@pytest.mark.parametrize(
    ("name", "data"),
    [("report.docx", files.PDF), ("table.docx", files.xlsx()), ("video.pdf", files.MP4),
     ("image.jpg", files.png())],
)  # fmt: skip
def test_it_refuses_every_extension_mismatch(name, data):
    assert "Rename it" in _refusal(upload(name, data))


def test_it_refuses_a_name_without_extension():
    assert "has no extension" in _refusal(upload("scan", files.PDF))


def test_check_extension_is_case_insensitive():
    check_extension("SCAN.PDF", filetypes.PDF)
    check_extension("Photo.JpEg", filetypes.JPEG)


# --- size -------------------------------------------------------------------------------


def test_it_refuses_an_upload_whose_declared_size_is_over_the_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 50
    message = _refusal(upload("big.pdf", files.PDF))
    assert "“big.pdf” is" in message
    assert "at most 50" in message


def test_it_stops_reading_when_the_stream_passes_the_limit():
    """A client may lie about the size: the limit is also checked while reading."""
    read = []

    def chunks():
        for _ in range(100):
            read.append(1)
            yield b"x" * 1000

    with pytest.raises(ValidationError, match="larger than"):
        digest_chunks(chunks(), name="lie.pdf", max_bytes=5000)
    assert len(read) == 6  # stopped at the chunk that crossed the line


def test_it_checks_the_stream_even_when_the_declared_size_is_small():
    uploaded = upload("lie.pdf", files.PDF + b"x" * 5000)
    uploaded.size = 10  # what a lying client would claim
    assert "larger than" in _refusal(uploaded, max_bytes=1000)


def test_digest_chunks_matches_hashlib_and_keeps_the_head():
    parts = [b"%PDF-", b"a" * 70_000, b"b" * 10]
    digest = digest_chunks(iter(parts), name="x", max_bytes=10**6)
    whole = b"".join(parts)
    assert digest.size == len(whole)
    assert digest.sha256 == hashlib.sha256(whole).hexdigest()
    assert digest.head == whole[:1024]


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Тайлан 2024.pdf", "Тайлан 2024.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\bold\\Desktop\\scan.pdf", "scan.pdf"),
        ("photo\u202egpj.exe", "photogpj.exe"),  # the right-to-left override trick
        ('a<b>c:"d|e?f*.pdf', "a_b_c__d_e_f_.pdf"),
        ("  spaced \t name .pdf", "spaced name.pdf"),
        ("...", "file"),
        ("", "file"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
    ],
)
def test_it_sanitises_file_names(raw, clean):
    assert sanitize_filename(raw) == clean


def test_the_message_names_the_sanitised_file():
    message = _refusal(upload("../секрет.pdf", files.EXE))
    assert "“секрет.pdf”" in message


def test_messages_follow_the_users_language():
    with translation.override("mn"), pytest.raises(ValidationError) as caught:
        check_upload(upload("setup.pdf", files.EXE))
    assert "“setup.pdf”" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"%PDF-1.7", filetypes.PDF),
        (b"\xff\xd8\xff\xdb", filetypes.JPEG),
        (b"\x89PNG\r\n\x1a\n", filetypes.PNG),
        (b"\x00\x00\x00\x20ftypisom", filetypes.MP4),
        (b"PK\x03\x04", "application/zip"),
        (b"\x89PNG", None),  # a truncated signature is not a PNG
        (b" %PDF-1.7", None),  # a PDF must start with its signature
        (b"\x00\x00\x00\x20ftypheic", None),
    ],
)
def test_sniff_decides_by_the_first_bytes(head, mime):
    assert sniff(head)[0] == mime
