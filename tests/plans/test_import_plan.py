"""`shudarga import_plan PATH --org CODE`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from shudarga.core.models import AuditEntry
from shudarga.organizations.models import Organization
from shudarga.plans.models import Measure, Plan
from tests.conftest import SEED_PATH

pytestmark = pytest.mark.django_db


def _run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_creates_the_organization_and_prints_the_plan_id_last():
    lines = _run(str(SEED_PATH), "--org", "NEW-ORG", "--org-name", "Шинэ газар")
    org = Organization.objects.get(code="NEW-ORG")
    plan = Plan.objects.get()
    assert lines[-1] == str(plan.pk)
    assert any("Created organization NEW-ORG" in line for line in lines)
    assert any("khutulbur" in line for line in lines)  # the warning is shown
    assert org.name == "Шинэ газар"
    assert plan.organization == org
    assert Measure.objects.filter(plan=plan).count() == 19
    assert AuditEntry.objects.filter(action="plan.imported", object_id=str(plan.pk)).exists()


def test_it_uses_an_existing_organization_quietly(org):
    lines = _run(str(SEED_PATH), "--org", org.code)
    assert not any("Created organization" in line for line in lines)
    assert Plan.objects.get().organization == org


def test_it_puts_a_new_organization_under_its_parent(parent_org):
    _run(str(SEED_PATH), "--org", "CHILD", "--parent", parent_org.code)
    child = Organization.objects.get(code="CHILD")
    assert child.parent == parent_org
    assert child.path == f"{parent_org.path}{child.pk}/"


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _run(str(tmp_path / "nope.txt"), "--org", "X")


def test_it_refuses_a_bad_organization_code():
    with pytest.raises(CommandError):
        _run(str(SEED_PATH), "--org", "bad code with spaces")
    assert not Organization.objects.exists()
    assert not Plan.objects.exists()


def test_it_takes_the_year_from_the_option_when_the_document_has_none(tmp_path):
    text = SEED_PATH.read_text(encoding="utf-8")
    text = text.replace("2023 ОНЫ АВЛИГЫН", "АВЛИГЫН").replace("2023 оны 10 дугаар сарын 10", "")
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="year"):
        _run(str(path), "--org", "Y")
    _run(str(path), "--org", "Y", "--year", "2025")
    assert Plan.objects.get().year == 2025
