"""Structured logs and request ids: one JSON object per line with the request's context."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from shudarga.core.logs import JsonFormatter, RequestContextFilter, TextFormatter
from shudarga.settings import logging_from_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The root logger also writes JSON lines here, as production's handler does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_it_gives_each_response_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_it_keeps_a_sane_request_id_from_the_proxy(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c")
    assert response["X-Request-ID"] == "nginx-4f2a9c"


@pytest.mark.parametrize("given", ['a"b', "x" * 200, "line\nbreak", "кирилл"])
def test_it_replaces_a_request_id_that_could_forge_log_lines(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32


def test_it_logs_each_request_as_one_json_line_with_user_and_organization(
    client, officer, seed_plan, json_lines
):
    client.force_login(officer)
    response = client.get(f"/o/HOME/plans/{seed_plan.pk}/", HTTP_X_REQUEST_ID="req-1")
    assert response.status_code == 200
    (line,) = [entry for entry in json_lines() if entry["logger"] == "shudarga.request"]
    assert line["time"].endswith("+00:00") and line["level"] == "INFO"
    assert line["message"].startswith(f"GET /o/HOME/plans/{seed_plan.pk}/ 200 ")
    assert {k: line[k] for k in ("request_id", "user_id", "org", "method", "path", "status")} == {
        "request_id": "req-1",
        "user_id": officer.pk,
        "org": "HOME",
        "method": "GET",
        "path": f"/o/HOME/plans/{seed_plan.pk}/",
        "status": 200,
    }
    assert isinstance(line["duration_ms"], float)


def test_lines_logged_during_a_request_carry_its_id(client, officer, json_lines):
    client.force_login(officer)
    client.get("/o/HOME/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    lines = json_lines()
    not_found = next(entry for entry in lines if entry["logger"] == "django.request")
    assert not_found["level"] == "WARNING" and "Not Found" in not_found["message"]
    assert not_found["request_id"] == "req-404" and not_found["status"] == 404
    assert {entry["request_id"] for entry in lines} == {"req-404"}


def test_logging_a_request_loads_no_user_the_view_did_not_load(
    client, officer, json_lines, django_assert_num_queries
):
    client.force_login(officer)
    with django_assert_num_queries(0):
        client.get("/healthz", HTTP_X_REQUEST_ID="probe")
    # A logged answer whose view never loaded the user (the 404 page does load it now: its
    # top bar shows the person's menu): the line says nothing of a user.
    client.post("/healthz")
    lines = [entry for entry in json_lines() if entry["logger"] == "shudarga.request"]
    assert [entry["status"] for entry in lines] == [405]  # successful probes are not logged
    assert "user_id" not in lines[0]


def test_a_traceback_stays_inside_its_one_line(json_lines):
    try:
        raise ValueError("бичлэг\nолдсонгүй")
    except ValueError:
        logging.getLogger("shudarga.test").exception("Export failed")
    (line,) = json_lines()
    assert line["message"] == "Export failed"
    assert "ValueError: бичлэг" in line["exception"]
    assert "request_id" not in line  # outside a request


def test_the_text_format_shows_the_request_id():
    record = logging.LogRecord("shudarga", logging.INFO, __file__, 1, "hello", None, None)
    record.request_id = "abc"
    assert "shudarga [abc] hello" in TextFormatter().format(record)


def test_production_logs_json_and_development_text():
    def console_format(env, debug):
        return logging_from_env(env, debug=debug)["handlers"]["console"]["formatter"]

    assert console_format({}, debug=False) == "json"
    assert console_format({}, debug=True) == "text"
    assert console_format({"SHUDARGA_LOG_FORMAT": "json"}, debug=True) == "json"
    with pytest.raises(ImproperlyConfigured, match="SHUDARGA_LOG_FORMAT"):
        console_format({"SHUDARGA_LOG_FORMAT": "xml"}, debug=False)


@pytest.mark.parametrize(
    ("peer", "forwarded", "seen"),
    [
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),  # nginx on this machine
        ("127.0.0.1", "10.9.9.9, 203.0.113.7", "203.0.113.7"),  # the client's own claim is ignored
        ("127.0.0.1", "203.0.113.7, 127.0.0.1", "203.0.113.7"),  # two trusted hops
        ("198.51.100.2", "203.0.113.7", "198.51.100.2"),  # not a proxy: header ignored
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_the_client_address_behind_nginx_is_the_forwarded_one(peer, forwarded, seen):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from shudarga.core.http import client_ip
    from shudarga.core.middleware import ForwardedClientMiddleware

    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    ForwardedClientMiddleware(lambda r: HttpResponse())(request)
    assert client_ip(request) == seen
