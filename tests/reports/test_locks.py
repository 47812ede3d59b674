"""Approved means locked (issue 16, finding 3): evidence and register rows inside an approved
report's period and plan cannot be added, replaced or deleted — by the web, the API or any
service — until the report is reopened with a reason; the seal then stays intact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shudarga.core.models import RecordLock, Seal
from shudarga.evidence.models import Evidence
from shudarga.evidence.services import (
    evidence_add_file,
    evidence_add_link,
    evidence_delete,
    evidence_replace,
)
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_delete, register_row_save
from shudarga.reports import services
from shudarga.reports.sealing import report_seal_verify
from tests.api.conftest import api_for as api_for
from tests.factories import BoardUpdateFactory, EventFactory
from tests.reports.conftest import score_all

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
IN_THE_YEAR = dt.date(2023, 5, 1)


def _pdf(name="тайлан.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def listed(seed_plan, officer):
    """Evidence the year report will list (measure 1.2, May 2023)."""
    return evidence_add_file(
        organization=seed_plan.organization, measure=seed_plan.measures.get(code="1.2"),
        upload=_pdf(), actor=officer, relates_to=IN_THE_YEAR,
    )  # fmt: skip


@pytest.fixture
def approved(year_report, listed, reviewer, leader):
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    return services.report_approve(report=report, actor=leader)


def _seal_state(report) -> str:
    seal = Seal.objects.filter(kind="report", object_id=report.pk).latest("sealed_at")
    return report_seal_verify(seal=seal, rehash=True).state


def test_approving_records_the_lock(approved, seed_plan):
    lock = RecordLock.objects.get(kind="report", object_id=approved.pk)
    assert (lock.plan_id, lock.start, lock.end) == (
        seed_plan.pk,
        dt.date(2023, 1, 1),
        dt.date(2023, 12, 31),
    )


def test_the_attacks_of_finding_3_are_refused_and_the_seal_stays_intact(
    approved, listed, seed_plan, officer
):
    organization, measure = seed_plan.organization, seed_plan.measures.get(code="1.3")
    with pytest.raises(ValidationError, match="approved and locked"):
        evidence_add_file(
            organization=organization, measure=measure, upload=_pdf("шинэ.pdf"),
            actor=officer, relates_to=dt.date(2023, 11, 30),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="approved and locked"):
        evidence_add_link(
            organization=organization, measure=measure, link="https://example.mn/x",
            actor=officer, relates_to=IN_THE_YEAR,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="approved and locked"):
        evidence_replace(evidence=listed, upload=_pdf("солих.pdf"), actor=officer)
    with pytest.raises(ValidationError, match="approved and locked"):
        # moving it out of the period is changing it, too
        evidence_replace(
            evidence=listed, link="https://example.mn/y", actor=officer,
            relates_to=dt.date(2024, 2, 1),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="approved and locked"):
        evidence_delete(evidence=listed, actor=officer)
    assert Evidence.objects.filter(organization=organization).count() == 1
    assert _seal_state(approved) == "intact"


def test_records_outside_the_report_are_not_locked(approved, seed_plan, other_plan, officer):
    organization = seed_plan.organization
    evidence_add_link(  # the next year
        organization=organization, measure=seed_plan.measures.get(code="1.2"),
        link="https://example.mn/2024", actor=officer, relates_to=dt.date(2024, 1, 2),
    )  # fmt: skip
    assert _seal_state(approved) == "intact"


def test_register_rows_of_the_period_and_plan_are_locked(approved, seed_plan, officer):
    spec = REGISTERS["events"]
    organization = seed_plan.organization
    measure = seed_plan.measures.get(code="1.2")
    event = EventFactory.build(organization=organization, date=IN_THE_YEAR)
    with pytest.raises(ValidationError, match="approved and locked"):
        register_row_save(
            spec=spec, organization=organization, row=event, measures=[measure], actor=officer
        )
    # A row of the period serving no measure of the plan is free …
    unlinked = EventFactory.build(organization=organization, date=IN_THE_YEAR)
    free = register_row_save(
        spec=spec, organization=organization, row=unlinked, measures=[], actor=officer
    )
    # … until it is linked to one.
    with pytest.raises(ValidationError, match="approved and locked"):
        register_row_save(
            spec=spec, organization=organization, row=free, measures=[measure], actor=officer
        )


def test_a_locked_row_cannot_be_edited_moved_or_deleted(
    year_report, listed, seed_plan, officer, reviewer, leader
):
    spec = REGISTERS["events"]
    organization = seed_plan.organization
    measure = seed_plan.measures.get(code="1.2")
    built = EventFactory.build(organization=organization, date=IN_THE_YEAR)
    row = register_row_save(
        spec=spec, organization=organization, row=built, measures=[measure], actor=officer
    )
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    services.report_approve(report=report, actor=leader)
    row = type(row).objects.get(pk=row.pk)
    row.date = dt.date(2024, 3, 1)
    with pytest.raises(ValidationError, match="approved and locked"):
        register_row_save(
            spec=spec, organization=organization, row=row, measures=None, actor=officer
        )
    with pytest.raises(ValidationError, match="approved and locked"):
        register_row_delete(spec=spec, row=type(row).objects.get(pk=row.pk), actor=officer)


def test_registers_counted_across_the_organization_are_locked_whatever_their_measures(
    approved, seed_plan, officer
):
    """Measure 1.3's criterion counts board updates of the whole organization every month."""
    lock = RecordLock.objects.get(object_id=approved.pk)
    assert "board-updates" in lock.registers
    spec = REGISTERS["board-updates"]
    with pytest.raises(ValidationError, match="approved and locked"):
        register_row_save(
            spec=spec,
            organization=seed_plan.organization,
            row=BoardUpdateFactory.build(organization=seed_plan.organization, date=IN_THE_YEAR),
            measures=[],
            actor=officer,
        )


def test_a_recorded_reopening_unlocks_and_approving_again_locks(
    approved, listed, seed_plan, officer, reviewer, leader
):
    with pytest.raises(ValidationError):
        services.report_reopen(report=approved, actor=leader, reason=" ")
    report = services.report_reopen(report=approved, actor=leader, reason="Нотломж нэмэх")
    assert not RecordLock.objects.exists()
    evidence_replace(evidence=listed, upload=_pdf("засвар.pdf"), actor=officer)
    assert _seal_state(report) == "reopened"
    report = services.report_submit(report=report, actor=officer)
    services.report_mark_reviewed(report=score_all(report, reviewer), actor=reviewer)
    report = services.report_approve(report=report, actor=leader)
    assert RecordLock.objects.filter(object_id=report.pk).exists()
    assert _seal_state(report) == "intact"


def test_the_evidence_page_says_why(client, approved, seed_plan, officer):
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("evidence:add", args=[seed_plan.organization.code]),
        {
            "measure": seed_plan.measures.get(code="1.2").pk,
            "relates_to": "2023-06-01",
            "file": _pdf("шинэ.pdf"),
        },
    )
    assert response.status_code == 400
    assert "approved and locked" in response.content.decode()


def test_the_api_is_refused_too(api_for, approved, seed_plan, officer):
    measure = seed_plan.measures.get(code="1.2")
    response = api_for(officer).upload(
        f"/organizations/{seed_plan.organization.code}/evidence",
        {"measure": measure.pk, "relates_to": "2023-06-01", "link": "https://example.mn/z"},
    )
    assert response.status_code == 400
    assert "approved and locked" in str(response.json())


def test_the_register_pages_say_why(client, seed_plan, officer, year_report, reviewer, leader):
    from shudarga.registers.services import register_row_save as save

    organization = seed_plan.organization
    row = save(
        spec=REGISTERS["events"], organization=organization,
        row=EventFactory.build(organization=organization, date=IN_THE_YEAR),
        measures=[seed_plan.measures.get(code="1.2")], actor=officer,
    )  # fmt: skip
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    services.report_approve(report=report, actor=leader)
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    url = reverse("registers:delete", args=[organization.code, "events", row.pk])
    response = client.post(url, follow=True)
    assert "approved and locked" in response.content.decode()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_the_pages_hold_back_the_buttons_of_locked_records(
    client, seed_plan, officer, year_report, listed, reviewer, leader
):
    """Locked evidence and rows show why instead of buttons that would only be refused; a
    row the report does not hold keeps its buttons."""
    organization = seed_plan.organization
    held, free = [
        register_row_save(
            spec=REGISTERS["events"],
            organization=organization,
            row=EventFactory.build(organization=organization, date=day),
            measures=[seed_plan.measures.get(code="1.2")],
            actor=officer,
        )
        for day in (IN_THE_YEAR, dt.date(2024, 2, 1))
    ]
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    code = organization.code
    evidence_url = reverse("evidence:detail", args=[code, listed.pk])
    replace_url = reverse("evidence:replace", args=[code, listed.pk])
    assert replace_url in client.get(evidence_url).content.decode()  # not locked yet

    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    services.report_approve(report=report, actor=leader)

    html = client.get(evidence_url).content.decode()
    assert 'data-test="locked"' in html and replace_url not in html
    html = client.get(reverse("registers:list", args=[code, "events"])).content.decode()
    assert reverse("registers:delete", args=[code, "events", held.pk]) not in html
    assert reverse("registers:delete", args=[code, "events", free.pk]) in html
    assert html.count('data-test="locked"') == 1
    html = client.get(reverse("registers:edit", args=[code, "events", held.pk])).content.decode()
    assert "<fieldset disabled>" in html and ">Save</button>" not in html
    html = client.get(reverse("registers:delete", args=[code, "events", held.pk])).content.decode()
    assert 'data-test="locked"' in html and 'class="btn btn-danger"' not in html
    html = client.get(reverse("registers:edit", args=[code, "events", free.pk])).content.decode()
    assert "<fieldset>" in html and ">Save</button>" in html
