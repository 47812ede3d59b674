"""Real plans other organizations published, rebuilt cell by cell (Word and Excel), read as
published: from the command line and from the web, goal by goal and measure by measure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from shudarga.plans.exports import plan_export
from shudarga.plans.models import Plan, PlanImportDraft

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent / "real"
CASES = sorted(
    (expected.name.removesuffix(".expected.json"), ext)
    for expected in HERE.glob("*.expected.json")
    for ext in ("docx", "xlsx")
)


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def differences(expected: dict, got: dict) -> list[str]:
    """Where the exported plan differs from the expected reading (whitespace squashed;
    `criteria: null` = not visible in the published copy; `code: ""` = no code given)."""
    diffs = []
    if len(got["goals"]) != len(expected["goals"]):
        diffs.append(f"goals: {len(got['goals'])} != {len(expected['goals'])}")
    for want, have in zip(expected["goals"], got["goals"], strict=False):
        if _squash(want["text"]) != _squash(have["text"]):
            diffs.append(f"goal {want['number']} text: {_squash(have['text'])[:60]!r}")
        if want.get("heading") and _squash(want["heading"]) != _squash(have.get("heading")):
            diffs.append(f"goal {want['number']} heading: {have.get('heading')!r}")
        for index, activity in enumerate(want.get("activities") or []):
            activities = have.get("activities") or []
            if index >= len(activities):
                diffs.append(f"activity {activity['code']} missing")
                continue
            diffs.extend(
                f"activity {activity['code']} {key}"
                for key in ("code", "text", "legal_basis")
                if _squash(activity.get(key)) != _squash(activities[index].get(key))
            )
        if len(want["measures"]) != len(have["measures"]):
            diffs.append(f"goal {want['number']}: {len(have['measures'])} measures")
        for measure, got_measure in zip(want["measures"], have["measures"], strict=False):
            tag = measure["code"] or measure["text"][:20]
            if measure["code"] and measure["code"] != got_measure["code"]:
                diffs.append(f"measure {tag} code {got_measure['code']!r}")
            diffs.extend(
                f"measure {tag} {key}: {got_measure.get(key)!r}"
                for key in ("text", "activity", "due", "responsible", "expected_result")
                if key in measure and _squash(measure[key]) != _squash(got_measure.get(key))
            )
            if measure.get("criteria") is not None and [
                _squash(c) for c in measure["criteria"]
            ] != [_squash(c) for c in got_measure["criteria"]]:
                diffs.append(f"measure {tag} criteria: {got_measure['criteria']!r}")
    return diffs


def _expected(name: str) -> dict:
    return json.loads((HERE / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_the_command_line_reads_it_as_published(name, ext, capsys):
    expected = _expected(name)
    call_command(
        "import_plan", str(HERE / f"{name}.{ext}"), "--org", "REAL", "--year", str(expected["year"])
    )
    plan_id = int(capsys.readouterr().out.strip().splitlines()[-1])
    got = json.loads(plan_export(plan=Plan.objects.get(pk=plan_id), fmt="json").content)
    assert differences(expected["expected"], got) == []
    assert got["year"] == expected["year"]


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_the_web_reads_it_as_published(name, ext, client, coordinator, org):
    expected = _expected(name)
    client.force_login(coordinator)
    upload = SimpleUploadedFile(f"{name}.{ext}", (HERE / f"{name}.{ext}").read_bytes())
    response = client.post(reverse("plans:import", args=[org.code]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = PlanImportDraft.objects.get()
    preview = client.get(response["Location"])
    assert preview.context["error"] == ""
    client.post(reverse("plans:import_confirm", args=[org.code, draft.pk]))
    plan = Plan.objects.get()
    got = json.loads(plan_export(plan=plan, fmt="json").content)
    assert differences(expected["expected"], got) == []


def test_the_headings_expected_results_and_annex_are_kept(capsys):
    call_command("import_plan", str(HERE / "E_orkhon_2016.docx"), "--org", "ORKHON")
    plan = Plan.objects.get()
    goal = plan.goals.get()
    assert goal.heading.endswith("чиглэлээр:")
    measure = plan.measures.get()
    assert measure.expected_result.startswith("Байгууллага бүр авлигын эсрэг")
    assert not measure.criteria.exists()
    assert [(s.label, s.title, s.name) for s in plan.signatures.all()] == [
        ("БАТЛАВ", "АЙМГИЙН ЗАСАГ ДАРГА", "С.ДАНГААСҮРЭН")
    ]
    assert str(plan.approved_on) == "2016-01-20"
    call_command("import_plan", str(HERE / "A_bagakhangai_2018.xlsx"), "--org", "BAGA")
    plan = Plan.objects.get(organization__code="BAGA")
    assert plan.basis.endswith("захирамжийн хавсралт")
    assert plan.title.startswith("БАГАХАНГАЙ ДҮҮРГИЙН") and plan.title.endswith("ТӨЛӨВЛӨГӨӨ")


@pytest.mark.parametrize(("name", "ext"), CASES)
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_its_export_reads_back_as_the_same_plan(name, ext, fmt):
    from shudarga.plans.documents import docx_format, xlsx_format
    from shudarga.plans.documents.reading import read_plan_document

    document = read_plan_document((HERE / f"{name}.{ext}").read_bytes())
    module = {"docx": docx_format, "xlsx": xlsx_format}[fmt]
    assert module.read(module.write(document)).to_dict() == document.to_dict()
