"""The seed plan created through the API, rows recorded in bulk, criteria read back."""

from __future__ import annotations

import pytest

from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.models import Plan
from shudarga.registers.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_json(seed_bytes) -> dict:
    return read_plan_document(seed_bytes).to_dict()


def _criterion(plan_json: dict, code: str, index: int = 0) -> dict:
    measure = next(m for g in plan_json["goals"] for m in g["measures"] if m["code"] == code)
    return measure["criteria"][index]


def test_it_creates_the_seed_plan_records_rows_in_bulk_and_reads_criteria(
    api_for, coordinator, seed_json
):
    api = api_for(coordinator)
    response = api.post("/organizations/HOME/plans", seed_json)
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["year"] == 2023 and plan["status"] == "draft"
    assert _criterion(plan, "1.2")["status"] == "not_met"

    rows = [
        {"values": {"date": "2023-03-05", "kind": "awareness_day", "title": "Өдөрлөг"},
         "measures": ["1.2"]},
        {"values": {"date": "2023-09-09", "kind": "outreach", "title": "Сурталчилгаа"},
         "measures": ["1.2"]},
    ]  # fmt: skip
    response = api.post("/organizations/HOME/registers/events/rows/bulk", {"rows": rows})
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2

    plan = api.get(f"/organizations/HOME/plans/{plan['id']}").json()
    assert _criterion(plan, "1.2") | {"status": "met", "count": 2} == _criterion(plan, "1.2")
    assert plan["counts"]["met"] >= 1


def test_the_document_export_round_trips(api_for, coordinator, seed_plan, seed_json):
    document = api_for(coordinator).get(f"/organizations/HOME/plans/{seed_plan.pk}/document")
    assert document.status_code == 200
    assert document.json()["goals"] == seed_json["goals"]


def test_it_refuses_an_invalid_plan_with_a_stable_code(api_for, coordinator, seed_json):
    response = api_for(coordinator).post("/organizations/HOME/plans", {**seed_json, "goals": []})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_plan"
    assert not Plan.objects.exists()


def test_bulk_create_saves_nothing_when_one_row_is_bad(api_for, coordinator, seed_plan):
    rows = [
        {"values": {"date": "2023-03-05", "kind": "outreach", "title": "Зөв"}},
        {"values": {"date": "2023-02-31", "kind": "outreach", "title": "Буруу"}},
    ]
    response = api_for(coordinator).post(
        "/organizations/HOME/registers/events/rows/bulk", {"rows": rows}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert any("3" in message for message in body["errors"])  # the second item is row 3
    assert not Event.objects.exists()


def test_bulk_dry_run_checks_and_saves_nothing(api_for, coordinator, seed_plan):
    rows = [{"values": {"date": "2023-03-05", "kind": "outreach", "title": "Зөв"}}]
    response = api_for(coordinator).post(
        "/organizations/HOME/registers/events/rows/bulk", {"rows": rows, "dry_run": True}
    )
    assert response.status_code == 201
    assert response.json() == {"created": 0, "dry_run": True, "ids": []}
    assert not Event.objects.exists()


def test_it_creates_and_updates_one_row(api_for, officer, seed_plan):
    api = api_for(officer)
    response = api.post(
        "/organizations/HOME/registers/events/rows",
        {"values": {"date": "2023-05-01", "kind": "meeting", "title": "Хурал", "participants": 12},
         "measures": ["4.2"]},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["values"]["participants"] == 12
    assert [m["code"] for m in row["measures"]] == ["4.2"]

    response = api.patch(
        f"/organizations/HOME/registers/events/rows/{row['id']}", {"values": {"title": "Шинэ"}}
    )
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["values"]["title"] == "Шинэ"
    assert changed["values"]["participants"] == 12  # untouched fields keep their values
    assert [m["code"] for m in changed["measures"]] == ["4.2"]


def test_it_rejects_unknown_fields_and_measures(api_for, officer, seed_plan):
    api = api_for(officer)
    url = "/organizations/HOME/registers/events/rows"
    values = {"date": "2023-05-01", "kind": "meeting", "title": "Хурал"}
    response = api.post(url, {"values": {**values, "colour": "red"}})
    assert (response.status_code, response.json()["code"]) == (400, "unknown_field")
    response = api.post(url, {"values": values, "measures": ["9.9"]})
    assert (response.status_code, response.json()["code"]) == (400, "unknown_measure")
    response = api.post(url, {"values": {**values, "date": "not a date"}})
    assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_the_row_list_filters_and_pages_by_cursor(api_for, officer, seed_plan):
    from tests.factories import EventFactory

    for day in (1, 2, 3):
        EventFactory(organization=seed_plan.organization, date=f"2023-04-0{day}", kind="meeting")
    EventFactory(organization=seed_plan.organization, date="2022-01-01", kind="outreach")
    api = api_for(officer)
    url = "/organizations/HOME/registers/events/rows"
    first = api.get(url, kind="meeting", limit=2).json()
    assert [r["values"]["date"] for r in first["results"]] == ["2023-04-03", "2023-04-02"]
    second = api.get(url, kind="meeting", limit=2, cursor=first["next_cursor"]).json()
    assert [r["values"]["date"] for r in second["results"]] == ["2023-04-01"]
    assert second["next_cursor"] is None
    assert len(api.get(url, date_from="2023-01-01").json()["results"]) == 3
    bad = api.get(url, cursor="bm9wZQ")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")


def test_the_registers_list_counts_rows(api_for, auditor, seed_plan):
    from tests.factories import EventFactory

    EventFactory(organization=seed_plan.organization)
    registers = api_for(auditor).get("/organizations/HOME/registers").json()
    assert {r["key"]: r["count"] for r in registers}["events"] == 1


@pytest.mark.parametrize(
    ("fmt", "starts", "content_type"),
    [
        ("docx", b"PK", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", b"PK", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", b"{", "application/json; charset=utf-8"),
    ],
)
def test_it_exports_the_plan_as_a_file(api_for, auditor, seed_plan, fmt, starts, content_type):
    response = api_for(auditor).get(f"/organizations/HOME/plans/{seed_plan.pk}/export/{fmt}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(starts)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="HOME-2023-plan-{seed_plan.pk}.{fmt}"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
