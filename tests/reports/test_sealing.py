"""Approving a plan or a report seals it; `verify_seal` and the pages' badges say whether
anything changed since, and name it."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from shudarga.core.models import AuditEntry, RecordLock, Seal
from shudarga.core.sealing import canonical_json, content_digest, digest_of_seal
from shudarga.evidence.models import Evidence
from shudarga.evidence.services import evidence_add_file, evidence_replace
from shudarga.plans.models import Criterion, Measure
from shudarga.plans.sealing import plan_seal_verify
from shudarga.plans.services import plan_change_status
from shudarga.reports import services
from shudarga.reports.models import ReportItem
from shudarga.reports.sealing import report_seal_verify
from tests.reports.conftest import plan_with_measures, score_all

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_seal", *args, stdout=out)
    return out.getvalue()


def _verify_fails(*args: str) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"seals checked, [1-9]\d* changed"):
        call_command("verify_seal", *args, stdout=out)
    return out.getvalue()


def _approve(report, reviewer, leader):
    report = score_all(report, reviewer)
    report = services.report_mark_reviewed(report=report, actor=reviewer)
    return services.report_approve(report=report, actor=leader)


@pytest.fixture
def evidence_file(seed_plan, officer):
    return evidence_add_file(
        organization=seed_plan.organization,
        measure=seed_plan.measures.get(code="1.2"),
        upload=SimpleUploadedFile("тайлан.pdf", PDF, content_type="application/pdf"),
        actor=officer,
        title="Сургалтын тайлан",
        relates_to=dt.date(2023, 5, 1),
    )


@pytest.fixture
def approved_report(year_report, evidence_file, reviewer, leader):
    return _approve(year_report, reviewer, leader)


def _seal(kind, object_id):
    return Seal.objects.filter(kind=kind, object_id=object_id).order_by("-sealed_at", "-id")[0]


# -- plans --------------------------------------------------------------------------------


def test_approving_a_plan_seals_it_and_it_is_intact(seed_plan, reviewer):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    seal = Seal.objects.get(kind="plan", object_id=seed_plan.pk)
    assert seal.sealed_by == reviewer and seal.organization_id == seed_plan.organization_id
    assert seal.evidence == []
    assert json.loads(seal.content)["title"] == seed_plan.title
    assert content_digest(seal.content) == seal.content_digest
    assert digest_of_seal(seal) == seal.digest
    entry = AuditEntry.objects.get(action="plan.sealed")
    assert entry.changes["seal"] == seal.pk and entry.changes["digest"] == seal.digest
    assert plan_seal_verify(seal=seal).state == "intact"
    out = _verify(str(seal.pk))
    assert f"seal #{seal.pk} plan #{seed_plan.pk}" in out and ": intact" in out
    assert "1 seals checked, 0 changed" in out


def test_publishing_does_not_seal_again(seed_plan, leader):
    plan_change_status(plan=seed_plan, transition="approve", actor=leader)
    plan_change_status(plan=seed_plan, transition="publish", actor=leader)
    assert Seal.objects.count() == 1
    assert "0 changed" in _verify("--all")


def test_it_names_a_measure_edited_in_the_database(seed_plan, reviewer):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    Measure.objects.filter(plan=seed_plan, code="1.2").update(text="Өөрчилсөн текст")
    Criterion.objects.filter(measure__plan=seed_plan, measure__code="2.1").delete()
    out = _verify_fails("--all")
    assert ": changed" in out
    assert "Measure 1.2: text changed" in out and "Өөрчилсөн текст" in out
    assert "Measure 2.1: criteria changed" in out
    assert "Measure 1.1:" not in out


def test_it_names_a_measure_removed_in_the_database(seed_plan, reviewer):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    Measure.objects.filter(plan=seed_plan, code="3.1").delete()
    assert "Measure 3.1: removed since sealing" in _verify_fails("--all")


def test_a_reopened_plan_is_not_a_fault_and_approving_again_seals_anew(seed_plan, reviewer):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    first = Seal.objects.get()
    plan_change_status(plan=seed_plan, transition="reopen", actor=reviewer)
    Measure.objects.filter(plan=seed_plan, code="1.2").update(text="Засвар")
    out = _verify("--all")
    assert "reopened since (not in force)" in out and "Measure 1.2: text changed" in out
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    second = _seal("plan", seed_plan.pk)
    assert second.pk != first.pk and Seal.objects.count() == 2  # the old one is kept
    assert json.loads(second.content)["goals"][0]["measures"][1]["text"] == "Засвар"
    out = _verify("--all")
    assert f"superseded by seal #{second.pk}" in out
    assert f"seal #{second.pk} plan #{seed_plan.pk}" in out and "2 seals checked, 0 changed" in out


def test_a_plan_set_back_to_draft_in_the_database_is_a_fault(seed_plan, reviewer):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    type(seed_plan).objects.filter(pk=seed_plan.pk).update(status="draft")
    assert "left the approved state without a recorded reopening" in _verify_fails("--all")


# -- the seal row itself ------------------------------------------------------------------


def test_it_notices_a_seal_edited_in_the_database(seed_plan, reviewer):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    seal = Seal.objects.get()
    sealed = json.loads(seal.content)
    sealed["title"] = "Нууцаар сольсон"
    Seal.objects.filter(pk=seal.pk).update(content=canonical_json(sealed))
    assert "the sealed content does not match its digest" in _verify_fails(str(seal.pk))


def test_it_notices_a_seal_rewritten_with_fresh_digests(seed_plan, reviewer):
    """Someone edits the plan and re-seals it by hand, digests and all: the audit log, whose
    chain they cannot rewrite, still holds the old digest."""
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    Measure.objects.filter(plan=seed_plan, code="1.2").update(text="Хуурамч")
    seal = Seal.objects.get()
    from shudarga.plans.sealing import plan_seal_content
    from shudarga.plans.selectors import plan_to_document

    seal.content = canonical_json(plan_seal_content(document=plan_to_document(plan=seed_plan)))
    seal.content_digest = content_digest(seal.content)
    seal.digest = digest_of_seal(seal)
    seal.save()
    out = _verify_fails("--all")
    assert "the audit log recorded another digest for this seal" in out
    assert "Measure 1.2" not in out  # the plan matches the forged seal, the log does not


# -- reports ------------------------------------------------------------------------------


def test_approving_a_report_seals_it_with_its_evidence(approved_report, evidence_file, leader):
    seal = _seal("report", approved_report.pk)
    assert seal.sealed_by == leader
    assert seal.evidence == [
        {
            "id": evidence_file.pk,
            "version": 1,
            "sha256": evidence_file.sha256,
            "title": "Сургалтын тайлан",
            "measure": "1.2",
        }
    ]
    content = json.loads(seal.content)
    assert content["status"] == "approved" and content["period_key"] == "year"
    check = report_seal_verify(seal=seal)
    assert check.state == "intact" and check.rehashed
    assert ": intact" in _verify(str(seal.pk))


def test_it_names_a_report_score_edited_in_the_database(approved_report):
    ReportItem.objects.filter(report=approved_report, measure__code="1.2").update(score=30)
    out = _verify_fails("--all")
    assert "Measure 1.2: score changed (100 → 30)" in out
    assert "Report: plan percent changed" in out


def test_it_names_an_evidence_file_whose_bytes_changed_on_disk(approved_report, evidence_file):
    with open(evidence_file.file.path, "wb") as handle:
        handle.write(PDF + b"% tampered\n")
    out = _verify_fails("--all")
    assert f'Evidence #{evidence_file.pk} "Сургалтын тайлан" (measure 1.2)' in out
    assert "the file's bytes differ from the sealed SHA-256" in out
    # Without reading the files the change cannot be seen: the database still agrees.
    assert "0 changed" in _verify("--all", "--no-rehash")


def test_it_names_an_evidence_file_missing_from_storage(approved_report, evidence_file):
    evidence_file.file.storage.delete(evidence_file.file.name)
    assert "the file is missing from storage" in _verify_fails("--all")


def test_it_names_an_evidence_row_deleted_in_the_database(approved_report, evidence_file):
    Evidence.objects.filter(pk=evidence_file.pk).delete()
    out = _verify_fails("--all")
    assert f"Evidence #{evidence_file.pk}" in out and "the row is gone from the database" in out
    assert "Measure 1.2: evidence changed" in out


def test_it_names_evidence_replaced_after_approval(approved_report, evidence_file, officer):
    """The app refuses the replacement (the report locks its evidence); done behind its back
    (here: the lock row deleted in the database first), the seal names it."""
    upload = SimpleUploadedFile("шинэ.pdf", PDF + b"%2\n", content_type="application/pdf")
    with pytest.raises(ValidationError, match="approved and locked"):
        evidence_replace(evidence=evidence_file, upload=upload, actor=officer)
    assert "0 changed" in _verify("--all")
    RecordLock.objects.all().delete()
    evidence_replace(evidence=evidence_file, upload=upload, actor=officer)
    out = _verify_fails("--all")
    assert "was replaced by a newer version" in out


def test_reopening_and_approving_a_report_again_makes_a_new_seal(approved_report, reviewer, leader):
    first = _seal("report", approved_report.pk)
    report = services.report_reopen(report=approved_report, actor=leader, reason="Засна")
    assert "reopened since (not in force)" in _verify("--all")
    report = _approve(report, reviewer, leader)
    second = _seal("report", report.pk)
    assert second.pk != first.pk
    assert set(Seal.objects.filter(kind="report").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    out = _verify("--all")
    assert f"superseded by seal #{second.pk}" in out and "0 changed" in out


def test_it_checks_one_organizations_seals(approved_report, seed_plan, reviewer, other_plan):
    plan_change_status(plan=other_plan, transition="approve", actor=None)
    Measure.objects.filter(plan=other_plan, code="1.2").update(text="Өөр байгууллагын засвар")
    out = _verify("--organization", seed_plan.organization.code)
    assert "1 seals checked, 0 changed" in out
    _verify_fails("--organization", other_plan.organization.code)


def test_it_refuses_unknown_seals_and_organizations_and_no_argument():
    with pytest.raises(CommandError, match="No seal has the id 999"):
        call_command("verify_seal", "999", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No organization has the code 'NOPE'"):
        call_command("verify_seal", "--organization", "NOPE", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--all"):
        call_command("verify_seal", stdout=io.StringIO())


# -- the badges ---------------------------------------------------------------------------


def test_the_report_badge_is_green_then_red_with_a_page_of_differences(
    client, approved_report, officer, org
):
    client.force_login(officer)
    url = reverse("reports:detail", args=[org.code, approved_report.pk])
    seal_url = reverse("reports:seal", args=[org.code, approved_report.pk])
    html = client.get(url).content.decode()
    assert 'data-seal="intact"' in html and seal_url in html
    ReportItem.objects.filter(report=approved_report, measure__code="1.2").update(score=30)
    html = client.get(url).content.decode()
    assert 'data-seal="changed"' in html
    page = client.get(seal_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Measure 1.2" in text and "score changed" in text
    assert "verify_seal" in text  # says the files' bytes are checked by the command


def test_the_report_badge_turns_red_when_an_evidence_row_disappears(
    client, approved_report, evidence_file, officer, org
):
    Evidence.objects.filter(pk=evidence_file.pk).delete()
    client.force_login(officer)
    html = client.get(reverse("reports:detail", args=[org.code, approved_report.pk])).content
    assert b'data-seal="changed"' in html


def test_the_report_badge_does_not_rehash_files(
    client, approved_report, evidence_file, officer, org
):
    """The page compares digests with the database only; the bytes are `verify_seal`'s."""
    with open(evidence_file.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 other bytes")
    client.force_login(officer)
    html = client.get(reverse("reports:detail", args=[org.code, approved_report.pk])).content
    assert b'data-seal="intact"' in html


def test_the_plan_badge_is_green_then_red(client, seed_plan, reviewer, org):
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    client.force_login(reviewer)
    url = reverse("plans:detail", args=[org.code, seed_plan.pk])
    assert b'data-seal="intact"' in client.get(url).content
    Measure.objects.filter(plan=seed_plan, code="1.2").update(text="Өөрчилсөн")
    assert b'data-seal="changed"' in client.get(url).content
    text = client.get(reverse("plans:seal", args=[org.code, seed_plan.pk])).content.decode()
    assert "Measure 1.2" in text and "Өөрчилсөн" in text


def test_an_unsealed_plan_has_no_badge_and_its_seal_page_says_so(client, seed_plan, officer, org):
    client.force_login(officer)
    assert (
        b"data-seal="
        not in client.get(reverse("plans:detail", args=[org.code, seed_plan.pk])).content
    )
    page = client.get(reverse("plans:seal", args=[org.code, seed_plan.pk]))
    assert page.status_code == 200 and b"data-seal=" not in page.content


def test_the_seal_pages_answer_404_to_outsiders(client, approved_report, seed_plan, outsider, org):
    client.force_login(outsider)
    assert client.get(reverse("plans:seal", args=[org.code, seed_plan.pk])).status_code == 404
    url = reverse("reports:seal", args=[org.code, approved_report.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_public_plan_shows_its_seal_in_a_fixed_number_of_queries(
    client, org, leader, django_assert_num_queries, n_measures
):
    plan = plan_with_measures(org, n_measures)
    plan_change_status(plan=plan, transition="approve", actor=leader)
    plan_change_status(plan=plan, transition="publish", actor=leader)
    url = reverse("public:plan", args=[org.code, plan.pk])
    # organization, plan, goals, activities, measures, criteria, signatures, the seal
    with django_assert_num_queries(8):
        html = client.get(url).content.decode()
    assert 'data-seal="intact"' in html and "Sealed on" in html
    assert leader.username not in html  # who approved is not shown to the public
    Measure.objects.filter(plan=plan, code="1.1").update(text="Нууцаар")
    assert 'data-seal="changed"' in client.get(url).content.decode()


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_seal_pages_run_a_fixed_number_of_queries(
    client, org, officer, reviewer, leader, django_assert_max_num_queries, n_measures
):
    from tests.factories import EvidenceFactory

    plan = plan_with_measures(org, n_measures, recurrence="half_yearly")
    plan_change_status(plan=plan, transition="approve", actor=leader)
    for measure in plan.measures.all():
        EvidenceFactory(measure=measure, relates_to=dt.date(2023, 5, 1), as_file=True)
    report = _approve(
        services.report_create(plan=plan, period="year", actor=None), reviewer, leader
    )
    assert len(_seal("report", report.pk).evidence) == n_measures
    client.force_login(officer)
    # session, user, organization, memberships, plan, the seal, a newer seal?, the plan
    # again, its document (five), the audit record of the seal, the seals' history, the
    # plan's amendments, switcher
    with django_assert_max_num_queries(17):
        assert client.get(reverse("plans:seal", args=[org.code, plan.pk])).status_code == 200
    # session, user, organization, memberships, report + plan, the seal, a newer seal?, the
    # report again, the report page (eight, with the parent body's evaluation), the
    # export's people and signatures, the audit record, the evidence rows, the seals'
    # history, switcher
    with django_assert_max_num_queries(22):
        response = client.get(reverse("reports:seal", args=[org.code, report.pk]))
    assert b"Nothing differs from the seal." in response.content
