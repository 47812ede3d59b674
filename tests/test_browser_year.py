"""A year's work in a real browser (headless Chromium), each person in their own browser:
the coordinator imports the plan, the officer records evidence and submits the half-year
report, the reviewer scores it and the leader approves it, a citizen files a petition on
the portal and the officer answers it. At each step the person whose turn it is finds the
work waiting on their start page and in the top bar's count; the parent body's heat map
shows the score in colour."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from shudarga.organizations.roles import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.test_browser import ARGS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true",
        reason="Chromium is not installed (make test installs it)",
    ),
]


def _document(year: int) -> bytes:
    lines = [
        f"{year} ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ",
        "Зорилго\tАрга хэмжээ\tШалгуур\tХугацаа",
        "Ил тод байдал\t1.1. Шийдвэрийг цахим хуудсанд байршуулах\t-Нотломжийг хавсаргасан байх"
        "\tСар бүр",
        "\t1.2. Мэдээллийн самбар ажиллуулах\t-Самбар шинэчилсэн байх\tIV улиралд",
        "Сургалт\t2.1. Шинэ албан хаагчдыг сургах\t-Сургалтад хамруулсан байх\tЖилдээ",
    ]
    return "\n".join(lines).encode()


@pytest.fixture
def browser(live_server):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _signed_in(browser, url: str, username: str):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "password")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{url}/my/")
    return page


def _waiting(page, group: str) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.locator(f"[data-group='{group}'] [data-test=waiting-item] a").all_inner_texts()


def _unread(page) -> int:
    page.wait_for_selector("[data-test=unread-slot]", state="attached")
    badge = page.locator("[data-test=unread-count]")
    if badge.count() == 0:
        page.wait_for_timeout(300)  # the count loads after the page
    return int(badge.inner_text()) if badge.count() else 0


def test_a_year_of_work_reaches_each_person(browser, live_server, transactional_db, tmp_path):
    from shudarga.plans.models import Plan
    from shudarga.plans.services import measure_assign

    url = live_server.url
    year = timezone.localdate().year
    parent = OrganizationFactory(code="MIN", name="Яам")
    org = OrganizationFactory(code="YEAR", name="Жилийн газар", parent=parent)
    people = {}
    for username, role, where in [
        ("coord", Role.COORDINATOR, org),
        ("officer", Role.OFFICER, org),
        ("reviewer", Role.REVIEWER, org),
        ("leader", Role.LEADER, org),
        ("auditor", Role.AUDITOR, parent),
    ]:
        people[username] = UserFactory(username=username, first_name=username.title())
        MembershipFactory(user=people[username], organization=where, role=role)

    # The coordinator imports the plan.
    coord = _signed_in(browser, url, "coord")
    document = tmp_path / "plan.txt"
    document.write_bytes(_document(year))
    coord.goto(f"{url}/o/YEAR/plans/import/")
    coord.set_input_files("#id_file", str(document))
    coord.click("form button[type=submit].btn-primary")
    coord.click("form[data-testid='confirm-form'] button[type=submit]")
    coord.wait_for_selector(".alert-success")
    plan = Plan.objects.get(organization=org, year=year)
    measure = plan.measures.get(code="1.1")
    measure_assign(
        measure=measure, actor=people["coord"], responsible_unit="", recurrence="monthly",
        responsible_person=people["officer"], due_date=None,
    )  # fmt: skip

    # The officer is told, finds the measure, and attaches evidence through the pickers.
    officer = _signed_in(browser, url, "officer")
    assert _unread(officer) >= 1
    officer.click("[data-test=my-measures] a:has-text('Нотломж нэмэх')")
    officer.wait_for_selector("#evidence-pickers")
    criteria = officer.locator("#id_criterion option").all_inner_texts()
    assert criteria[1:] == ["1) Нотломжийг хавсаргасан байх"]  # that measure's only
    officer.select_option("#id_criterion", index=1)
    officer.fill("#id_link", "https://example.mn/shiidver")
    officer.fill("#id_title", "Цахим хуудсанд байршуулсан шийдвэр")
    officer.fill("#id_relates_to", f"{year}-03-10")
    officer.click("form button[type=submit].btn-primary")
    officer.wait_for_selector(".alert-success")

    # The officer drafts and submits the half-year report.
    officer.goto(f"{url}/o/YEAR/reports/")
    officer.click("button:has-text('Хагас жилийн болон жилийн тайлан үүсгэх')")
    officer.wait_for_selector(".alert-success")
    officer.click("a:has-text('Хагас жил')")
    officer.click("form button[type=submit]:has-text('Илгээх')")
    officer.wait_for_selector(".alert-success")

    # The reviewer finds it waiting, scores the due measures and marks it reviewed.
    reviewer = _signed_in(browser, url, "reviewer")
    assert _waiting(reviewer, "review") == [f"{year} · Хагас жил"]
    assert _unread(reviewer) == 1
    reviewer.click("[data-group='review'] [data-test=waiting-item] a")
    report_url = reviewer.url
    for code in ("1.1", "2.1"):
        reviewer.goto(report_url)
        reviewer.click(f"a[href$='/measures/{plan.measures.get(code=code).pk}/']")
        reviewer.select_option("#id_score", "100")
        reviewer.click("form[action$='/score/'] button[type=submit]")
        reviewer.wait_for_selector(".alert-success")
    reviewer.goto(report_url)
    reviewer.click("form button[type=submit]:has-text('Хянасан')")
    reviewer.wait_for_selector(".alert-success")

    # The leader, told at submission, now has it to approve.
    leader = _signed_in(browser, url, "leader")
    assert _unread(leader) == 2  # submitted, then reviewed
    assert _waiting(leader, "approve") == [f"{year} · Хагас жил"]
    leader.click("[data-group='approve'] [data-test=waiting-item] a")
    leader.click("form button[type=submit]:has-text('Батлах')")
    leader.wait_for_selector(".alert-success")
    leader.goto(f"{url}/my/")
    assert _waiting(leader, "approve") == []

    # A citizen files a petition on the portal; the officer finds it and answers it.
    citizen = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(f"{url}/public/o/YEAR/petition/")
    citizen.select_option("#id_kind", "petition")
    citizen.fill("#id_petitioner_name", "Б.Иргэн")
    citizen.fill("#id_petitioner_contact", "99112233")
    citizen.fill("#id_subject", "Шийдвэрийн хуулбар авах")
    citizen.fill("#id_body", "Шийдвэрийн хуулбарыг өгнө үү.")
    citizen.click("#petition-form button[type=submit]")
    citizen.wait_for_selector("#tracking-code")
    officer.goto(f"{url}/my/")
    assert _waiting(officer, "petition")[0].endswith("Шийдвэрийн хуулбар авах")
    officer.click("[data-group='petition'] [data-test=waiting-item] a")
    officer.click("a:has-text('Хариу бүртгэх')")
    officer.fill("#id_answered_on", f"{timezone.localdate():%Y-%m-%d}")
    officer.fill("#id_answer_text", "Хуулбарыг шуудангаар илгээв.")
    officer.click("form button[type=submit].btn-primary")
    officer.wait_for_selector(".alert-success")
    officer.goto(f"{url}/my/")
    assert _waiting(officer, "petition") == []

    # The parent body's heat map shows the approved score in colour.
    auditor = _signed_in(browser, url, "auditor")
    auditor.goto(f"{url}/o/MIN/children/")
    cell = auditor.locator("table[data-test=heatmap] td.heat-4").first
    assert cell.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(163, 207, 187)"
