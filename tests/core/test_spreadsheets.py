"""Every workbook Shudarga writes has the one page setup: A4 landscape, fitted to the
page's width, the header repeated, page numbers in the footer."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import EventFactory, PetitionFactory

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _setup(content: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (
            sheet.page_setup.orientation,
            sheet.page_setup.paperSize,
            sheet.sheet_properties.pageSetUpPr.fitToPage,
            sheet.page_setup.fitToWidth,
            sheet.oddFooter.center.text,
        )
        for sheet in book.worksheets
    ]


def test_every_export_prints_on_a4_landscape_fitted_to_the_width(
    client, coordinator, auditor, org, seed_plan
):
    EventFactory(organization=org)
    PetitionFactory(organization=org)
    client.force_login(coordinator)
    urls = [
        reverse("registers:export", args=[org.code, "events"]),
        reverse("petitions:export", args=[org.code]),
        reverse("petitions:stats_export", args=[org.code]) + "?year=2026&quarter=4",
        reverse("history:export", args=[org.code]),
    ]
    contents = [_body(client.get(url)) for url in urls]
    client.force_login(auditor)
    contents.append(client.get(reverse("dashboards:children_xlsx", args=["PARENT"])).content)
    for url, content in zip([*urls, "children"], contents, strict=True):
        for orientation, paper, fit, width, footer in _setup(content):
            assert (orientation, paper, fit, width, footer) == (
                "landscape",
                9,
                True,
                1,
                "&P / &N",
            ), url


def test_the_statistics_name_their_quarter_in_words(client, coordinator, org):
    PetitionFactory(organization=org)
    client.cookies["django_language"] = "mn"
    client.force_login(coordinator)
    content = client.get(
        reverse("petitions:stats_export", args=[org.code]), {"year": 2026, "quarter": 4}
    ).content
    cells = [
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()
        for c in row
    ]
    assert "2026 оны IV улирал" in cells and "2026 Q4" not in cells
