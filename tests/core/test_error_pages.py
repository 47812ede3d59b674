"""Error pages in the user's language: a missing page and a forbidden action say what
happened and where to go (Django's bare English pages before), and the server error page
needs no database or context (it is rendered when something already failed)."""

from __future__ import annotations

import pytest
from django.template import loader
from django.urls import reverse

from shudarga.organizations.roles import Role
from tests.conftest import _member

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_mongolian_and_english(client, officer):
    client.force_login(officer)
    page = client.get("/o/NOWHERE/plans/")
    assert page.status_code == 404
    assert "Хуудас олдсонгүй" in page.content.decode()
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/no/such/page/").content.decode()


def test_a_forbidden_action_says_whom_to_ask(client, org):
    auditor = _member(org, Role.AUDITOR, "home-auditor")
    client.force_login(auditor)
    page = client.get(reverse("petitions:create", args=[org.code]))
    assert page.status_code == 403
    assert "Зөвшөөрөгдөөгүй" in page.content.decode()


def test_the_server_error_page_renders_without_context():
    html = loader.get_template("500.html").render({})
    assert "Системд алдаа гарлаа" in html and "Something went wrong" in html
