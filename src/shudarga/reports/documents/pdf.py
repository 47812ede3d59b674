"""The report as a PDF: the official table rendered by WeasyPrint from an HTML template.

The font is DejaVu Sans (a system font with Cyrillic, Ө ө Ү ү included); WeasyPrint embeds
the glyphs it uses, so the file reads the same on any machine. The chart is inline SVG.
No network: the template refers to nothing outside itself.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from shudarga.reports.documents.model import (
    GOAL_TOTAL,
    NATIONAL_CAPTION,
    PLAN_TOTAL,
    REVIEWER_NOTE,
    SHORTFALL,
    ReportDocument,
    chart_svg,
)

FONT_FAMILY = "DejaVu Sans"


def html(document: ReportDocument) -> str:
    """The HTML the PDF is printed from (Mongolian, whatever the user's language)."""
    parent = document.parent
    # Each goal with the parent body's percent and each item beside the parent's score.
    blocks = [
        (
            goal,
            _percent(parent.goal_percent_text(goal.number)) if parent else "",
            [(item, parent.item(item.code) if parent else None) for item in goal.items],
        )
        for goal in document.goals
    ]
    scores = 2 if parent else 1  # the score columns right of the labels
    with translation.override("mn"):
        return render_to_string(
            "reports/report_pdf.html",
            {
                "doc": document,
                "columns": [document.column_title(key) for key in document.columns],
                "blocks": blocks,
                "caption": NATIONAL_CAPTION,
                "national_span": len(document.columns) - 1,
                "span_to_score": len(document.columns) - scores,
                "span_label": len(document.columns) - 2 - scores,
                "labels": {
                    "goal_total": GOAL_TOTAL,
                    "plan_total": PLAN_TOTAL,
                    "reviewer_note": REVIEWER_NOTE,
                    "shortfall": SHORTFALL,
                },
                "chart": mark_safe(  # noqa: S308 - built by chart_svg, which escapes all text
                    chart_svg([(str(g.number), g.percent) for g in document.goals], width=620)
                ),
                "font_family": FONT_FAMILY,
            },
        )


def _percent(text: str) -> str:
    return text if text == "—" else f"{text}%"


def write(document: ReportDocument) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(document), base_url=None).write_pdf()
