"""A coordinator imports the seed plan in a real browser (headless Chromium) and reads it."""

from __future__ import annotations

import os
import shutil

import pytest

from shudarga.organizations.roles import Role
from tests.conftest import SEED_PATH
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true",
        reason="Chromium is not installed (make test installs it)",
    ),
]


@pytest.fixture
def page(live_server):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures
    # make here are ordinary synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        yield context.new_page()
        browser.close()


def test_a_coordinator_imports_and_reads_the_seed_plan(page, live_server, transactional_db):
    org = OrganizationFactory(code="BROWSER", name="Хөтчийн газар")
    user = UserFactory(username="coord")
    MembershipFactory(user=user, organization=org, role=Role.COORDINATOR)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "coord")
    page.fill("#id_password", "password")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/my/")
    page.click("main a[href='/o/BROWSER/']")
    page.wait_for_url(f"{live_server.url}/o/BROWSER/")
    assert "Хөтчийн газар" in page.content()

    page.click("a[href='/o/BROWSER/plans/import/']")
    page.set_input_files("#id_file", str(SEED_PATH))
    page.click("form button[type=submit].btn-primary")
    page.wait_for_selector("table.plan-table")
    assert page.locator("table.plan-table tbody tr").count() == 19  # preview, nothing saved
    page.click("form[data-testid='confirm-form'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("table.plan-table tr[id^='m-']").count() == 19
    html = page.content()
    assert "Хэрэгжүүлэх арга хэмжээ" in html
    assert "2023 оны 10 дугаар сарын 10" in html
    assert "Б.ЭНХЦЭЦЭГ" in html

    page.click("button[value='en']")
    page.wait_for_selector("text=Measure to implement")


def test_an_officer_records_two_events_and_sees_1_2_met(page, live_server, transactional_db):
    from shudarga.plans.documents.reading import read_plan_document
    from shudarga.plans.services import plan_create_from_document

    org = OrganizationFactory(code="OFFICE", name="Албан газар")
    user = UserFactory(username="officer1")
    MembershipFactory(user=user, organization=org, role=Role.OFFICER)
    plan = plan_create_from_document(
        organization=org, document=read_plan_document(SEED_PATH.read_bytes()), actor=None
    )
    measure = plan.measures.get(code="1.2")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "officer1")
    page.fill("#id_password", "password")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/my/")

    for date, kind, title in [
        ("2023-04-20", "awareness_day", "Шударга ёсны өдөрлөг"),
        ("2023-09-14", "outreach", "Нөлөөллийн аян"),
    ]:
        page.goto(f"{live_server.url}/o/OFFICE/registers/events/new/")
        page.fill("input[name=date]", date)
        page.select_option("select[name=kind]", kind)
        page.fill("input[name=title]", title)
        page.check(f"input[name=measures][value='{measure.pk}']")
        page.click("form button[type=submit].btn-primary")
        page.wait_for_url(f"{live_server.url}/o/OFFICE/registers/events/**")
    assert page.locator("table tbody tr").count() == 2

    page.goto(f"{live_server.url}/o/OFFICE/plans/{plan.pk}/progress/")
    row = page.locator("tr#m-1\\.2")
    assert row.locator(".badge.text-bg-success").count() >= 1
    # the rows behind the criterion, one click away (htmx loads them in place)
    row.locator("[hx-get]").first.click()
    page.wait_for_selector("text=Шударга ёсны өдөрлөг")
    assert "Нөлөөллийн аян" in page.content()


def _document(year: int) -> bytes:
    """A plan whose first column, headed "Үйл ажиллагаа", holds the organization's goals."""
    lines = [
        f"{year} ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ",
        "Үйл ажиллагаа\tАрга хэмжээ\tШалгуур\tХугацаа",
        "Ил тод байдал\t1.1. Шийдвэрийг байршуулах\t-Байршуулсан байх\tСар бүр",
        "\t1.2. Самбар ажиллуулах\t-Ажиллуулсан байх\tIV улиралд",
        "Сургалт\t2.1. Сургалт хийх\t-Хийсэн байх\tЖилдээ",
    ]
    return "\n".join(lines).encode()


def test_a_coordinator_corrects_a_misread_column_once(
    page, live_server, transactional_db, tmp_path
):
    from shudarga.plans.models import Plan

    org = OrganizationFactory(code="LAYOUT", name="Бүтцийн газар")
    user = UserFactory(username="coord2")
    MembershipFactory(user=user, organization=org, role=Role.COORDINATOR)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "coord2")
    page.fill("#id_password", "password")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/my/")

    first = tmp_path / "plan-2023.txt"
    first.write_bytes(_document(2023))
    page.goto(f"{live_server.url}/o/LAYOUT/plans/import/")
    page.set_input_files("#id_file", str(first))
    page.click("form button[type=submit].btn-primary")
    page.wait_for_selector("[data-testid=reading-grid]")
    column = page.locator("th[data-column='1']")
    assert column.get_attribute("data-role") == "activity"  # misread: these are goals
    column.locator("select").select_option("goal")
    page.click("#reading-form button[type=submit].btn-primary")
    page.wait_for_selector("th[data-column='1'][data-role='goal']")
    assert page.locator("table.plan-table td.goal-cell.code").count() == 2
    page.screenshot(path=str(tmp_path / "corrected.png"), full_page=True)
    page.click("form[data-testid='confirm-form'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    plan = Plan.objects.get(organization=org)
    assert [g.text for g in plan.goals.all()] == ["Ил тод байдал", "Сургалт"]
    assert [m.recurrence for m in plan.measures.all()] == ["monthly", "year_end", "continuous"]

    second = tmp_path / "plan-2024.txt"
    second.write_bytes(_document(2024))
    page.goto(f"{live_server.url}/o/LAYOUT/plans/import/")
    page.set_input_files("#id_file", str(second))
    page.click("form button[type=submit].btn-primary")
    page.wait_for_selector("[data-testid=reading-grid]")
    # The organization's layout reads it right: no correction, nothing to fix.
    assert page.locator("th[data-column='1']").get_attribute("data-role") == "goal"
    assert page.locator("[data-testid=import-error]").count() == 0
    page.click("form[data-testid='confirm-form'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert [g.text for g in Plan.objects.get(year=2024).goals.all()] == ["Ил тод байдал", "Сургалт"]
