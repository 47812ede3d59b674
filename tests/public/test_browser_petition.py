"""A citizen files a petition on the portal in a real browser (headless Chromium), gets a
tracking code, and sees the petition's status with it."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import OrganizationFactory

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
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        yield context.new_page()
        browser.close()


def test_a_citizen_files_a_petition_and_follows_it(page, live_server, transactional_db):
    OrganizationFactory(code="PORTAL", name="Иргэдэд үйлчлэх газар")

    page.goto(f"{live_server.url}/public/")
    assert page.locator("a[href='tel:110']").first.is_visible()
    page.click("text=Иргэдэд үйлчлэх газар")
    page.click("a[href='/public/o/PORTAL/petition/']")
    page.select_option("#id_kind", "complaint")
    page.fill("#id_petitioner_name", "Б.Хөтчийн иргэн")
    page.fill("#id_petitioner_contact", "99112233")
    page.fill("#id_subject", "Үйлчилгээ удаан байна")
    page.fill("#id_body", "Гурван удаа ирсэн ч шийдвэрлээгүй.")
    box = page.locator("#id_website").bounding_box()
    assert box is None or box["x"] + box["width"] < 0  # the honeypot stays out of sight
    page.click("#petition-form button[type=submit]")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code").strip()
    assert len(code.replace("-", "")) == 16

    page.click("a[href='/public/track/']")
    page.fill("#id_code", code.lower())
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#petition-status")
    status = page.inner_text("#petition-status")
    assert page.locator("[data-status='received']").count() == 1
    assert "Б.Хөтчийн иргэн" not in page.content()
    assert "Үйлчилгээ удаан" not in page.content()
    assert status.strip()
