"""The one module that tells a file's type from its bytes and looks inside Office zips, and
every upload path that relies on it (evidence, register imports, petition attachments)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shudarga.core import filekinds
from shudarga.evidence.validators import check_upload
from shudarga.petitions.validators import check_attachment
from shudarga.registers.tabular import TableError, read_table
from tests.evidence import files
from tests.evidence.files import temp_upload, upload

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (files.PDF, filekinds.PDF),
        (files.JPEG, filekinds.JPEG),
        (files.png(), filekinds.PNG),
        (files.MP4, filekinds.MP4),
        (files.MOV, filekinds.QUICKTIME),
        (files.EXE, filekinds.EXE),
        (files.HTML, filekinds.HTML),
        (files.SVG, filekinds.SVG),
        (files.TEXT, filekinds.TEXT),
        (files.OLE, filekinds.OLE),
        (files.docx(), filekinds.ZIP),
        (b"\x7fELF\x02\x01\x01", filekinds.ELF),
        (b"\x1f\x8b\x08\x00", filekinds.ARCHIVE),
        (bytes(range(256)), filekinds.UNKNOWN),
    ],
)
def test_it_sniffs_each_kind_from_the_bytes(head, mime):
    sniffed = filekinds.sniff(head)
    assert sniffed.mime == mime
    assert sniffed.description == filekinds.describe(mime)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (files.docx(), filekinds.DOCX),
        (files.xlsx(), filekinds.XLSX),
        (files.zip_of({"ppt/presentation.xml": b"<p/>"}), filekinds.PPTX),
        (files.zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"}), filekinds.ODF),
        (files.zip_of({"notes.txt": b"hello"}), filekinds.ZIP),
    ],
)
def test_it_tells_office_zips_apart(data, kind):
    assert filekinds.check_office_zip(io.BytesIO(data), name="f", max_unpacked=MB) == kind


def _spread_bomb(member: str, *, parts: int, part_size: int = 1_000_000) -> bytes:
    """An Office file whose bulk is `parts` entries of zeros, each just under the 1 MiB from
    which the per-entry ratio is checked: the attack of finding 7 (a 369 KB DOCX that unpacks
    to 290 MB)."""
    buffer = io.BytesIO()
    block = b"\x00" * part_size
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", files.CONTENT_TYPES)
        archive.writestr(member, b"<x/>")
        for number in range(parts):
            archive.writestr(f"{member.split('/')[0]}/media/part{number}.bin", block)
    return buffer.getvalue()


def test_it_refuses_a_bomb_spread_over_many_small_parts():
    data = _spread_bomb("word/document.xml", parts=290)
    assert len(data) < 400 * 1024  # ~290 MB of zeros in a few hundred KB
    assert filekinds.unpacked_size(io.BytesIO(data)) == 290 * 1_000_000 + 4 + len(
        files.CONTENT_TYPES
    )
    with pytest.raises(ValidationError) as caught:
        filekinds.check_office_zip(io.BytesIO(data), name="report.docx", max_unpacked=300 * MB)
    assert "times tighter than a real document" in caught.value.messages[0]


def test_it_refuses_the_spread_bomb_as_evidence():
    """Finding 7: the 290 MB DOCX stayed under EVIDENCE_MAX_UNPACKED_BYTES (300 MB) and each
    part under 1 MB, so it was accepted."""
    data = _spread_bomb("word/document.xml", parts=290)
    with pytest.raises(ValidationError) as caught:
        check_upload(temp_upload("report.docx", data))
    assert "“report.docx” is packed" in " ".join(caught.value.messages)


def test_it_refuses_the_spread_bomb_as_a_register_import():
    data = _spread_bomb("xl/workbook.xml", parts=40)  # 40 MB, under the 50 MB import limit
    with pytest.raises(TableError) as caught:
        read_table(data, name="events.xlsx")
    assert "“events.xlsx” is packed" in str(caught.value)


def test_it_refuses_macros_in_a_register_import_as_in_evidence():
    data = files.xlsx(**{"xl/vbaProject.bin": b"\x00" * 100})
    with pytest.raises(TableError) as caught:
        read_table(data, name="events.xlsm.xlsx")
    assert "contains macros" in str(caught.value)


def test_it_still_accepts_a_real_document_with_pictures():
    picture = files.png(200, 200)
    data = files.docx(**{f"word/media/image{n}.png": picture for n in range(20)})
    assert check_upload(upload("photos.docx", data)).content_type == filekinds.DOCX


@pytest.mark.parametrize(
    ("data", "accepted"),
    [(files.PDF, True), (files.JPEG, True), (files.png(), True), (files.HTML, False),
     (files.docx(), False), (files.EXE, False)],
)  # fmt: skip
def test_petition_attachments_use_the_same_sniffing(data, accepted):
    if accepted:
        assert check_attachment(upload("a", data)).content_type == filekinds.sniff_mime(data)
    else:
        with pytest.raises(ValidationError):
            check_attachment(upload("a", data))
