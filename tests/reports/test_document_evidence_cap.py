"""The Word and PDF reports list fifteen evidence items a measure and count the rest; the
JSON keeps every one (a busy organization attaches thousands a year)."""

from __future__ import annotations

import datetime as dt

from shudarga.reports.documents.model import EVIDENCE_LISTED, DocEvidence, DocItem


def _item(n: int) -> DocItem:
    evidence = [
        DocEvidence(
            title=f"Зураг {i}", name=f"z{i}.png", is_file=True, relates_to=dt.date(2025, 3, 1)
        )
        for i in range(n)
    ]
    return DocItem(
        code="1.1",
        text="Арга хэмжээ",
        criteria=[],
        implementation="",
        evidence=evidence,
        due=True,
        score=None,
        score_mark="",
        score_label="",
    )


def test_a_long_list_is_cut_and_counted():
    item = _item(EVIDENCE_LISTED + 5)
    assert len(item.evidence_listed) == EVIDENCE_LISTED
    assert item.evidence_listed[0].title == "Зураг 0"
    assert item.evidence_more_text == "… бусад 5 нотломж нотломжийн багцад"
    assert len(item.evidence) == EVIDENCE_LISTED + 5  # what the JSON export writes


def test_a_short_list_is_whole():
    item = _item(EVIDENCE_LISTED)
    assert len(item.evidence_listed) == EVIDENCE_LISTED
    assert item.evidence_more_text == ""
