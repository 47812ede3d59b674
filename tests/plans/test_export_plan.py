"""`shudarga export_plan PLAN_ID --format json|docx|xlsx [-o PATH]`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from shudarga.plans.documents.reading import read_plan_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["json", "docx", "xlsx"])
def test_it_writes_a_file_that_imports_back_to_the_same_plan(tmp_path, seed_plan, seed_bytes, fmt):
    path = tmp_path / f"plan.{fmt}"
    call_command(
        "export_plan", str(seed_plan.pk), "--format", fmt, "-o", str(path), stderr=io.StringIO()
    )
    assert (
        read_plan_document(path.read_bytes()).to_dict() == read_plan_document(seed_bytes).to_dict()
    )


def test_it_writes_json_to_standard_output(seed_plan):
    out = io.StringIO()
    call_command("export_plan", str(seed_plan.pk), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["title"] == "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ"
    assert set(data) == {"title", "year", "approved_on", "place", "goals", "signatures"}


def test_it_refuses_an_unknown_plan():
    with pytest.raises(CommandError, match="No plan"):
        call_command("export_plan", "999999")
