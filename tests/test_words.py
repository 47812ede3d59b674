"""What pages say, over the live demo year, as each demo user, in Mongolian and in English:
no event or audit key, no `None`/`True`/`False`, no Python list; and the English pages
carry none of the Mongolian interface strings (a label worded once at import time, or an
evaluation message remembered in the language of the first request, would)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[1] / "src/shudarga/locale/mn/LC_MESSAGES/django.po"
KEY = re.compile(
    r"\b(?:report|petition|plan|measure|evidence|survey|register|membership|member|unit|"
    r"organization|criterion_rule|calendar_feed|api_token|user|reminder)\.[a-z_]+\b"
)
PYTHON = re.compile(r"\b(?:None|True|False)\b|\['|\[\]|\{'")


def _text(page: str) -> str:
    """The words a reader sees: no scripts, no tags, entities decoded."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    # Words stored when something was made (a plan's import notices), in its maker's language.
    page = re.sub(r"(?s)<ul[^>]*data-stored-words.*?</ul>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


SRC = Path(__file__).resolve().parents[1] / "src/shudarga"
# The demo's data: an interface string that is also written there is not a leak.
DATA = [SRC / "plans/fixtures/seed_plan_2023.txt", *sorted((SRC / "demo").glob("*.py"))]


def _interface_strings() -> set[str]:
    """Mongolian translations of interface strings of three words or more, less those the
    demo's data also writes."""
    data = " ".join(path.read_text(encoding="utf-8") for path in DATA).casefold()
    data = re.sub(r"\s+", " ", data)
    found = set()
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(r'(?m)^msgstr (".*"(?:\n".*")*)', block)
        if not match or "#, fuzzy" in block:
            continue
        text = "".join(re.findall(r'"(.*)"', match.group(1))).replace('\\"', '"')
        text = re.split(r"%\(|\{", text)[0].strip(" .:,")
        if len(text.split()) >= 3 and re.search("[а-яөүё]", text) and text.casefold() not in data:
            found.add(text)
    return found


def _pages(client) -> list[tuple[str, str]]:
    from shudarga.petitions.models import Petition
    from shudarga.plans.models import Plan
    from shudarga.reports.models import Report

    plan = Plan.objects.get(organization__code="UB-AGENCY", year=2026)
    report = Report.objects.get(plan=plan, period="9m")
    petition = Petition.objects.filter(
        organization__code="UB-AGENCY", extension_days__isnull=False
    ).get()
    criterion = plan.measures.get(code="1.3").criteria.first()
    org = ("UB-AGENCY",)
    return [
        ("officer", reverse("dashboards:my_work")),
        ("reviewer", reverse("dashboards:my_work")),
        ("leader", reverse("dashboards:my_work")),
        ("reviewer", reverse("dashboards:notifications")),
        ("leader", reverse("dashboards:dashboard", args=org)),
        ("auditor", reverse("dashboards:children", args=["UB-CITY"])),
        ("officer", reverse("criteria:progress", args=[*org, plan.pk])),
        ("admin", reverse("criteria:detail", args=[*org, plan.pk, criterion.pk])),
        ("officer", reverse("plans:detail", args=[*org, plan.pk])),
        ("officer", reverse("reports:list", args=org)),
        ("reviewer", reverse("reports:detail", args=[*org, report.pk])),
        ("reviewer", reverse("reports:measure", args=[*org, report.pk, criterion.measure_id])),
        ("officer", reverse("petitions:list", args=org)),
        ("officer", reverse("petitions:detail", args=[*org, petition.pk])),
        ("officer", reverse("petitions:stats", args=org)),
        ("admin", reverse("history:organization", args=org)),
        ("officer", reverse("dashboards:calendar", args=org)),
        ("officer", reverse("evidence:list", args=org)),
        ("officer", reverse("dashboards:search", args=org) + "?q=самбар"),
    ]


@time_machine.travel(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC), tick=False)
def test_no_page_shows_a_key_or_a_python_value_and_english_pages_are_english(client):
    from django.contrib.auth import get_user_model

    call_command("load_demo_data", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    mongolian = _interface_strings()
    assert len(mongolian) > 300
    for language in ("mn", "en"):
        client.cookies["django_language"] = language
        for username, url in _pages(client):
            client.force_login(users[username])
            response = client.get(url)
            assert response.status_code == 200, url
            text = _text(response.content.decode())
            assert not KEY.findall(text), (language, url, KEY.findall(text)[:5])
            assert not PYTHON.findall(text), (language, url, PYTHON.findall(text)[:5])
            if language == "en":
                leaked = sorted(s for s in mongolian if s in text)
                assert not leaked, (url, leaked[:5])
