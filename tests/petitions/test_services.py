"""Petition services: numbering, deadlines, handling steps, audit without personal data."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from shudarga.core.models import AuditEntry
from shudarga.petitions import services
from shudarga.petitions.models import Petition, PetitionCounter
from shudarga.petitions.selectors import petition_for_tracking_code
from tests.factories import OrganizationFactory, PetitionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 20)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2024, 5, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_it_numbers_petitions_per_organization_and_year_without_gaps(org, other_org):
    first = PetitionFactory(organization=org, received_on=dt.date(2024, 1, 5))
    second = PetitionFactory(organization=org, received_on=dt.date(2024, 2, 5))
    other = PetitionFactory(organization=other_org, received_on=dt.date(2024, 2, 6))
    last_year = PetitionFactory(organization=org, received_on=dt.date(2023, 12, 30))
    third = PetitionFactory(organization=org, received_on=dt.date(2024, 3, 5))
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert other.number == 1
    assert (last_year.year, last_year.number) == (2023, 1)
    assert third.registration_no == "2024-0003"


def test_it_takes_no_number_when_registration_fails(org):
    PetitionFactory(organization=org, received_on=TODAY)
    with pytest.raises(ValidationError):
        PetitionFactory(organization=org, received_on=TODAY, petitioner_name="x" * 10_000)
    with pytest.raises(ValidationError):
        PetitionFactory(organization=org, received_on=TODAY, kind="nonsense")
    after = PetitionFactory(organization=org, received_on=TODAY)
    assert after.number == 2
    assert PetitionCounter.objects.get(organization=org, year=2024).last_number == 2


def test_it_numbers_a_long_sequence_gap_free(org):
    numbers = [PetitionFactory(organization=org, received_on=TODAY).number for _ in range(30)]
    assert numbers == list(range(1, 31))


def test_it_refuses_a_future_date_of_receipt(org):
    with pytest.raises(ValidationError) as exc:
        PetitionFactory(organization=org, received_on=TODAY + dt.timedelta(days=1))
    assert "received_on" in exc.value.error_dict


@pytest.mark.parametrize(
    ("kind", "days"),
    [("petition", 30), ("complaint", 30), ("request", 30), ("proposal", 90)],
)
def test_it_computes_the_legal_deadline(org, kind, days):
    petition = PetitionFactory(organization=org, kind=kind, received_on=dt.date(2024, 5, 1))
    assert petition.base_days == days
    assert petition.due_on == dt.date(2024, 5, 1) + dt.timedelta(days=days)
    assert petition.original_due_on == petition.due_on
    assert petition.rule_key == "1995"


def test_it_keeps_only_the_hash_of_the_tracking_code(org):
    petition = PetitionFactory(organization=org)
    code = petition.tracking_code
    assert len(code) == 16
    assert code not in petition.tracking_hash
    assert petition_for_tracking_code(code=code).pk == petition.pk
    dashed = "-".join(code[i : i + 4] for i in range(0, 16, 4)).lower()
    assert petition_for_tracking_code(code=dashed).pk == petition.pk


def test_it_refuses_an_officer_of_another_organization(org, outsider):
    with pytest.raises(ValidationError) as exc:
        PetitionFactory(organization=org, assigned_to=outsider)
    assert "assigned_to" in exc.value.error_dict


def test_it_assigns_and_moves_to_in_progress(org, officer, coordinator):
    petition = PetitionFactory(organization=org)
    assert petition.status == Petition.Status.RECEIVED
    services.petition_assign(petition=petition, officer=officer, actor=coordinator)
    petition.refresh_from_db()
    assert petition.assigned_to == officer
    assert petition.status == Petition.Status.IN_PROGRESS


def test_it_refuses_to_assign_a_reader(org, reviewer, coordinator):
    petition = PetitionFactory(organization=org)
    with pytest.raises(ValidationError):
        services.petition_assign(petition=petition, officer=reviewer, actor=coordinator)


def test_extending_moves_the_deadline_and_records_who_and_why(org, coordinator):
    petition = PetitionFactory(organization=org, received_on=dt.date(2024, 5, 1))
    services.petition_extend(
        petition=petition,
        days=30,
        reason="Нэмэлт баримт шаардлагатай",
        decided_by="Дарга Б.Бат",
        petitioner_informed=True,
        actor=coordinator,
    )
    petition.refresh_from_db()
    assert petition.due_on == dt.date(2024, 5, 31) + dt.timedelta(days=30)
    assert petition.original_due_on == dt.date(2024, 5, 31)
    assert petition.status == Petition.Status.EXTENDED
    assert petition.extended_by == coordinator
    assert petition.extension_decided_by == "Дарга Б.Бат"
    assert petition.extended_on == TODAY
    entry = AuditEntry.objects.get(action="petition.extended")
    assert entry.actor == coordinator
    assert entry.changes["reason"] == "Нэмэлт баримт шаардлагатай"
    assert entry.changes["due_on"] == ["2024-05-31", "2024-06-30"]


def _extend(petition, actor, **kwargs):
    args = {
        "days": 10,
        "reason": "Шалтгаан",
        "decided_by": "Дарга",
        "petitioner_informed": True,
        **kwargs,
    }
    services.petition_extend(petition=petition, actor=actor, **args)


def test_it_extends_only_once(org, coordinator):
    petition = PetitionFactory(organization=org)
    _extend(petition, coordinator)
    with translation.override("en"), pytest.raises(ValidationError, match="only once"):
        _extend(petition, coordinator)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"days": 31}, "days"),
        ({"days": 0}, "days"),
        ({"reason": "  "}, "reason"),
        ({"decided_by": ""}, "decided_by"),
        ({"petitioner_informed": False}, "petitioner_informed"),
    ],
)
def test_it_refuses_a_bad_extension(org, coordinator, kwargs, field):
    petition = PetitionFactory(organization=org)
    with pytest.raises(ValidationError) as exc:
        _extend(petition, coordinator, **kwargs)
    assert field in exc.value.error_dict
    petition.refresh_from_db()
    assert petition.extension_days is None


def test_it_refuses_an_extension_after_the_deadline(org, coordinator):
    petition = PetitionFactory(organization=org, received_on=dt.date(2024, 4, 1))  # due 05-01
    with translation.override("en"), pytest.raises(ValidationError, match="passed"):
        _extend(petition, coordinator)


def test_answering_resolves_the_petition(org, officer):
    petition = PetitionFactory(organization=org, received_on=dt.date(2024, 5, 1))
    services.petition_answer(
        petition=petition, answer_text="Шийдвэрлэв.", answered_on=TODAY, actor=officer
    )
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ANSWERED
    assert petition.resolved_on == TODAY
    with translation.override("en"), pytest.raises(ValidationError, match="already resolved"):
        services.petition_answer(
            petition=petition, answer_text="Дахин", answered_on=TODAY, actor=officer
        )


def test_it_refuses_an_answer_dated_before_receipt_or_in_the_future(org, officer):
    petition = PetitionFactory(organization=org, received_on=dt.date(2024, 5, 1))
    for day in (dt.date(2024, 4, 30), TODAY + dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.petition_answer(
                petition=petition, answer_text="x", answered_on=day, actor=officer
            )


def test_transfer_and_close(org, officer):
    petition = PetitionFactory(organization=org, received_on=dt.date(2024, 5, 1))
    services.petition_transfer(
        petition=petition,
        transferred_to="Нийслэлийн Засаг даргын Тамгын газар",
        transferred_on=dt.date(2024, 5, 3),
        actor=officer,
    )
    petition.refresh_from_db()
    assert petition.status == Petition.Status.TRANSFERRED
    assert petition.resolved_on == dt.date(2024, 5, 3)
    services.petition_close(petition=petition, closed_on=TODAY, note="", actor=officer)
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CLOSED
    assert petition.resolved_on == dt.date(2024, 5, 3)  # kept: it was resolved by the transfer


def test_closing_an_open_petition_needs_a_note(org, officer):
    petition = PetitionFactory(organization=org, received_on=dt.date(2024, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.petition_close(petition=petition, closed_on=TODAY, note="", actor=officer)
    assert "note" in exc.value.error_dict
    services.petition_close(petition=petition, closed_on=TODAY, note="Буцаан авсан", actor=officer)
    petition.refresh_from_db()
    assert petition.resolved_on == TODAY


def test_every_write_is_audited_without_personal_data(org, coordinator, officer):
    petition = PetitionFactory(organization=org, actor=coordinator, received_on=TODAY)
    services.petition_assign(petition=petition, officer=officer, actor=coordinator)
    _extend(petition, coordinator)
    services.petition_answer(
        petition=petition, answer_text="Хариу", answered_on=TODAY, actor=officer
    )
    services.petition_close(petition=petition, closed_on=TODAY, note="", actor=officer)
    entries = AuditEntry.objects.filter(
        object_id=str(petition.pk), object_type="petitions.petition"
    )
    assert [e.action for e in entries.order_by("id")] == [
        "petition.registered",
        "petition.assigned",
        "petition.extended",
        "petition.answered",
        "petition.closed",
    ]
    dump = repr([(e.object_repr, e.changes) for e in entries])
    for secret in (
        petition.petitioner_name,
        petition.petitioner_register_no,
        petition.petitioner_contact,
        petition.tracking_code,
    ):
        assert secret not in dump


def test_a_stale_copy_cannot_answer_a_resolved_petition(org, officer):
    petition = PetitionFactory(organization=org, received_on=TODAY)
    stale = Petition.objects.get(pk=petition.pk)
    services.petition_answer(petition=petition, answer_text="1", answered_on=TODAY, actor=officer)
    with pytest.raises(ValidationError):
        services.petition_transfer(
            petition=stale, transferred_to="X", transferred_on=TODAY, actor=officer
        )


def test_counter_starts_per_year_row(org):
    PetitionFactory(organization=org, received_on=TODAY)
    other = OrganizationFactory()
    PetitionFactory(organization=other, received_on=TODAY)
    assert PetitionCounter.objects.count() == 2
