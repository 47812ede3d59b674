"""The chart of implementation per goal, drawn without a charting library: an SVG for the
page and the PDF, a PNG (Pillow, which WeasyPrint already brings) for the DOCX.

One horizontal bar per goal, 0-100 %, the percent written at the bar's end; a goal with
nothing due shows "—" and no bar.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any

from shudarga.reports.scale import format_percent

BAR_COLOR = "#0b4f8a"
GRID_COLOR = "#c8ced6"
TEXT_COLOR = "#1f2d3d"
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"


def _label(number: str) -> str:
    return f"Зорилго {number}"


def svg(bars: list[tuple[str, Decimal | None]], *, width: int = 640, title: str = "") -> str:
    """Inline SVG markup (escaped; safe to mark safe in a template)."""
    label_w, right_pad, bar_h, gap, top = 110, 56, 22, 10, 30 if title else 8
    axis_h = 22
    plot_w = width - label_w - right_pad
    height = top + len(bars) * (bar_h + gap) + axis_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT_FAMILY}" font-size="12">'
    ]
    if title:
        parts.append(
            f'<text x="{width / 2}" y="18" text-anchor="middle" font-weight="bold" '
            f'fill="{TEXT_COLOR}">{escape(title)}</text>'
        )
    bottom = top + len(bars) * (bar_h + gap)
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{GRID_COLOR}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{bottom + 15}" text-anchor="middle" fill="{TEXT_COLOR}" '
            f'font-size="10">{tick}%</text>'
        )
    for index, (number, percent) in enumerate(bars):
        y = top + index * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" '
            f'fill="{TEXT_COLOR}">{escape(_label(number))}</text>'
        )
        length = 0.0 if percent is None else plot_w * float(percent) / 100
        if length:
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" '
                f'fill="{BAR_COLOR}"/>'
            )
        value = format_percent(percent) + ("%" if percent is not None else "")
        parts.append(
            f'<text x="{label_w + length + 6:.1f}" y="{y + bar_h * 0.7:.1f}" '
            f'fill="{TEXT_COLOR}" font-weight="bold">{escape(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@lru_cache(maxsize=4)
def _font(size: int) -> Any:
    """DejaVu Sans at `size` px, or None when the system has no such font."""
    from PIL import ImageFont

    # DejaVu Sans has Cyrillic (Ө ө Ү ү); Pillow finds it among the system's fonts.
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return None


def png(bars: list[tuple[str, Decimal | None]], *, scale: int = 3) -> bytes:
    """The same chart as a PNG, drawn at `scale` times 640 px wide for print."""
    from PIL import Image, ImageDraw, ImageFont

    font = _font(12 * scale)
    small = _font(10 * scale)
    bold = font
    # Without a Cyrillic font, label the bars with numbers only: never boxes.
    if font is None:
        font = small = bold = ImageFont.load_default()

    def label(number: str) -> str:
        return _label(number) if _font(12 * scale) is not None else number

    width = 640 * scale
    label_w, right_pad, bar_h, gap, top, axis_h = (
        110 * scale, 56 * scale, 22 * scale, 10 * scale, 8 * scale, 22 * scale
    )  # fmt: skip
    plot_w = width - label_w - right_pad
    height = top + len(bars) * (bar_h + gap) + axis_h
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    bottom = top + len(bars) * (bar_h + gap)
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        draw.line([(x, top - 4 * scale), (x, bottom)], fill=GRID_COLOR, width=scale)
        draw.text((x, bottom + 4 * scale), f"{tick}%", fill=TEXT_COLOR, font=small, anchor="mt")
    for index, (number, percent) in enumerate(bars):
        y = top + index * (bar_h + gap)
        middle = y + bar_h / 2
        draw.text(
            (label_w - 8 * scale, middle), label(number), fill=TEXT_COLOR, font=font, anchor="rm"
        )
        length = 0.0 if percent is None else plot_w * float(percent) / 100
        if length:
            draw.rectangle([label_w, y, label_w + length, y + bar_h], fill=BAR_COLOR)
        value = format_percent(percent) + ("%" if percent is not None else "")
        draw.text(
            (label_w + length + 6 * scale, middle), value, fill=TEXT_COLOR, font=bold, anchor="lm"
        )
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(72 * scale, 72 * scale))
    return out.getvalue()
