"""Demo evidence: photos and scanned documents for the seed plan's measures.

The files are drawn here (PNG with Pillow, PDF with WeasyPrint), in Mongolian, so the demo
needs nothing from outside. Measures 2.2 and 4.3 are left without evidence on purpose: the
progress page then shows what "not met" looks like.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from shudarga.evidence.services import evidence_add_file
from shudarga.organizations.models import Organization
from shudarga.plans.models import Plan

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# measure code -> (title, month, kind)
ITEMS = [
    ("1.1", "Нийтлэлийн хуудасны зураг", 3, "png"),
    ("1.2", "“Шударга ёс” өдөрлөгийн зураг", 4, "png"),
    ("1.2", "Өдөрлөгийн тайлан", 4, "pdf"),
    ("1.3", "Мэдээллийн самбарын зургууд", 6, "png"),
    ("1.4", "Зурагт хуудасны эх", 3, "png"),
    ("2.1", "Сургалтын ирцийн бүртгэл", 3, "pdf"),
    ("3.1", "Гэрээний загвар (авлигын эсрэг заалттай)", 2, "pdf"),
    ("4.1", "Авлигын эрсдэлийн үнэлгээний тайлан", 5, "pdf"),
    ("4.2", "Хэлэлцүүлгийн тэмдэглэл", 5, "pdf"),
    ("5.1", "Танилцуулгын хурлын зураг", 3, "png"),
    ("5.2", "АТГ-ын зөвлөмжийг тусгасан тушаал", 2, "pdf"),
]


def _png(title: str) -> bytes:
    image = Image.new("RGB", (640, 400), (233, 238, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline=(11, 79, 138), width=4)
    try:
        font = ImageFont.truetype(str(_FONT), 28)
    except OSError:  # no DejaVu on this machine: the default bitmap font still works
        font = ImageFont.load_default()
    draw.text((40, 170), title, fill=(11, 79, 138), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf(title: str, organization: Organization, date: dt.date) -> bytes:
    from weasyprint import HTML

    from shudarga.core.dates import format_mn_date

    html = (
        "<html><head><meta charset='utf-8'><style>body{font-family:'DejaVu Sans';"
        "font-size:12pt;margin:2cm} h1{font-size:16pt}</style></head><body>"
        f"<p>{organization.name}</p><h1>{title}</h1><p>{format_mn_date(date)}</p>"
        "<p>Энэхүү баримт нь төлөвлөгөөний арга хэмжээ хэрэгжсэнийг нотолно.</p>"
        "</body></html>"
    )
    return HTML(string=html).write_pdf()


def load_demo_evidence(
    *, organization: Organization, plan: Plan, actor: Any = None, until: dt.date | None = None
) -> int:
    """Attach the demo evidence to `plan`'s measures, up to `until` (nothing dated later);
    returns how many items were added."""
    measures = {m.code: m for m in plan.measures.all()}
    added = 0
    for index, (code, title, month, kind) in enumerate(ITEMS, start=1):
        if code not in measures:
            continue
        date = dt.date(plan.year, month, 10 + index)
        if until is not None and date > until:
            continue
        if kind == "png":
            upload = SimpleUploadedFile(f"zurag-{index}.png", _png(title), "image/png")
        else:
            content = _pdf(title, organization, date)
            upload = SimpleUploadedFile(f"barimt-{index}.pdf", content, "application/pdf")
        evidence_add_file(
            organization=organization,
            measure=measures[code],
            upload=upload,
            actor=actor,
            title=title,
            relates_to=date,
        )
        added += 1
    return added
