"""The dashboard's two charts, drawn on the server: bars of each goal's criteria percent and
a donut of criteria statuses. The same geometry gives the inline SVG of the page and the
SVG/PNG downloads, so a chart in a document is the chart on the screen."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# Bootstrap's success / danger / secondary / info: statuses read the same as the badges.
COLORS = {
    "met": "#198754",
    "not_met": "#dc3545",
    "not_yet_due": "#6c757d",
    "nothing_to_check": "#adb5bd",
    "manual": "#0dcaf0",
}
BAR = "#0d6efd"
GRID = "#dee2e6"
TEXT = "#212529"


@dataclass(frozen=True)
class Bar:
    label: str
    percent: Decimal | None  # None: nothing due yet, drawn as an empty bar marked "—"


@dataclass(frozen=True)
class Slice:
    key: str
    label: str
    count: int


def _pct_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def bars_layout(bars: list[Bar], *, width: int = 480) -> tuple[int, int, list[dict]]:
    """Width, height and one dict per bar (y, label, bar width, value text)."""
    row, top, label_w = 34, 10, 90
    plot_w = width - label_w - 70
    items = []
    for i, bar in enumerate(bars):
        value = float(bar.percent or 0)
        items.append(
            {
                "y": top + i * row,
                "label": bar.label,
                "x0": label_w,
                "w": round(plot_w * value / 100, 1),
                "plot_w": plot_w,
                "text": _pct_text(bar.percent),
            }
        )
    return width, top * 2 + max(len(bars), 1) * row, items


def bars_svg(bars: list[Bar], *, title: str) -> str:
    width, height, items = bars_layout(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="14">',
        f"<title>{escape(title)}</title>",
    ]
    for it in items:
        y = it["y"]
        parts += [
            f'<text x="{it["x0"] - 8}" y="{y + 19}" text-anchor="end" fill="{TEXT}">'
            f"{escape(it['label'])}</text>",
            f'<rect x="{it["x0"]}" y="{y + 4}" width="{it["plot_w"]}" height="20" fill="{GRID}"/>',
            f'<rect x="{it["x0"]}" y="{y + 4}" width="{it["w"]}" height="20" fill="{BAR}"/>',
            f'<text x="{it["x0"] + it["plot_w"] + 8}" y="{y + 19}" fill="{TEXT}">'
            f"{escape(it['text'])}</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)


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


DONUT = {"w": 420, "h": 200, "cx": 100, "cy": 100, "r": 80, "inner": 48}


def donut_svg(slices: list[Slice], *, title: str, center: str) -> str:
    d = DONUT
    cx, cy, r, inner = d["cx"], d["cy"], d["r"], d["inner"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {d["w"]} {d["h"]}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="14">',
        f"<title>{escape(title)}</title>",
        f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{GRID}"/>',
    ]
    arcs = _arcs(slices)
    for s, a0, a1 in arcs:
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
    for i, s in enumerate(slices):
        y = 40 + i * 30
        parts += [
            f'<rect x="210" y="{y}" width="16" height="16" fill="{COLORS[s.key]}"/>',
            f'<text x="234" y="{y + 13}" fill="{TEXT}">{escape(s.label)}: {s.count}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:  # pragma: no cover - the font package is missing
        return ImageFont.load_default()


def bars_png(bars: list[Bar], *, scale: int = 2) -> bytes:
    """The bar chart as a PNG, `scale` times the SVG's size (sharp in a printed document)."""
    width, height, items = bars_layout(bars)
    img = Image.new("RGB", (width * scale, height * scale), "white")
    draw = ImageDraw.Draw(img)
    font = _font(14 * scale)
    for it in items:
        y = (it["y"] + 4) * scale
        x0 = it["x0"] * scale
        label_w = draw.textlength(it["label"], font=font)
        draw.text((x0 - 8 * scale - label_w, y), it["label"], fill=TEXT, font=font)
        draw.rectangle([x0, y, x0 + it["plot_w"] * scale, y + 20 * scale], fill=GRID)
        if it["w"]:
            draw.rectangle([x0, y, x0 + it["w"] * scale, y + 20 * scale], fill=BAR)
        draw.text((x0 + (it["plot_w"] + 8) * scale, y), it["text"], fill=TEXT, font=font)
    return _png(img)


def donut_png(slices: list[Slice], *, center: str, scale: int = 2) -> bytes:
    d = DONUT
    img = Image.new("RGB", (d["w"] * scale, d["h"] * scale), "white")
    draw = ImageDraw.Draw(img)
    cx, cy, r, inner = (d[k] * scale for k in ("cx", "cy", "r", "inner"))
    box = [cx - r, cy - r, cx + r, cy + r]
    draw.ellipse(box, fill=GRID)
    for s, a0, a1 in _arcs(slices):
        draw.pieslice(box, a0, a1, fill=COLORS[s.key])
    draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill="white")
    bold = _font(18 * scale)
    draw.text((cx, cy), center, fill=TEXT, font=bold, anchor="mm")
    font = _font(14 * scale)
    for i, s in enumerate(slices):
        y = (40 + i * 30) * scale
        draw.rectangle([210 * scale, y, 226 * scale, y + 16 * scale], fill=COLORS[s.key])
        draw.text((234 * scale, y), f"{s.label}: {s.count}", fill=TEXT, font=font)
    return _png(img)


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
