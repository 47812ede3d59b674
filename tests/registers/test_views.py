"""Register pages for every register: index, list, create, edit, delete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.plans.models import Measure
from shudarga.registers.registry import REGISTERS
from tests.factories import (
    REGISTER_FACTORIES,
    EventFactory,
    PublicationFactory,
    StaffMemberFactory,
    TrainingFactory,
)
from tests.registers.helpers import KEYS, form_data, make_rows, speak_english

pytestmark = pytest.mark.django_db


def _url(name: str, org, key: str, *args) -> str:
    return reverse(f"registers:{name}", args=[org.code, key, *args])


def test_the_index_lists_every_register_with_its_row_count(client, officer, org, other_org):
    make_rows("events", org, 3)
    make_rows("events", other_org, 2)
    client.force_login(officer)
    speak_english(client)
    response = client.get(reverse("registers:index", args=[org.code]))
    assert response.status_code == 200
    counts = {spec.key: count for spec, count in response.context["registers"]}
    assert counts["events"] == 3
    assert counts["risks"] == 0
    assert set(counts) == set(REGISTERS)
    html = response.content.decode()
    for key in REGISTERS:
        assert _url("list", org, key) in html
    assert "3 rows" in html


@pytest.mark.parametrize("n_rows", [1, 25])
def test_the_index_runs_a_fixed_number_of_queries(
    client, officer, org, django_assert_num_queries, n_rows
):
    make_rows("events", org, n_rows)
    client.force_login(officer)
    # session, user, organization, memberships, ten counts (one per register), switcher
    with django_assert_num_queries(15):
        response = client.get(reverse("registers:index", args=[org.code]))
    assert response.status_code == 200


@pytest.mark.parametrize("key", KEYS)
def test_it_lists_the_rows_of_every_register(client, reviewer, org, seed_plan, key):
    measure = Measure.objects.get(plan=seed_plan, code="4.2")
    rows = make_rows(key, org, 2, measures=[measure])
    client.force_login(reviewer)
    response = client.get(_url("list", org, key))
    assert response.status_code == 200
    html = response.content.decode()
    spec = REGISTERS[key]
    for row in rows:
        assert str(getattr(row, spec.sort_field))[:40] in html
    assert ">4.2</span>" in html  # each row shows its measure codes
    assert _url("export", org, key) in html
    assert _url("create", org, key) not in html  # a reviewer only reads


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("n_rows", [1, 25])
def test_the_list_runs_a_fixed_number_of_queries(
    client, officer, org, seed_plan, django_assert_num_queries, key, n_rows
):
    measures = list(Measure.objects.filter(plan=seed_plan)[:2])
    make_rows(key, org, n_rows, measures=measures)
    client.force_login(officer)
    # session, user, organization, memberships, row count (paginator), rows of the page,
    # their measures (prefetch), the current plan's measures (filter), the approved reports'
    # locks (rows they hold show no buttons), switcher; the page body's key (the
    # organization's newest change)
    with django_assert_num_queries(11):
        response = client.get(_url("list", org, key))
    assert response.status_code == 200
    assert len(response.context["fragment"].data["table"]) == n_rows
    # Nothing changed: the body is the memo's HTML (session, user, organization,
    # memberships, the key, switcher).
    with django_assert_num_queries(6):
        again = client.get(_url("list", org, key))
    assert again.content.decode().count("<tr") == response.content.decode().count("<tr")


def test_the_list_shows_numbers_right_aligned_and_booleans_as_words(client, officer, org):
    PublicationFactory(organization=org, copies=12500, shows_hotline=True)
    client.force_login(officer)
    speak_english(client)
    html = client.get(_url("list", org, "publications")).content.decode()
    assert '<td class="text-end text-nowrap">12' in html
    assert '<span class="badge text-bg-success">Yes</span>' in html
    assert 'class="table-light sticky-top"' in html


def test_an_empty_register_says_what_to_do_next(client, coordinator, org):
    client.force_login(coordinator)
    speak_english(client)
    html = client.get(_url("list", org, "events")).content.decode()
    assert "No rows yet — add the first or import from Excel." in html
    assert _url("import", org, "events") in html


def test_an_empty_register_tells_a_reader_who_fills_it(client, reviewer, org):
    client.force_login(reviewer)
    speak_english(client)
    html = client.get(_url("list", org, "events")).content.decode()
    assert "coordinator or responsible officers add them" in html
    assert _url("import", org, "events") not in html


def test_it_filters_by_search_dates_type_and_measure(client, officer, org, seed_plan):
    measure = Measure.objects.get(plan=seed_plan, code="1.2")
    EventFactory(organization=org, title="Хэлэлцүүлэг А", kind="discussion", date="2024-03-01")
    EventFactory(
        organization=org, title="Уулзалт Б", kind="meeting", date="2024-06-01", measures=[measure]
    )
    client.force_login(officer)
    url = _url("list", org, "events")

    def titles(**params) -> list[str]:
        response = client.get(url, params)
        return [item["row"].title for item in response.context["fragment"].data["table"]]

    assert titles(q="хэлэлцүүлэг") == ["Хэлэлцүүлэг А"]
    assert titles(date_from="2024-05-01") == ["Уулзалт Б"]
    assert titles(date_to="2024-05-01") == ["Хэлэлцүүлэг А"]
    assert titles(kind="meeting") == ["Уулзалт Б"]
    assert titles(measure=measure.pk) == ["Уулзалт Б"]
    assert titles(date_from="not a date") == ["Уулзалт Б", "Хэлэлцүүлэг А"]  # ignored


def test_it_says_when_no_row_matches_the_filters(client, officer, org):
    EventFactory(organization=org)
    client.force_login(officer)
    speak_english(client)
    html = client.get(_url("list", org, "events"), {"q": "байхгүй"}).content.decode()
    assert "No rows match these filters." in html


def test_it_sorts_by_date_or_by_name_in_mongolian_order(client, officer, org):
    for i, name in enumerate(["ус", "үүр", "өвс", "ёс", "яргай"]):
        StaffMemberFactory(organization=org, name=name, appointed_on=f"2024-01-0{i + 1}")
    client.force_login(officer)
    url = _url("list", org, "staff")

    def names(**params) -> list[str]:
        return [
            item["row"].name for item in client.get(url, params).context["fragment"].data["table"]
        ]

    assert names(order="name") == ["ёс", "өвс", "ус", "үүр", "яргай"]
    assert names() == ["яргай", "ёс", "өвс", "үүр", "ус"]  # newest appointment first


def test_it_pages_fifty_rows_at_a_time(client, officer, org):
    make_rows("board-updates", org, 51)
    client.force_login(officer)
    url = _url("list", org, "board-updates")
    first = client.get(url, {"q": "самбарт"})
    assert len(first.context["fragment"].data["table"]) == 50
    assert "q=%D1%81%D0%B0%D0%BC%D0%B1%D0%B0%D1%80%D1%82&amp;page=2" in first.content.decode()
    assert len(client.get(url, {"q": "самбарт", "page": 2}).context["fragment"].data["table"]) == 1


def test_an_unknown_register_is_not_found(client, officer, org):
    client.force_login(officer)
    assert client.get(_url("list", org, "nothing")).status_code == 404
    assert client.get(_url("create", org, "nothing")).status_code == 404


@pytest.mark.parametrize("key", KEYS)
def test_it_creates_a_row_of_every_register_through_the_form(client, officer, org, seed_plan, key):
    spec = REGISTERS[key]
    measure = Measure.objects.get(plan=seed_plan, code="3.1")
    built = REGISTER_FACTORIES[key].build(organization=org)
    client.force_login(officer)
    response = client.post(_url("create", org, key), form_data(spec, built, [measure]))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == _url("list", org, key)
    row = spec.model.objects.get(organization=org)
    assert getattr(row, spec.sort_field) == getattr(built, spec.sort_field)
    assert [m.code for m in row.measures.all()] == ["3.1"]
    assert row.created_by == officer
    entry = AuditEntry.objects.get(action=f"register.{key}.created", object_id=str(row.pk))
    assert entry.actor == officer
    assert entry.organization_id == org.pk


@pytest.mark.parametrize("key", KEYS)
def test_it_edits_a_row_of_every_register(client, coordinator, org, key):
    spec = REGISTERS[key]
    row = make_rows(key, org, 1)[0]
    client.force_login(coordinator)
    url = _url("edit", org, key, row.pk)
    assert client.get(url).status_code == 200
    data = form_data(spec, row)
    data[spec.sort_field] = "Засварласан бичлэг"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    row.refresh_from_db()
    assert getattr(row, spec.sort_field) == "Засварласан бичлэг"
    entry = AuditEntry.objects.get(action=f"register.{key}.changed", object_id=str(row.pk))
    assert entry.changes[spec.sort_field][1] == "Засварласан бичлэг"


@pytest.mark.parametrize("key", KEYS)
def test_it_deletes_a_row_of_every_register_after_confirming(client, officer, org, key):
    spec = REGISTERS[key]
    row = make_rows(key, org, 1)[0]
    client.force_login(officer)
    url = _url("delete", org, key, row.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert spec.model.objects.filter(pk=row.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not spec.model.objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.filter(
        action=f"register.{key}.deleted", object_id=str(row.pk)
    ).exists()


def test_a_new_row_has_the_registers_usual_measures_preselected(client, officer, org, seed_plan):
    client.force_login(officer)
    form = client.get(_url("create", org, "events")).context["form"]
    preselected = Measure.objects.filter(pk__in=form.initial["measures"])
    assert sorted(m.code for m in preselected) == ["1.2", "4.2", "5.1"]


def test_the_form_offers_only_the_organizations_measures(
    client, officer, org, seed_plan, other_plan
):
    client.force_login(officer)
    form = client.get(_url("create", org, "events")).context["form"]
    offered = list(form.fields["measures"].queryset)
    assert offered and all(m.plan_id == seed_plan.pk for m in offered)
    label = form.fields["measures"].label_from_instance(offered[0])
    assert label == f"{offered[0].code}. {offered[0].text[:80]}"


def test_the_form_offers_the_current_plans_measures_and_a_rows_own_links(
    client, officer, org, seed_plan
):
    import dataclasses

    from shudarga.plans.selectors import plan_to_document
    from shudarga.plans.services import plan_create_from_document

    old_measure = seed_plan.measures.get(code="1.2")
    row = make_rows("events", org, 1, measures=[old_measure])[0]
    newer = plan_create_from_document(
        organization=org,
        document=dataclasses.replace(plan_to_document(plan=seed_plan), year=2024),
        actor=None,
    )
    client.force_login(officer)
    new_form = client.get(_url("create", org, "events")).context["form"]
    assert {m.plan_id for m in new_form.fields["measures"].queryset} == {newer.pk}
    edit = client.get(reverse("registers:edit", args=[org.code, "events", row.pk])).context["form"]
    offered = set(edit.fields["measures"].queryset)
    assert old_measure in offered and set(newer.measures.all()) <= offered


def test_the_form_refuses_a_measure_of_another_organization(
    client, officer, org, seed_plan, other_plan
):
    spec = REGISTERS["events"]
    foreign = Measure.objects.filter(plan=other_plan).first()
    client.force_login(officer)
    response = client.post(
        _url("create", org, "events"),
        form_data(spec, EventFactory.build(organization=org), [foreign]),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["measures"]
    assert not spec.model.objects.exists()


def test_the_form_refuses_a_date_that_does_not_exist_and_negative_counts(client, officer, org):
    spec = REGISTERS["publications"]
    data = form_data(spec, PublicationFactory.build(organization=org))
    data.update(date="2024-02-31", copies="-5")
    client.force_login(officer)
    speak_english(client)
    response = client.post(_url("create", org, "publications"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["date"] == ["Enter a valid date."]
    assert errors["copies"] == ["Ensure this value is greater than or equal to 0."]
    html = response.content.decode()
    assert 'class="invalid-feedback d-block">Enter a valid date.' in html
    assert not spec.model.objects.exists()


def test_the_form_speaks_mongolian_by_default(client, officer, org):
    spec = REGISTERS["publications"]
    data = form_data(spec, PublicationFactory.build(organization=org))
    data["date"] = "2024-02-31"
    client.force_login(officer)
    response = client.post(_url("create", org, "publications"), data)
    assert response.context["form"].errors["date"] == ["Зөв огноо оруулна уу."]


def test_a_training_form_offers_only_the_organizations_staff(client, officer, org, other_org):
    ours = StaffMemberFactory(organization=org)
    theirs = StaffMemberFactory(organization=other_org)
    spec = REGISTERS["trainings"]
    client.force_login(officer)
    form = client.get(_url("create", org, "trainings")).context["form"]
    assert list(form.fields["attendees"].queryset) == [ours]

    data = form_data(spec, TrainingFactory.build(organization=org))
    response = client.post(_url("create", org, "trainings"), {**data, "attendees": [theirs.pk]})
    assert response.status_code == 400
    assert response.context["form"].errors["attendees"]

    response = client.post(_url("create", org, "trainings"), {**data, "attendees": [ours.pk]})
    assert response.status_code == 302
    training = spec.model.objects.get(organization=org)
    assert list(training.attendees.all()) == [ours]
    entry = AuditEntry.objects.get(action="register.trainings.created")
    assert entry.changes["attendees"] == [str(ours)]


def test_editing_a_training_keeps_its_attendees_checked(client, officer, org):
    ours = StaffMemberFactory(organization=org)
    training = TrainingFactory(organization=org, attendees=[ours])
    client.force_login(officer)
    form = client.get(_url("edit", org, "trainings", training.pk)).context["form"]
    assert list(form.initial["attendees"]) == [ours]
