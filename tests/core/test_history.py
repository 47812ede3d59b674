"""Version history (django-simple-history) sealed by the audit chain: every version of the
organization's data is recorded with who, when and from where, and `verify_audit` names a
version edited, deleted or added in the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shudarga.core.history import ACTIONS, historical_models, version_digest
from shudarga.core.models import AuditEntry
from shudarga.core.selectors import audit_chain_check, history_check
from shudarga.criteria.models import CriterionRule
from shudarga.plans.models import Criterion, Goal, Measure, Plan, Signature
from shudarga.registers.models import Contract, Event
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_delete, register_row_save
from shudarga.reports.models import ReportItem
from shudarga.reports.services import report_create, report_reopen, report_submit
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

EVENTS = REGISTERS["events"]


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def _seal(row) -> AuditEntry:
    return AuditEntry.objects.get(object_type=row._meta.label_lower, object_id=str(row.pk))


def _event_versions(org, officer):
    row = register_row_save(
        spec=EVENTS,
        organization=org,
        row=Event(date="2024-05-01", kind="meeting", title="Уулзалт"),
        measures=[],
        actor=officer,
    )
    row.title = "Уулзалт 2"
    register_row_save(spec=EVENTS, organization=org, row=row, measures=None, actor=officer)
    pk = row.pk
    register_row_delete(spec=EVENTS, row=row, actor=officer)
    return list(Event.history.filter(id=pk).order_by("history_id"))


def test_it_records_every_version_with_its_values(org, officer):
    created, changed, deleted = _event_versions(org, officer)
    assert [v.history_type for v in (created, changed, deleted)] == ["+", "~", "-"]
    assert [v.title for v in (created, changed, deleted)] == ["Уулзалт", "Уулзалт 2", "Уулзалт 2"]
    assert {v.history_organization_id for v in (created, changed, deleted)} == {org.pk}


def test_it_seals_each_version_in_the_audit_chain(org, officer):
    versions = _event_versions(org, officer)
    for version in versions:
        seal = _seal(version)
        assert seal.action == ACTIONS[version.history_type]
        assert seal.changes == {"digest": version_digest(version)}
        assert seal.organization_id == org.pk
        assert seal.object_repr == f"registers.event #{version.id}"
    assert audit_chain_check().intact
    total = sum(m._default_manager.count() for m in historical_models())  # with memberships
    assert history_check().checked == total
    assert _verify().strip().endswith(f"{total} versions, chain intact")


def test_a_change_through_the_web_records_who_and_from_where(client, coordinator, org):
    measure_plan = Plan.objects.create(organization=org, year=2024, title="Төлөвлөгөө")
    goal = Goal.objects.create(plan=measure_plan, number=1, text="Зорилт", position=1)
    measure = Measure.objects.create(
        plan=measure_plan, goal=goal, code="1.1", text="Арга хэмжээ", position=1
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:assign", args=[org.code, measure_plan.pk, measure.pk]),
        {"new_unit": "Хяналтын хэлтэс", "recurrence": "year_end"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    version = Measure.history.filter(id=measure.pk).latest()
    assert version.history_type == "~"
    assert version.responsible_unit == "Хяналтын хэлтэс"
    assert version.history_user_id == coordinator.pk
    assert version.history_ip == "192.0.2.7"
    assert version.history_organization_id == org.pk
    seal = _seal(version)
    assert (seal.actor, seal.ip) == (coordinator, "192.0.2.7")


def test_the_plan_import_records_every_row_in_bulk(seed_plan):
    org_id = seed_plan.organization_id
    for model in (Goal, Measure, Criterion, Signature):
        rows = model.objects.filter(pk__in=model.objects.values("pk"))
        versions = model.history.all()
        assert versions.count() == rows.count() > 0, model
        assert set(versions.values_list("history_type", flat=True)) == {"+"}
        assert set(versions.values_list("history_organization_id", flat=True)) == {org_id}
    report = history_check()
    assert report.intact
    assert report.checked == sum(m._default_manager.count() for m in historical_models())


def test_report_workflow_records_the_items_bulk_updates(seed_plan, coordinator):
    report = report_create(plan=seed_plan, period="year", actor=coordinator)
    items = ReportItem.objects.filter(report=report).count()
    assert ReportItem.history.filter(history_type="+").count() == items
    report_submit(report=report, actor=coordinator, today=dt.date(2024, 1, 15))
    report_reopen(report=report, actor=coordinator, reason="Алдаа")
    due_after_submit = ReportItem.history.filter(history_type="~", due__isnull=False).count()
    assert due_after_submit == items
    assert ReportItem.history.filter(history_type="~", due__isnull=True).count() > 0
    assert history_check().intact
    assert audit_chain_check().intact


def test_the_digest_survives_the_database_round_trip(seed_plan, org):
    """Decimals, JSON, dates, files and IPv6 read back from the column hash the same."""
    contract = ContractFactory(organization=org, value=Decimal("1500000.5"))
    contract.value = "2000000"
    contract.save()
    criterion = Criterion.objects.filter(measure__plan=seed_plan).first()
    CriterionRule.objects.create(
        criterion=criterion, kind="at_least", register="events", n=2, filters={"k": 5.0}
    )
    assert Contract.history.count() == 2
    assert history_check().intact


def test_it_names_a_version_edited_in_the_database(org, officer):
    _created, changed, _deleted = _event_versions(org, officer)
    Event.history.filter(history_id=changed.history_id).update(title="Өөр гарчиг")
    with pytest.raises(
        CommandError,
        match=rf"History broken at registers.historicalevent #{changed.history_id}: .*edited",
    ):
        _verify()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("history_user_id", 999),
        ("history_ip", "10.9.9.9"),
        ("history_date", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
        ("history_type", "+"),
        ("history_organization_id", 4242),
        ("date", dt.date(2020, 1, 1)),
    ],
)
def test_it_finds_any_column_of_a_version_edited(org, officer, field, value):
    _created, changed, _deleted = _event_versions(org, officer)
    Event.history.filter(history_id=changed.history_id).update(**{field: value})
    found = history_check().first_break
    assert (found.model, found.history_id) == ("registers.historicalevent", changed.history_id)


def test_it_names_a_version_deleted_from_the_database(org, officer):
    created, _changed, _deleted = _event_versions(org, officer)
    Event.history.filter(history_id=created.history_id).delete()
    with pytest.raises(
        CommandError,
        match=rf"registers.historicalevent #{created.history_id}: .*deleted",
    ):
        _verify()


def test_it_names_a_version_added_behind_the_application(org, officer):
    created, _changed, _deleted = _event_versions(org, officer)
    forged = Event.history.get(history_id=created.history_id)
    forged.history_id, forged.title = None, "Хуурамч"
    forged.save_base(raw=True)  # no signal: nothing seals it
    with pytest.raises(CommandError, match=rf"#{forged.history_id}: .*behind the application"):
        _verify()


def test_deleting_a_versions_seal_breaks_the_chain(org, officer):
    created, _changed, _deleted = _event_versions(org, officer)
    seal = _seal(created)
    AuditEntry.objects.filter(pk=seal.pk).delete()
    with pytest.raises(CommandError, match=r"Audit chain broken"):
        _verify()


def test_rewriting_a_seal_with_the_edited_digest_breaks_the_chain(org, officer):
    """Whoever edits a version and its seal's digest still breaks the chain."""
    _created, changed, _deleted = _event_versions(org, officer)
    Event.history.filter(history_id=changed.history_id).update(title="Өөр гарчиг")
    edited = Event.history.get(history_id=changed.history_id)
    AuditEntry.objects.filter(pk=_seal(changed).pk).update(
        changes={"digest": version_digest(edited)}
    )
    assert history_check().intact
    assert not audit_chain_check().intact


def test_seals_stay_out_of_the_organizations_activity(org, officer):
    from shudarga.core.selectors import audit_entries_for_organization

    _event_versions(org, officer)
    actions = {e.action for e in audit_entries_for_organization(organization_id=org.pk)}
    assert actions == {
        "register.events.created",
        "register.events.changed",
        "register.events.deleted",
    }
