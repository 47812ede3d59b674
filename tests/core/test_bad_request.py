"""A request Django cannot read gets a page that says what to do (finding 7: a 5,000-character
file name got Django's bare "Bad Request (400)")."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BOUNDARY = "----shudarga-test"


def _multipart(filename: str) -> bytes:
    """An upload as a browser sends it; the test client would cut the name at 255."""
    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="title"\r\n\r\nт\r\n'
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()


def test_a_5000_character_file_name_gets_a_page_that_says_what_to_do(officer, org):
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a browser: the token is in the body
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    client.cookies["csrftoken"] = _get_new_csrf_string()
    response = client.generic(
        "POST",
        reverse("evidence:add", args=[org.code]),
        _multipart("а" * 5000 + ".pdf"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-test="bad-request"' in html
    assert "Rename the file" in html
    assert "<html" in html  # the site's page, not the bare text


def test_the_page_is_in_mongolian_by_default(client, officer, org):
    client.force_login(officer)
    response = client.generic(
        "POST",
        reverse("evidence:add", args=[org.code]),
        _multipart("a" * 5000 + ".pdf"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400
    assert 'lang="mn"' in response.content.decode()


def test_the_api_answers_json(client, officer, org):
    response = client.generic(
        "POST",
        "/api/v1/organizations/HOME/evidence",
        _multipart("a" * 5000 + ".pdf"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        HTTP_AUTHORIZATION="Bearer nothing",
    )
    assert response.status_code in (400, 401)
    assert response["Content-Type"].startswith("application/json")
