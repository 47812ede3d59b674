"""Every report URL, walked: an outsider gets 404 whatever the method, also for this
organization's report ids under their own organization's code; an anonymous visitor is sent
to sign in; an auditor reads and changes nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver, reverse

from shudarga.reports.models import Report, ReportItem

pytestmark = pytest.mark.django_db


def _report_routes():
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == "reports":
            for pattern in entry.url_patterns:
                yield f"reports:{pattern.name}", str(pattern.pattern)


@pytest.fixture
def values(year_report):
    return {
        "code": "HOME",
        "report_id": year_report.pk,
        "measure_id": year_report.plan.measures.get(code="1.1").pk,
        "fmt": "pdf",
    }


def _kwargs(route, values):
    return {name: values[name] for name in re.findall(r"<(?:\w+:)?(\w+)>", route)}


def test_the_walk_covers_every_report_url():
    assert {name for name, _route in _report_routes()} >= {
        "reports:list", "reports:detail", "reports:measure", "reports:transition",
        "reports:export", "reports:bundle", "reports:bundle_download", "reports:compare",
    }  # fmt: skip


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_everywhere(client, outsider, values, method):
    client.force_login(outsider)
    for name, route in _report_routes():
        response = getattr(client, method)(reverse(name, kwargs=_kwargs(route, values)))
        assert response.status_code == 404, f"{method} {name}"
        if "report_id" in route:
            own = reverse(name, kwargs=_kwargs(route, {**values, "code": "OTHER"}))
            assert getattr(client, method)(own).status_code == 404, f"{method} {name} as OTHER"


def test_anonymous_visitors_are_sent_to_sign_in(client, values):
    for name, route in _report_routes():
        response = client.get(reverse(name, kwargs=_kwargs(route, values)))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/")


def test_an_auditor_changes_nothing(client, auditor, values, year_report):
    client.force_login(auditor)
    before = list(ReportItem.objects.values_list("text", "score"))
    for name, route in _report_routes():
        if name in ("reports:bundle",):  # building a bundle changes no report data
            continue
        response = client.post(
            reverse(name, kwargs=_kwargs(route, values)),
            {"action": "save", "text": "X", "transition": "submit", "plan": year_report.plan_id,
             "defaults": "1", "due_date": "2024-01-01"},
        )  # fmt: skip
        assert response.status_code in (403, 405, 200, 404), name
    assert list(ReportItem.objects.values_list("text", "score")) == before
    assert Report.objects.get().status == "draft" and Report.objects.count() == 1
