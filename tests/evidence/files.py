"""Small files of every kind, built in the test so each test shows what it feeds the checks."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
TEXT = "Шударга ёс, хөгжил дэвшилд 110 — plain notes\n".encode()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def png(width: int = 1, height: int = 1) -> bytes:
    """A real PNG image (white pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def zip_of(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(**extra: bytes) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": b"<w:document><w:body>Hello</w:body></w:document>",
            **extra,
        }
    )


def xlsx(**extra: bytes) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b"<workbook><sheets/></workbook>",
            **extra,
        }
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    """An upload as Django makes it for small files (in memory)."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def temp_upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    """An upload as Django makes it for big files (in a temporary file on disk)."""
    uploaded = TemporaryUploadedFile(name, content_type, len(data), None)
    uploaded.write(data)
    uploaded.flush()
    uploaded.seek(0)
    return uploaded
