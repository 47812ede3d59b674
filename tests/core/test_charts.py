"""One chart module for pages and documents: labels fit, whatever their language."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from shudarga.core import charts

BARS = [charts.Bar("1-р зорилго", Decimal("100.0")), charts.Bar("12-р зорилго", None)]


def test_the_label_column_fits_the_longest_label():
    layout = charts.bars_layout(BARS, width=480)
    for bar in BARS:
        assert layout.label_w - charts.PAD - charts.text_width(bar.label, 14) >= charts.PAD / 2


def test_nothing_is_drawn_at_the_png_edges():
    """The bug this catches: "1-р" drawn from a negative x, so "1" came out as "l"."""
    image = Image.open(io.BytesIO(charts.bars_png(BARS, title="x"))).convert("L")
    width, height = image.size
    left = [image.getpixel((x, y)) for x in range(3) for y in range(height)]
    right = [image.getpixel((width - 1 - x, y)) for x in range(3) for y in range(height)]
    assert min(left) == 255 and min(right) == 255


def test_the_svg_escapes_its_text_and_draws_one_bar_per_value():
    svg = charts.bars_svg([charts.Bar("<b>", Decimal(50))], title="<script>")
    assert "<script>" not in svg and "<b>" not in svg
    assert svg.count('fill="#0d6efd"') == 1


def test_the_donut_legend_fits_its_labels():
    slices = [
        charts.Slice("met", "Хангасан шалгуур үзүүлэлт", 3),
        charts.Slice("not_met", "Үгүй", 1),
    ]
    svg = charts.donut_svg(slices, title="t", center="75%")
    width = int(svg.split('viewBox="0 0 ')[1].split()[0])
    assert width >= charts.DONUT["legend_x"] + 24 + charts.text_width(
        "Хангасан шалгуур үзүүлэлт: 3", 14
    )
    assert charts.donut_png(slices, center="75%").startswith(b"\x89PNG")
