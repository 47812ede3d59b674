"""Charts drawn on the server, without a charting library: horizontal bars (a percent per
goal) and a donut (counts by status), each as SVG for pages and PDF and as PNG (Pillow,
which WeasyPrint brings) for Word and downloads. One layout gives both, so a chart in a
document is the chart on the screen.

Labels are measured with the font they are drawn in (DejaVu Sans, which has Ө ө Ү ү), so
the label column is as wide as its longest label and nothing is cut at the edge.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FILES = ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
# Bootstrap's success / danger / secondary / info: statuses read the same as the badges.
COLORS = {
    "met": "#198754",
    "not_met": "#dc3545",
    "not_yet_due": "#6c757d",
    "nothing_to_check": "#adb5bd",
    "manual": "#0dcaf0",
}
BAR = "#0d6efd"
DOCUMENT_BAR = "#0b4f8a"
GRID = "#dee2e6"
TEXT = "#212529"
PAD = 8  # space around the label column and the values, px at scale 1


@dataclass(frozen=True)
class Bar:
    label: str
    percent: Decimal | None  # None: nothing due yet, drawn as an empty bar marked "—"
    text: str = ""  # the value written after the bar; "89.2%" or "—" by default

    @property
    def value_text(self) -> str:
        if self.text:
            return self.text
        return "—" if self.percent is None else f"{self.percent}%"


@dataclass(frozen=True)
class Slice:
    key: str
    label: str
    count: int


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False) -> Any:
    """DejaVu Sans at `size` px, or None when the system has no such font."""
    for name in BOLD_FILES if bold else FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return None


def text_width(text: str, size: int, *, bold: bool = False) -> float:
    """Width in px of `text` at `size` px in the chart's font (an estimate without it)."""
    font = _font(size, bold)
    if font is None:
        return len(text) * size * 0.62
    return float(font.getlength(text))


# -- bars --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarLayout:
    width: int
    height: int
    top: int
    label_w: float
    plot_w: float
    row: int
    bar_h: int
    font_size: int
    ticks: bool
    bottom: int


def bars_layout(
    bars: list[Bar], *, width: int = 480, font_size: int = 14, title: bool = False,
    ticks: bool = False,
) -> BarLayout:  # fmt: skip
    """Where everything goes: the label column fits the widest label, the value column the
    widest value ("100.0%")."""
    label_w = max([text_width(b.label, font_size) for b in bars] or [0]) + 2 * PAD
    value_w = max([text_width(b.value_text, font_size, bold=True) for b in bars] + [0.0])
    value_w = max(value_w, text_width("100.0%", font_size, bold=True)) + 2 * PAD
    plot_w = max(width - label_w - value_w, 60)
    row, bar_h = round(font_size * 2.3), round(font_size * 1.5)
    top = round(font_size * 2.2) if title else round(font_size * 0.7)
    bottom = top + max(len(bars), 1) * row
    height = bottom + (round(font_size * 1.6) if ticks else round(font_size * 0.7))
    return BarLayout(
        width=round(label_w + plot_w + value_w), height=height, top=top, label_w=label_w,
        plot_w=plot_w, row=row, bar_h=bar_h, font_size=font_size, ticks=ticks, bottom=bottom,
    )  # fmt: skip


def bars_svg(
    bars: list[Bar], *, title: str, width: int = 480, font_size: int = 14,
    show_title: bool = False, ticks: bool = False, color: str = BAR,
) -> str:  # fmt: skip
    """The bars as inline SVG markup; all text is escaped (safe to mark safe)."""
    lay = bars_layout(bars, width=width, font_size=font_size, title=show_title, ticks=ticks)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width} {lay.height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT_FAMILY}" font-size="{font_size}">',
        f"<title>{escape(title)}</title>",
    ]
    if show_title:
        parts.append(
            f'<text x="{lay.width / 2:.1f}" y="{font_size * 1.3:.1f}" text-anchor="middle" '
            f'font-weight="bold" fill="{TEXT}">{escape(title)}</text>'
        )
    x0 = lay.label_w
    if ticks:
        for tick in (0, 25, 50, 75, 100):
            x = x0 + lay.plot_w * tick / 100
            parts.append(
                f'<line x1="{x:.1f}" y1="{lay.top - 4}" x2="{x:.1f}" y2="{lay.bottom}" '
                f'stroke="{GRID}" stroke-width="1"/>'
                f'<text x="{x:.1f}" y="{lay.bottom + font_size * 1.1:.1f}" text-anchor="middle" '
                f'fill="{TEXT}" font-size="{font_size - 2}">{tick}%</text>'
            )
    for i, bar in enumerate(bars):
        y = lay.top + i * lay.row
        middle = y + lay.bar_h * 0.72
        length = lay.plot_w * float(bar.percent or 0) / 100
        parts += [
            f'<text x="{x0 - PAD:.1f}" y="{middle:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(bar.label)}</text>",
            ""
            if ticks
            else f'<rect x="{x0:.1f}" y="{y}" width="{lay.plot_w:.1f}" height="{lay.bar_h}" '
            f'fill="{GRID}"/>',
            f'<rect x="{x0:.1f}" y="{y}" width="{length:.1f}" height="{lay.bar_h}" fill="{color}"/>'
            if length
            else "",
            f'<text x="{x0 + (length if ticks else lay.plot_w) + PAD:.1f}" y="{middle:.1f}" '
            f'font-weight="bold" fill="{TEXT}">{escape(bar.value_text)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def bars_png(
    bars: list[Bar], *, title: str = "", width: int = 480, font_size: int = 14, scale: int = 2,
    show_title: bool = False, ticks: bool = False, color: str = BAR,
) -> bytes:  # fmt: skip
    """The same bars as a PNG, `scale` times the SVG's size (sharp when printed)."""
    lay = bars_layout(bars, width=width, font_size=font_size, title=show_title, ticks=ticks)
    image = Image.new("RGB", (lay.width * scale, lay.height * scale), "white")
    draw = ImageDraw.Draw(image)
    font = _font(font_size * scale) or ImageFont.load_default()
    bold = _font(font_size * scale, True) or font
    small = _font((font_size - 2) * scale) or font
    s = scale
    if show_title:
        draw.text(
            (lay.width * s / 2, font_size * 0.9 * s), title, fill=TEXT, font=bold, anchor="mm"
        )
    x0 = lay.label_w * s
    if ticks:
        for tick in (0, 25, 50, 75, 100):
            x = x0 + lay.plot_w * s * tick / 100
            draw.line([(x, (lay.top - 4) * s), (x, lay.bottom * s)], fill=GRID, width=s)
            draw.text((x, (lay.bottom + 4) * s), f"{tick}%", fill=TEXT, font=small, anchor="mt")
    for i, bar in enumerate(bars):
        y = (lay.top + i * lay.row) * s
        middle = y + lay.bar_h * s / 2
        length = lay.plot_w * s * float(bar.percent or 0) / 100
        draw.text((x0 - PAD * s, middle), bar.label, fill=TEXT, font=font, anchor="rm")
        if not ticks:
            draw.rectangle([x0, y, x0 + lay.plot_w * s, y + lay.bar_h * s], fill=GRID)
        if length:
            draw.rectangle([x0, y, x0 + length, y + lay.bar_h * s], fill=color)
        value_x = x0 + (length if ticks else lay.plot_w * s) + PAD * s
        draw.text((value_x, middle), bar.value_text, fill=TEXT, font=bold, anchor="lm")
    return _png(image, scale)


# -- donut -------------------------------------------------------------------------------

DONUT = {"h": 200, "cx": 100, "cy": 100, "r": 80, "inner": 48, "legend_x": 210}


def _arcs(slices: list[Slice]) -> list[tuple[Slice, float, float]]:
    total = sum(s.count for s in slices)
    result, angle = [], -90.0
    for s in slices:
        if not s.count:
            continue
        sweep = 360.0 * s.count / total
        result.append((s, angle, angle + sweep))
        angle += sweep
    return result


def _point(cx: float, cy: float, r: float, deg: float) -> tuple[float, float]:
    rad = math.radians(deg)
    return round(cx + r * math.cos(rad), 2), round(cy + r * math.sin(rad), 2)


def _donut_width(slices: list[Slice]) -> int:
    legend = max([text_width(f"{s.label}: {s.count}", 14) for s in slices] or [0])
    return round(DONUT["legend_x"] + 24 + legend + PAD)


def donut_svg(slices: list[Slice], *, title: str, center: str) -> str:
    d = DONUT
    cx, cy, r, inner = d["cx"], d["cy"], d["r"], d["inner"]
    width = _donut_width(slices)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {d["h"]}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT_FAMILY}" font-size="14">',
        f"<title>{escape(title)}</title>",
        f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{GRID}"/>',
    ]
    for s, a0, a1 in _arcs(slices):
        if a1 - a0 >= 359.99:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{COLORS[s.key]}"/>')
            continue
        x0, y0 = _point(cx, cy, r, a0)
        x1, y1 = _point(cx, cy, r, a1)
        large = 1 if a1 - a0 > 180 else 0
        parts.append(
            f'<path d="M{cx},{cy} L{x0},{y0} A{r},{r} 0 {large} 1 {x1},{y1} Z" '
            f'fill="{COLORS[s.key]}"/>'
        )
    parts += [
        f'<circle cx="{cx}" cy="{cy}" r="{inner}" fill="#fff"/>',
        f'<text x="{cx}" y="{cy + 6}" text-anchor="middle" font-size="18" font-weight="bold" '
        f'fill="{TEXT}">{escape(center)}</text>',
    ]
    lx = d["legend_x"]
    for i, s in enumerate(slices):
        y = 40 + i * 30
        parts += [
            f'<rect x="{lx}" y="{y}" width="16" height="16" fill="{COLORS[s.key]}"/>',
            f'<text x="{lx + 24}" y="{y + 13}" fill="{TEXT}">{escape(s.label)}: {s.count}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def donut_png(slices: list[Slice], *, center: str, scale: int = 2) -> bytes:
    d = DONUT
    width = _donut_width(slices)
    image = Image.new("RGB", (width * scale, d["h"] * scale), "white")
    draw = ImageDraw.Draw(image)
    cx, cy, r, inner = (d[k] * scale for k in ("cx", "cy", "r", "inner"))
    box = [cx - r, cy - r, cx + r, cy + r]
    draw.ellipse(box, fill=GRID)
    for s, a0, a1 in _arcs(slices):
        draw.pieslice(box, a0, a1, fill=COLORS[s.key])
    draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill="white")
    bold = _font(18 * scale, True) or ImageFont.load_default()
    draw.text((cx, cy), center, fill=TEXT, font=bold, anchor="mm")
    font = _font(14 * scale) or ImageFont.load_default()
    lx = d["legend_x"] * scale
    for i, s in enumerate(slices):
        y = (40 + i * 30) * scale
        draw.rectangle([lx, y, lx + 16 * scale, y + 16 * scale], fill=COLORS[s.key])
        draw.text(
            (lx + 24 * scale, y + 8 * scale),
            f"{s.label}: {s.count}",
            fill=TEXT,
            font=font,
            anchor="lm",
        )
    return _png(image, scale)


def _png(image: Image.Image, scale: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, dpi=(72 * scale, 72 * scale))
    return out.getvalue()
