"""Register services and selectors: scoping, audit, search and Mongolian order."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shudarga.core.models import AuditEntry
from shudarga.plans.models import Measure
from shudarga.registers.models import Event, Publication, StaffMember
from shudarga.registers.registry import REGISTERS
from shudarga.registers.selectors import (
    latest_plan_measures,
    register_counts,
    register_rows,
)
from shudarga.registers.services import (
    register_row_delete,
    register_row_save,
    register_rows_import,
)
from tests.factories import (
    EventFactory,
    PlanFactory,
    PublicationFactory,
    StaffMemberFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = REGISTERS["events"]


def test_it_audits_create_change_and_delete(org, officer):
    row = register_row_save(
        spec=EVENTS,
        organization=org,
        row=Event(date="2024-05-01", kind="meeting", title="Уулзалт"),
        measures=[],
        actor=officer,
        ip="10.0.0.5",
    )
    row.title = "Уулзалт 2"
    register_row_save(spec=EVENTS, organization=org, row=row, measures=None, actor=officer)
    row_id = str(row.pk)
    register_row_delete(spec=EVENTS, row=row, actor=officer)
    entries = AuditEntry.objects.filter(object_type="registers.event", object_id=row_id).order_by(
        "id"
    )
    assert [e.action for e in entries] == [
        "register.events.created",
        "register.events.changed",
        "register.events.deleted",
    ]
    assert entries[0].ip == "10.0.0.5"
    assert entries[1].changes == {"title": ["Уулзалт", "Уулзалт 2"]}
    assert entries[2].changes["title"] == "Уулзалт 2"
    assert {e.actor for e in entries} == {officer}


def test_the_service_refuses_a_measure_of_another_organization(org, seed_plan, other_plan):
    foreign = Measure.objects.filter(plan=other_plan).first()
    with pytest.raises(ValidationError, match="belongs to another organization"):
        register_row_save(
            spec=EVENTS,
            organization=org,
            row=Event(date="2024-05-01", kind="meeting", title="x"),
            measures=[foreign],
            actor=None,
        )
    assert not Event.objects.exists()


def test_the_service_refuses_attendees_of_another_organization(org, other_org):
    theirs = StaffMemberFactory(organization=other_org)
    training = TrainingFactory(organization=org)
    with pytest.raises(ValidationError):
        register_row_save(
            spec=REGISTERS["trainings"],
            organization=org,
            row=training,
            measures=None,
            links={"attendees": [theirs]},
            actor=None,
        )
    assert not training.attendees.exists()


def test_the_service_refuses_a_row_of_another_organization(org, other_org):
    theirs = EventFactory(organization=other_org)
    with pytest.raises(ValidationError):
        register_row_save(spec=EVENTS, organization=org, row=theirs, measures=None, actor=None)


def test_cyrillic_search_ignores_case(org):
    PublicationFactory(organization=org, title="ИРГЭДИЙН ӨРГӨДӨЛ, ГОМДОЛ")
    PublicationFactory(organization=org, title="Өөр мэдээ")
    spec = REGISTERS["publications"]
    for q in ("өргөдөл", "Өргөдөл", "ӨРГӨДӨЛ", "иргэдийн өргөдөл"):
        rows = register_rows(spec=spec, organization=org, q=q)
        assert [r.title for r in rows] == ["ИРГЭДИЙН ӨРГӨДӨЛ, ГОМДОЛ"], q


def test_search_stays_in_its_organization(org, other_org):
    PublicationFactory(organization=other_org, title="Өргөдөл")
    assert not register_rows(spec=REGISTERS["publications"], organization=org, q="өргөдөл")


def test_name_order_is_mongolian(org):
    for name in ["ус", "үүр", "өвс", "ёс", "яргай"]:
        StaffMemberFactory(organization=org, name=name)
    rows = register_rows(spec=REGISTERS["staff"], organization=org, order="name")
    assert [r.name for r in rows] == ["ёс", "өвс", "ус", "үүр", "яргай"]


def test_date_order_is_newest_first_by_the_registers_date(org):
    StaffMemberFactory(organization=org, name="А", appointed_on="2020-01-01")
    StaffMemberFactory(organization=org, name="Б", appointed_on="2024-01-01")
    rows = register_rows(spec=REGISTERS["staff"], organization=org, order="date")
    assert [r.name for r in rows] == ["Б", "А"]


def test_counts_cover_every_register(org):
    EventFactory.create_batch(2, organization=org)
    counts = {spec.key: n for spec, n in register_counts(organization=org)}
    assert counts == {key: (2 if key == "events" else 0) for key in REGISTERS}


def test_measure_codes_come_from_the_latest_plan(org, seed_plan):
    newer = PlanFactory(organization=org, year=seed_plan.year + 1)
    assert latest_plan_measures(organization=org) == {}  # the newer plan has no measure yet
    newer.delete()
    assert set(latest_plan_measures(organization=org)) >= {"1.1", "5.8"}


def test_the_import_service_saves_all_rows_or_none(org, seed_plan):
    spec = REGISTERS["publications"]
    header = ["date", "title", "channel", "material", "produced_by", "measures"]
    good = ["2024-01-01", "A", "tv", "spot", "own", "1.1"]
    saved = register_rows_import(spec=spec, organization=org, table=[header, good], actor=None)
    assert [r.title for r in saved] == ["A"]
    assert [m.code for m in saved[0].measures.all()] == ["1.1"]

    bad = ["2024-01-02", "B", "tv", "spot", "own", "9.9"]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        register_rows_import(spec=spec, organization=org, table=[header, good, bad], actor=None)
    assert exc.value.messages == [
        "Row 3, “measures”: There is no measure 9.9 in the organization's latest plan."
    ]
    assert Publication.objects.count() == 1


def test_the_import_service_can_check_without_saving(org):
    table = [["name", "appointed on"], ["Б.Болд", "01.02.2024"]]
    saved = register_rows_import(
        spec=REGISTERS["staff"], organization=org, table=table, actor=None, dry_run=True
    )
    assert len(saved) == 1
    assert not StaffMember.objects.exists()
    assert not AuditEntry.objects.exists()
