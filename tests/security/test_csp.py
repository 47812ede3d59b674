"""Content-Security-Policy without inline script or style: every page of the demo, crawled
as its administrator, carries the policy and has no inline script, event handler, style
attribute or <style> element the policy would block."""

from __future__ import annotations

import io
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# Each URL pattern is visited with at most this many different addresses (filters, pages,
# objects): enough to see every template, without walking every row of the demo.
PER_ROUTE = 3
ADMIN_PER_ROUTE = 1  # the admin's templates are Django's own, the same for every model
# Files, not pages: exports, downloads, charts and QR codes.
FILE_ROUTE_MARKS = ("export", "download", ".<str:fmt>", ".svg", ".xlsx", ".ics")
SKIP_PREFIXES = ("/static/", "/media/", "/ical/")
SKIP_NAMES = {"logout"}


class InlineFinder(HTMLParser):
    """Collects what a `script-src 'self'; style-src 'self'` policy blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        # A JSON data block is not run, so the policy leaves it alone.
        is_data = (values.get("type") or "").lower() == "application/json"
        if tag == "script" and not values.get("src") and not is_data:
            self.problems.append("inline <script>")
        for name in ("href", "hx-get"):
            if tag in {"a", "link", "div", "span", "li", "tr", "section"} and values.get(name):
                self.links.append(values[name])


def inline_problems(html: str) -> tuple[list[str], list[str]]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems, finder.links


def test_the_finder_finds_what_the_policy_blocks():
    html = (
        '<div style="width:3px"></div><button onclick="go()">x</button><script>alert(1)'
        '</script><style>p{}</style><a href="javascript:void(0)">y</a>'
        '<script type="application/json">{}</script><script src="/static/a.js"></script>'
    )
    problems, _links = inline_problems(html)
    assert len(problems) == 5, problems


def test_every_response_carries_the_policy(client):
    response = client.get(reverse("login"))
    assert policy(response) == POLICY
    response = client.get("/public/")
    assert policy(response) == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy header as {directive: sources}."""
    directives = (
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return dict(directives)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in SKIP_NAMES:
        return None
    return match.route


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("SHUDARGA_ADMIN_PASSWORD", "demo-password-for-the-crawl")
    call_command("load_demo_data", stdout=io.StringIO())


def test_no_page_of_the_demo_has_inline_script_or_style(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    start = [
        reverse("dashboards:my_work"),
        "/o/UB-AGENCY/",
        "/o/UB-CITY/children/",
        "/public/",
        "/admin/",
        reverse("accounts:password_change"),
        reverse("accounts:two_factor"),
        reverse("tokens:manage"),
    ]
    queue = deque(start)
    seen: set[str] = set(start)
    per_route: Counter[str] = Counter()
    problems: dict[str, list[str]] = {}
    errors: list[str] = []
    pages = 0
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code in (301, 302):
            queue.append(response["Location"]) if response["Location"] not in seen else None
            seen.add(response["Location"])
            continue
        if response.status_code >= 500:
            errors.append(f"{path}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        assert policy(response) == POLICY, path
        found, links = inline_problems(response.content.decode())
        if found:
            problems[path] = sorted(set(found))
        for link in links:
            url = urljoin(path, link)
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site, mailto:, tel:
            url = parts.path + (f"?{parts.query}" if parts.query else "")
            if url in seen or parts.path.startswith(SKIP_PREFIXES):
                continue
            route = _route(parts.path)
            if route is None or any(mark in route for mark in FILE_ROUTE_MARKS):
                continue
            if per_route[route] >= (ADMIN_PER_ROUTE if route.startswith("admin/") else PER_ROUTE):
                continue
            per_route[route] += 1
            seen.add(url)
            queue.append(url)
    assert not errors, errors
    assert not problems, problems
    # The crawl reached the app's faces, not just the start pages.
    assert pages >= 100, pages
    for fragment in ("plans/", "registers/", "evidence/", "petitions/", "reports/", "calendar/"):
        assert any(fragment in path for path in seen), fragment


def test_the_lockout_and_two_factor_pages_have_no_inline_script_or_style(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    UserFactory(username="x")
    response = client.post(reverse("login"), {"username": "x", "password": "wrong-password"})
    assert response.status_code == 429
    assert inline_problems(response.content.decode())[0] == []
    response = client.post(reverse("login"), {"username": "y", "password": "password"})
    client.force_login(UserFactory(username="z"))
    response = client.get(reverse("accounts:two_factor"))
    assert inline_problems(response.content.decode())[0] == []
