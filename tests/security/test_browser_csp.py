"""In a real browser, key pages of the demo run under the Content-Security-Policy without
a single violation: htmx partials, charts, progress bars, the PDF preview, the public
portal and the API docs included."""

from __future__ import annotations

import io
import os
import shutil

import pytest
from django.core.management import call_command

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "demo-password-for-the-browser"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true",
        reason="Chromium is not installed (make test installs it)",
    ),
]

# Runs in every page before its own scripts: collects what the policy blocked.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def browser_context(live_server):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.add_init_script(COLLECT_VIOLATIONS)
        yield context
        browser.close()


def test_key_pages_run_without_a_policy_violation(
    browser_context, live_server, transactional_db, monkeypatch
):
    from shudarga.evidence.models import Evidence
    from shudarga.petitions.models import Survey
    from shudarga.plans.models import Plan

    monkeypatch.setenv("SHUDARGA_ADMIN_PASSWORD", PASSWORD)
    call_command("load_demo_data", stdout=io.StringIO())
    plan = Plan.objects.get(organization__code="UB-AGENCY", year=2023)
    pdf = Evidence.objects.filter(organization__code="UB-AGENCY", content_type="application/pdf")
    survey = Survey.objects.filter(organization__code="UB-AGENCY").first()

    page = browser_context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{page.url}: {message.text}"))
    violations: dict[str, list[str]] = {}

    def visit(path: str, then=None) -> None:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if then:
            then()
        if found := page.evaluate("window.__cspViolations"):
            violations[path] = found

    visit("/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/my/")

    def open_criterion_details() -> None:
        link = page.locator("a[hx-get]").first
        target = link.get_attribute("hx-target")
        link.click()
        page.wait_for_selector(f"{target} *")  # the htmx partial arrived

    def bars_have_width() -> None:
        widths = page.eval_on_selector_all(
            ".progress-bar[data-width]", "bars => bars.map(b => b.style.width)"
        )
        assert widths and all(w.endswith("%") for w in widths), widths

    def open_user_menu() -> None:
        page.click("[data-test=user-menu]")
        page.wait_for_selector(".dropdown-menu.show")

    visit(f"/o/UB-AGENCY/plans/{plan.pk}/", then=open_user_menu)
    visit(f"/o/UB-AGENCY/plans/{plan.pk}/progress/", then=open_criterion_details)
    visit("/o/UB-AGENCY/dashboard/")
    visit("/o/UB-AGENCY/calendar/")
    visit("/o/UB-CITY/children/")
    visit(f"/o/UB-AGENCY/petitions/surveys/{survey.pk}/results/", then=bars_have_width)
    visit(f"/o/UB-AGENCY/evidence/{pdf.first().pk}/")
    visit("/api/v1/docs", then=lambda: page.wait_for_selector(".opblock"))
    visit("/accounts/two-factor/")
    visit("/public/")
    visit("/public/o/UB-AGENCY/")
    visit("/public/o/UB-AGENCY/petition/")

    assert not violations, violations
    blocked = [line for line in console if "Content Security Policy" in line]
    assert not blocked, blocked
