"""`shudarga load_demo_data`."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from shudarga.organizations.models import Membership, Organization
from shudarga.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_it_loads_the_seed_plan_once_and_prints_the_password(monkeypatch):
    monkeypatch.setenv("SHUDARGA_ADMIN_PASSWORD", "demo-pass-123")
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    call_command("load_demo_data", stdout=io.StringIO())  # safe to run again
    assert "demo-pass-123" in out.getvalue()
    plan = Plan.objects.get(organization__code="UB-AGENCY")
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
