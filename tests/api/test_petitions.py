"""The petitions register through the API: personal data only for handlers, filters, cursor
pages, and registration through the service."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from shudarga.core.models import AuditEntry
from shudarga.petitions.models import Petition
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

URL = "/organizations/HOME/petitions"


@pytest.fixture
def petition(org):
    return PetitionFactory(organization=org, received_on=dt.date(2024, 3, 1))


@pytest.mark.parametrize(
    ("role", "sees_personal"),
    [("coordinator", True), ("officer", True), ("reviewer", False), ("leader", False),
     ("auditor", False)],
)  # fmt: skip
def test_personal_data_only_for_those_who_handle_petitions(
    request, api_for, petition, role, sees_personal
):
    api = api_for(request.getfixturevalue(role))
    listed = api.get(URL).json()["results"][0]
    detail = api.get(f"{URL}/{petition.pk}")
    assert detail.status_code == 200
    for body in (listed, detail.json()):
        assert (body["personal"] is not None) == sees_personal
        text = str(body)
        assert (petition.petitioner_name in text) == sees_personal
        assert (petition.petitioner_register_no in text) == sees_personal
    if sees_personal:
        assert detail.json()["personal"]["body"] == petition.body


def test_a_reader_cannot_find_a_petition_by_the_petitioners_name(api_for, reviewer, petition):
    assert api_for(reviewer).get(URL, q=petition.petitioner_name).json()["results"] == []


def test_it_filters_by_status_overdue_and_date_range(api_for, officer, org):
    with time_machine.travel(dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        old = PetitionFactory(organization=org, received_on=dt.date(2024, 1, 10))
        new = PetitionFactory(organization=org, received_on=dt.date(2024, 5, 30))
        api = api_for(officer)

        def ids(**params):
            response = api.get(URL, **params)
            assert response.status_code == 200, response.content
            return [p["id"] for p in response.json()["results"]]

        assert ids() == [new.pk, old.pk]  # newest first
        assert ids(due="overdue") == [old.pk]
        assert api.get(URL, due="overdue").json()["results"][0]["overdue"] is True
        assert ids(date_from="2024-05-01") == [new.pk]
        assert ids(date_to="2024-01-31") == [old.pk]
        assert ids(status="answered") == []
        assert api.get(URL, due="late").status_code == 422


def test_it_pages_by_cursor(api_for, officer, org):
    made = [PetitionFactory(organization=org) for _ in range(5)]
    api = api_for(officer)
    seen, cursor = [], None
    for _ in range(5):
        page = api.get(URL, limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [p["id"] for p in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [p.pk for p in reversed(made)]
    # a cursor of the "by number" order is refused by the "by deadline" order
    first = api.get(URL, limit=2).json()["next_cursor"]
    response = api.get(URL, due="open", cursor=first)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_cursor")


def test_it_registers_a_petition_and_gives_the_tracking_code_once(api_for, officer, org):
    response = api_for(officer).post(
        URL,
        {
            "channel": "phone",
            "kind": "complaint",
            "petitioner_name": "Д.Сараа",
            "petitioner_contact": "99112233",
            "subject": "Үйлчилгээний чанар",
            "assigned_to": "officer",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    petition = Petition.objects.get()
    assert body["registration_no"] == petition.registration_no
    assert body["status"] == "in_progress" and body["assigned_to"] == "officer"
    assert len(body["tracking_code"].replace("-", "")) == 16
    assert "tracking_code" not in api_for(officer).get(f"{URL}/{petition.pk}").json()
    entry = AuditEntry.objects.get(action="petition.registered")
    assert "Д.Сараа" not in str(entry.changes)


def test_it_refuses_a_future_date_and_an_unknown_officer(api_for, officer, org):
    api = api_for(officer)
    base = {"channel": "phone", "kind": "petition", "petitioner_name": "А", "subject": "Б"}
    future = api.post(URL, {**base, "received_on": "2999-01-01"})
    assert (future.status_code, future.json()["code"]) == (400, "invalid")
    stranger = api.post(URL, {**base, "assigned_to": "reviewer"})
    assert (stranger.status_code, stranger.json()["code"]) == (400, "invalid")
    assert not Petition.objects.exists()
