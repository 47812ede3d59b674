"""The survey's public link as a QR code, an SVG drawn by `segno` (no network, no images)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> bytes:
    """A standalone SVG (with its namespace, so browsers show it as an image) of `url` as a
    QR code with error correction M, 4 px modules and a quiet zone."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=4, border=4, xmldecl=False, title=url
    )
    return out.getvalue()
