"""`shudarga load_demo_data`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from shudarga.organizations.models import Membership, Organization
from shudarga.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_it_loads_the_seed_plan_once_and_prints_the_password(monkeypatch):
    monkeypatch.setenv("SHUDARGA_ADMIN_PASSWORD", "demo-pass-123")
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    call_command("load_demo_data", stdout=io.StringIO())  # safe to run again
    assert "demo-pass-123" in out.getvalue()
    plan = Plan.objects.get(organization__code="UB-AGENCY", year=2023)
    assert plan.measures.count() == 19
    assert Organization.objects.get(code="UB-AGENCY").parent.code == "UB-CITY"
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("demo-pass-123")
    assert Membership.objects.filter(user=admin, organization=plan.organization).exists()


def test_it_generates_and_keeps_a_password_when_none_is_given(monkeypatch, settings, tmp_path):
    monkeypatch.delenv("SHUDARGA_ADMIN_PASSWORD", raising=False)
    settings.DATA_DIR = tmp_path
    call_command("load_demo_data", stdout=io.StringIO())
    password = (tmp_path / "demo-password.txt").read_text().strip()
    assert len(password) >= 12
    assert get_user_model().objects.get(username="officer").check_password(password)


@time_machine.travel(dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC), tick=False)
def test_it_adds_the_seed_rolled_into_the_current_year_in_progress(client, monkeypatch):
    from shudarga.dashboards.inbox import inbox_for_user
    from shudarga.reports.models import Report

    monkeypatch.setenv("SHUDARGA_ADMIN_PASSWORD", "demo-pass-123")
    out = io.StringIO()
    call_command("load_demo_data", "--url", "http://127.0.0.1:8101/", stdout=out)
    assert "http://127.0.0.1:8101/" in out.getvalue()
    seed, current = Plan.objects.filter(organization__code="UB-AGENCY").order_by("year")
    assert (seed.year, current.year) == (2023, 2026)
    assert seed.measures.count() == current.measures.count() == 19
    assert current.status == "published"
    reports = {r.period: r.status for r in Report.objects.filter(plan=current)}
    assert reports == {"h1": "approved", "9m": "submitted", "year": "draft"}
    users = get_user_model().objects
    today = dt.date(2026, 11, 20)
    review = inbox_for_user(user=users.get(username="reviewer"), today=today)
    assert [i.group for i in review.items if i.group == "review"] == ["review"]
    leader = inbox_for_user(user=users.get(username="leader"), today=today)
    assert "in_review" in {i.group for i in leader.items}
    officer = users.get(username="officer")
    mine = inbox_for_user(user=officer, today=today)
    assert {i.group for i in mine.items} >= {"measure", "petition"}
    # nothing recorded after today
    from shudarga.registers.models import BoardUpdate

    assert not BoardUpdate.objects.filter(date__gt=today).exists()
    client.force_login(officer)
    calendar = client.get(
        reverse("dashboards:calendar", args=["UB-AGENCY"]), {"month": "2026-11"}
    ).context["items"]
    assert {item.kind for item in calendar} >= {"measure", "petition"}
