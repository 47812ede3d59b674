"""Evidence services: stored bytes and digests, versions that keep the old file, scope,
soft deletion and the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from shudarga.core.models import AuditEntry
from shudarga.evidence import services
from shudarga.evidence.models import Evidence
from shudarga.registers.models import Event
from tests.evidence import files
from tests.evidence.files import temp_upload, upload
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db


def _stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def _add_pdf(org, measure, actor, data=files.PDF, name="тайлан.pdf", **kwargs) -> Evidence:
    return services.evidence_add_file(
        organization=org, measure=measure, upload=upload(name, data), actor=actor, **kwargs
    )


def test_it_stores_the_file_with_its_digest_and_size(org, measure, coordinator, media_root):
    evidence = _add_pdf(org, measure, coordinator, ip="10.0.0.7")
    assert evidence.kind == Evidence.Kind.FILE
    assert evidence.sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert evidence.size == len(files.PDF)
    assert evidence.content_type == "application/pdf"
    assert evidence.original_name == "тайлан.pdf"
    assert evidence.title == "тайлан.pdf"  # defaults to the file name
    assert evidence.uploaded_by == coordinator
    assert evidence.relates_to == timezone.localdate()  # today in Ulaanbaatar
    assert evidence.is_current and evidence.version == 1
    with default_storage.open(evidence.file.name, "rb") as handle:
        assert handle.read() == files.PDF
    assert len(_stored_files(media_root)) == 1


def test_it_never_uses_the_users_file_name_for_storage(org, measure, coordinator):
    evidence = _add_pdf(org, measure, coordinator, name="../../../тайлан 2024.pdf")
    year = timezone.localdate().year
    assert re.fullmatch(rf"evidence/{org.pk}/{year}/[0-9a-f]{{32}}\.pdf", evidence.file.name)
    assert evidence.original_name == "тайлан 2024.pdf"


def test_it_stores_a_big_upload_from_its_temporary_file(org, measure, coordinator):
    data = b"%PDF-1.7\n" + bytes(range(256)) * 12_000  # ~3 MB, over the in-memory limit
    uploaded = temp_upload("big.pdf", data)
    evidence = services.evidence_add_file(
        organization=org, measure=measure, upload=uploaded, actor=coordinator
    )
    uploaded.close()  # as Django does at the end of a request; the file was moved away
    assert evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    with default_storage.open(evidence.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == evidence.sha256


def test_it_refuses_a_bad_file_under_the_file_key_and_stores_nothing(
    org, measure, coordinator, media_root
):
    with pytest.raises(ValidationError) as caught:
        _add_pdf(org, measure, coordinator, data=files.EXE, name="setup.pdf")
    assert "file" in caught.value.message_dict
    assert not Evidence.objects.exists()
    assert _stored_files(media_root) == []


def test_it_removes_the_stored_file_when_the_row_is_refused(org, measure, coordinator, media_root):
    with pytest.raises(ValidationError) as caught:
        _add_pdf(org, measure, coordinator, title="x" * 501)
    assert "title" in caught.value.message_dict
    assert not Evidence.objects.exists()
    assert _stored_files(media_root) == []


def test_it_writes_an_audit_entry(org, measure, coordinator):
    evidence = _add_pdf(org, measure, coordinator, ip="10.0.0.7")
    entry = AuditEntry.objects.get(action="evidence.added")
    assert entry.actor == coordinator
    assert entry.organization_id == org.pk
    assert entry.object_type == "evidence.evidence"
    assert entry.object_id == str(evidence.pk)
    assert entry.ip == "10.0.0.7"
    assert entry.changes["sha256"] == evidence.sha256
    assert entry.changes["measure"] == measure.pk


def test_it_adds_a_link(org, measure, officer):
    evidence = services.evidence_add_link(
        organization=org,
        measure=measure,
        link="https://www.facebook.com/ub/posts/110",
        actor=officer,
        relates_to=dt.date(2024, 3, 8),
    )
    assert evidence.kind == Evidence.Kind.LINK
    assert evidence.title == "https://www.facebook.com/ub/posts/110"
    assert evidence.relates_to == dt.date(2024, 3, 8)
    assert evidence.sha256 == "" and evidence.size is None
    assert AuditEntry.objects.filter(action="evidence.added", object_id=str(evidence.pk)).exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.mn/a"])
def test_it_refuses_links_that_are_not_web_pages(org, measure, officer, link):
    with pytest.raises(ValidationError) as caught:
        services.evidence_add_link(organization=org, measure=measure, link=link, actor=officer)
    assert "link" in caught.value.message_dict


def test_it_keeps_search_text_folded_for_cyrillic(org, measure, coordinator):
    evidence = _add_pdf(org, measure, coordinator, title="ӨДРИЙН Сургалт", name="Ирц.pdf")
    assert "өдрийн сургалт" in evidence.search_text
    assert "ирц.pdf" in evidence.search_text


# --- scope ------------------------------------------------------------------------------


def test_it_refuses_another_organizations_measure(org, other_measure, coordinator):
    with pytest.raises(ValidationError) as caught:
        _add_pdf(org, other_measure, coordinator)
    assert "measure" in caught.value.message_dict
    assert not Evidence.objects.exists()


def test_it_refuses_a_criterion_of_another_measure(org, seed_plan, measure, coordinator):
    foreign = seed_plan.measures.get(code="1.3").criteria.first()
    with pytest.raises(ValidationError) as caught:
        _add_pdf(org, measure, coordinator, criterion=foreign)
    assert "criterion" in caught.value.message_dict


def test_it_refuses_a_criterion_of_another_organization(org, measure, other_measure, coordinator):
    with pytest.raises(ValidationError):
        services.evidence_add_link(
            organization=org,
            measure=measure,
            link="https://example.mn",
            actor=coordinator,
            criterion=other_measure.criteria.first(),
        )


def _event(organization) -> Event:
    return Event.objects.create(
        organization=organization, date=dt.date(2024, 5, 1), kind="outreach", title="Өдөрлөг"
    )


def test_it_links_a_register_row_of_the_same_organization(org, measure, coordinator):
    row = _event(org)
    evidence = _add_pdf(org, measure, coordinator, register_row=row)
    evidence.refresh_from_db()
    assert evidence.register_row == row
    assert evidence.register_type.model == "event"


def test_it_refuses_a_register_row_of_another_organization(
    org, other_org, measure, coordinator, media_root
):
    with translation.override("en"), pytest.raises(ValidationError, match="another organization"):
        _add_pdf(org, measure, coordinator, register_row=_event(other_org))
    assert _stored_files(media_root) == []


def test_it_refuses_a_row_that_is_not_a_register_row(org, measure, coordinator):
    with pytest.raises(ValidationError):
        _add_pdf(org, measure, coordinator, register_row=org)


def test_it_refuses_to_replace_another_organizations_evidence(
    org, other_org, measure, other_measure, coordinator, outsider
):
    theirs = _add_pdf(other_org, other_measure, outsider)
    with pytest.raises(ValidationError):
        _add_pdf(org, measure, coordinator, replaces=theirs)
    theirs.refresh_from_db()
    assert theirs.is_current


# --- versions ---------------------------------------------------------------------------


def test_replacing_keeps_the_old_version_its_file_and_digest(
    org, measure, coordinator, officer, media_root
):
    first = _add_pdf(org, measure, coordinator, title="Сургалтын ирц")
    old_name, old_digest = first.file.name, first.sha256
    png = files.png(2, 2)

    second = services.evidence_replace(
        evidence=first, actor=officer, upload=upload("ирц.png", png), ip="10.0.0.8"
    )

    first.refresh_from_db()
    assert not first.is_current and first.deleted_at is None
    assert first.file.name == old_name and first.sha256 == old_digest
    with default_storage.open(old_name, "rb") as handle:
        assert handle.read() == files.PDF
    assert second.is_current
    assert second.previous == first
    assert second.version == 2 and second.lineage == first.lineage
    assert second.sha256 == hashlib.sha256(png).hexdigest()
    assert second.file.name != old_name
    assert second.title == "Сургалтын ирц"  # kept
    assert second.measure == first.measure and second.relates_to == first.relates_to
    assert len(_stored_files(media_root)) == 2
    entry = AuditEntry.objects.get(action="evidence.replaced")
    assert entry.changes["previous"] == first.pk and entry.actor == officer


def test_a_title_that_was_the_file_name_follows_the_new_file(org, measure, coordinator):
    first = _add_pdf(org, measure, coordinator, name="v1.pdf")
    second = services.evidence_replace(
        evidence=first, actor=coordinator, upload=upload("v2.pdf", files.PDF + b"%v2")
    )
    assert second.title == "v2.pdf"


def test_a_file_can_be_replaced_by_a_link_and_back(org, measure, coordinator):
    first = _add_pdf(org, measure, coordinator)
    second = services.evidence_replace(
        evidence=first, actor=coordinator, link="https://example.mn/report"
    )
    third = services.evidence_replace(
        evidence=second, actor=coordinator, upload=upload("final.pdf", files.PDF)
    )
    assert [second.kind, third.kind] == ["link", "file"]
    assert third.version == 3
    assert list(Evidence.objects.filter(is_current=True)) == [third]


def test_only_the_current_version_can_be_replaced(org, measure, coordinator, media_root):
    first = _add_pdf(org, measure, coordinator)
    services.evidence_replace(evidence=first, actor=coordinator, link="https://example.mn")
    first.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError, match="current version"):
        services.evidence_replace(
            evidence=first, actor=coordinator, upload=upload("again.pdf", files.PDF)
        )
    assert Evidence.objects.count() == 2
    assert len(_stored_files(media_root)) == 1  # the refused version's file was not kept


def test_replace_needs_a_file_or_a_link(org, measure, coordinator):
    first = _add_pdf(org, measure, coordinator)
    with pytest.raises(ValidationError):
        services.evidence_replace(evidence=first, actor=coordinator)


# --- deletion ---------------------------------------------------------------------------


def test_delete_is_soft_and_keeps_the_file(org, measure, coordinator, officer, media_root):
    evidence = _add_pdf(org, measure, coordinator)
    services.evidence_delete(evidence=evidence, actor=officer, ip="10.0.0.9")
    evidence.refresh_from_db()
    assert not evidence.is_current
    assert evidence.deleted_at is not None and evidence.deleted_by == officer
    assert default_storage.exists(evidence.file.name)
    entry = AuditEntry.objects.get(action="evidence.deleted")
    assert entry.object_id == str(evidence.pk) and entry.ip == "10.0.0.9"
    with pytest.raises(ValidationError):
        services.evidence_delete(evidence=evidence, actor=officer)


def test_a_deleted_item_cannot_be_replaced(org, measure, coordinator):
    evidence = _add_pdf(org, measure, coordinator)
    services.evidence_delete(evidence=evidence, actor=coordinator)
    with pytest.raises(ValidationError):
        services.evidence_replace(evidence=evidence, actor=coordinator, link="https://x.mn")


# --- the database keeps the rules too ---------------------------------------------------


def test_the_database_refuses_a_file_without_a_digest(measure):
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(measure=measure, as_file=True, sha256="")


def test_the_database_refuses_a_link_without_a_url(measure):
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(measure=measure, link="")


def test_the_database_allows_one_current_version_per_lineage(measure):
    first = EvidenceFactory(measure=measure)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(measure=measure, lineage=first.lineage, version=2)
