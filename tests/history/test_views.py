"""History pages: the organization's history (filters, pages, export) and one object's
history, for members only, with petitioners' personal data hidden from roles that do not
handle petitions."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from shudarga.plans.services import measure_assign
from shudarga.registers.models import Event
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_delete, register_row_save
from shudarga.reports.services import report_create
from tests.factories import EvidenceFactory, PetitionFactory

pytestmark = pytest.mark.django_db

EVENTS = REGISTERS["events"]


def _event(org, actor, title="Уулзалт"):
    return register_row_save(
        spec=EVENTS,
        organization=org,
        row=Event(date="2024-05-01", kind="meeting", title=title),
        measures=[],
        actor=actor,
    )


def _rename(org, row, actor, title):
    row.title = title
    return register_row_save(spec=EVENTS, organization=org, row=row, measures=None, actor=actor)


def _org_url(org, **params):
    from urllib.parse import urlencode

    url = reverse("history:organization", args=[org.code])
    return f"{url}?{urlencode(params)}" if params else url


def test_it_lists_every_version_with_what_changed(client, coordinator, org, officer):
    row = _event(org, officer)
    _rename(org, row, officer, "Шинэ гарчиг")
    client.force_login(coordinator)
    response = client.get(_org_url(org))
    assert response.status_code == 200
    versions = response.context["versions"]
    assert [(v.kind, v.action) for v in versions[:2]] == [
        ("registers.event", "~"),
        ("registers.event", "+"),
    ]
    changed = versions[0]
    assert [(c.before, c.after) for c in changed.changes if c.after == "Шинэ гарчиг"] == [
        ("Уулзалт", "Шинэ гарчиг")
    ]
    html = response.content.decode()
    assert "<del" in html and "Шинэ гарчиг" in html
    # human field names, not column names
    assert str(Event._meta.get_field("title").verbose_name) in {c.field for c in changed.changes}
    assert reverse("history:register_row", args=[org.code, "events", row.pk]) in html


def test_it_shows_who_and_from_where_for_a_change_through_the_web(client, coordinator, org):
    client.force_login(coordinator)
    response = client.post(
        reverse("registers:create", args=[org.code, "events"]),
        {"date": "2024-05-01", "kind": "meeting", "title": "Вэбээс"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302
    version = client.get(_org_url(org, kind="registers.event")).context["versions"][0]
    assert (version.user_label, version.ip) == ("coordinator", "198.51.100.4")


@pytest.mark.parametrize("role", ["coordinator", "officer", "reviewer", "leader", "auditor"])
def test_every_role_that_sees_the_organization_sees_its_history(client, org, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(_org_url(org)).status_code == 200


def test_it_hides_the_history_from_outsiders(client, outsider, org, officer):
    row = _event(org, officer)
    client.force_login(outsider)
    assert client.get(_org_url(org)).status_code == 404
    assert client.get(reverse("history:export", args=[org.code])).status_code == 404
    # another organization's object under one's own code
    url = reverse("history:register_row", args=["OTHER", "events", row.pk])
    assert client.get(url).status_code == 404


def test_it_filters_by_kind_action_user_and_dates(client, coordinator, officer, org):
    row = _event(org, officer)
    _rename(org, row, coordinator, "Өөрчилсөн")
    client.force_login(coordinator)

    def kinds_actions(**params):
        response = client.get(_org_url(org, **params))
        assert response.status_code == 200
        return [(v.kind, v.action) for v in response.context["versions"]]

    assert kinds_actions(kind="registers.event") == [
        ("registers.event", "~"),
        ("registers.event", "+"),
    ]
    assert kinds_actions(kind="registers.event", action="~") == [("registers.event", "~")]
    assert kinds_actions(kind="organizations.membership", action="+") == [
        ("organizations.membership", "+"),
        ("organizations.membership", "+"),
    ]
    # The versions were written without a request, so nobody is recorded as their author;
    # a user filter keeps only what that user did through the app.
    assert kinds_actions(user=officer.pk) == []
    today = timezone.localdate()
    assert len(kinds_actions(date_from=today.isoformat(), date_to=today.isoformat())) == 4
    assert kinds_actions(date_to=(today - dt.timedelta(days=1)).isoformat()) == []


def test_a_bad_filter_says_so_and_shows_nothing(client, coordinator, org, officer):
    _event(org, officer)
    client.force_login(coordinator)
    response = client.get(_org_url(org, date_from="2024-02-01", date_to="2024-01-01"))
    assert response.status_code == 200
    assert response.context["versions"] == []
    assert response.context["form"].errors
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    response = client.get(_org_url(org, kind="no.such"))
    assert response.context["versions"] == []
    assert "kind" in response.context["form"].errors
    export = reverse("history:export", args=[org.code]) + "?date_from=nonsense"
    assert len(_sheet(client.get(export))) == 1  # the header only


@pytest.mark.parametrize("n_rows", [1, 25])
def test_the_page_runs_a_fixed_number_of_queries(
    client, coordinator, officer, org, n_rows, django_assert_max_num_queries
):
    for i in range(n_rows):
        row = _event(org, officer, title=f"Уулзалт {i}")
        _rename(org, row, officer, f"Уулзалт {i}б")
        EvidenceFactory(organization=org, measure__plan__organization=org)
    client.force_login(coordinator)
    # session, user, organization, memberships, people (filter), count, page (UNION);
    # per kind on the page its versions, and the versions before them when some are
    # changes (here: events, evidence); the users named; the menu's organizations. More
    # rows only push older kinds off the page.
    with django_assert_max_num_queries(13):
        response = client.get(_org_url(org))
    assert response.status_code == 200
    assert len(response.context["versions"]) == min(50, response.context["page"].paginator.count)


def test_it_pages_the_history(client, coordinator, officer, org):
    for i in range(30):
        _rename(org, _event(org, officer), officer, f"Дахин {i}")
    client.force_login(coordinator)
    first = client.get(_org_url(org)).context
    assert first["page"].paginator.num_pages == 2
    second = client.get(_org_url(org, page=2)).context
    seen = {(v.kind, v.history_id) for v in first["versions"]}
    assert not seen & {(v.kind, v.history_id) for v in second["versions"]}


def _sheet(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_it_exports_the_filtered_history_as_xlsx(client, coordinator, officer, org):
    row = _event(org, officer, title="=HYPERLINK(1)")
    _rename(org, row, officer, "Шинэ")
    client.force_login(coordinator)
    response = client.get(
        reverse("history:export", args=[org.code]) + "?kind=registers.event&action=~"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _sheet(response)
    assert len(rows[0]) == 9  # when, who, address, kind, object, action, field, before, after
    changed = [r for r in rows[1:] if r[7] == "=HYPERLINK(1)"]
    assert len(changed) == 1 and changed[0][8] == "Шинэ"  # text, never a formula
    assert all(
        r[5] == str(dict(Event.history.model._meta.get_field("history_type").choices)["~"])
        for r in rows[1:]
    )


@pytest.mark.parametrize("n_rows", [1, 25])
def test_the_export_runs_a_fixed_number_of_queries(
    client, coordinator, officer, org, n_rows, django_assert_max_num_queries
):
    for i in range(n_rows):
        _event(org, officer, title=f"Уулзалт {i}")
    client.force_login(coordinator)
    # session, user, organization, memberships, people, the UNION (read in chunks of 500);
    # per kind (events, memberships) its versions (no earlier versions: all creations); users
    with django_assert_max_num_queries(9):
        response = client.get(reverse("history:export", args=[org.code]))
    assert len(_sheet(response)) > n_rows


def test_petition_personal_data_is_hidden_from_roles_that_do_not_handle_petitions(
    client, coordinator, reviewer, auditor, org
):
    petition = PetitionFactory(organization=org, petitioner_name="Д.Нууцбаяр")
    url = reverse("history:petition", args=[org.code, petition.pk])
    client.force_login(coordinator)
    assert "Д.Нууцбаяр" in client.get(url).content.decode()
    for user in (reviewer, auditor):
        client.force_login(user)
        for page in (url, _org_url(org), reverse("history:export", args=[org.code])):
            response = client.get(page)
            assert response.status_code == 200
            body = (
                b"".join(response.streaming_content).decode("latin-1")
                if response.streaming
                else response.content.decode()
            )
            assert "Д.Нууцбаяр" not in body
            if page.endswith(".xlsx"):
                cells = {c for row in _sheet(client.get(page)) for c in row}
                assert "Д.Нууцбаяр" not in cells
        response = client.get(url)
        assert any(c.hidden for v in response.context["versions"] for c in v.changes)


def test_an_objects_page_shows_its_versions_and_its_parts(client, coordinator, org, seed_plan):
    measure = seed_plan.measures.get(code="1.2")
    measure_assign(
        measure=measure,
        actor=coordinator,
        responsible_unit="Хууль зүйн хэлтэс",
        responsible_person=None,
        due_date=None,
        recurrence="monthly",
    )
    client.force_login(coordinator)
    response = client.get(reverse("history:measure", args=[org.code, measure.pk]))
    assert response.status_code == 200
    kinds = {v.kind for v in response.context["versions"]}
    assert kinds == {"plans.measure", "plans.criterion"}
    assigned = response.context["versions"][0]
    assert ("—", "Хууль зүйн хэлтэс") in {(c.before, c.after) for c in assigned.changes}
    plan = client.get(reverse("history:plan", args=[org.code, seed_plan.pk])).context
    assert {v.kind for v in plan["versions"]} >= {"plans.plan", "plans.goal", "plans.signature"}


def test_a_deleted_objects_history_stays_readable(client, coordinator, officer, org):
    row = _event(org, officer)
    pk = row.pk
    register_row_delete(spec=EVENTS, row=row, actor=officer)
    client.force_login(coordinator)
    response = client.get(reverse("history:register_row", args=[org.code, "events", pk]))
    assert response.status_code == 200
    assert [v.action for v in response.context["versions"]] == ["-", "+"]


def test_each_kind_of_object_page_answers(client, coordinator, org, seed_plan, officer):
    row = _event(org, officer)
    evidence = EvidenceFactory(organization=org, measure=seed_plan.measures.first())
    petition = PetitionFactory(organization=org)
    report = report_create(plan=seed_plan, period="year", actor=coordinator)
    client.force_login(coordinator)
    urls = [
        reverse("history:plan", args=[org.code, seed_plan.pk]),
        reverse("history:register_row", args=[org.code, "events", row.pk]),
        reverse("history:evidence", args=[org.code, evidence.pk]),
        reverse("history:petition", args=[org.code, petition.pk]),
        reverse("history:report", args=[org.code, report.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    items = client.get(urls[-1]).context["versions"]
    assert {v.kind for v in items} == {"reports.report", "reports.reportitem"}
    assert (
        client.get(reverse("history:register_row", args=[org.code, "nope", 1])).status_code == 404
    )
    assert client.get(reverse("history:evidence", args=[org.code, 99999])).status_code == 404


def test_the_object_pages_link_to_their_history(client, coordinator, org, seed_plan, officer):
    row = _event(org, officer)
    measure = seed_plan.measures.first()
    evidence = EvidenceFactory(organization=org, measure=measure)
    petition = PetitionFactory(organization=org)
    report = report_create(plan=seed_plan, period="year", actor=coordinator)
    client.force_login(coordinator)
    pages = {
        reverse("plans:detail", args=[org.code, seed_plan.pk]): ("history:plan", seed_plan.pk),
        reverse("plans:assign", args=[org.code, seed_plan.pk, measure.pk]): (
            "history:measure",
            measure.pk,
        ),
        reverse("evidence:detail", args=[org.code, evidence.pk]): ("history:evidence", evidence.pk),
        reverse("petitions:detail", args=[org.code, petition.pk]): (
            "history:petition",
            petition.pk,
        ),
        reverse("reports:detail", args=[org.code, report.pk]): ("history:report", report.pk),
    }
    for page, (name, pk) in pages.items():
        html = client.get(page).content.decode()
        assert reverse(name, args=[org.code, pk]) in html, page
    html = client.get(reverse("registers:edit", args=[org.code, "events", row.pk])).content
    assert reverse("history:register_row", args=[org.code, "events", row.pk]) in html.decode()
    menu = client.get(reverse("plans:list", args=[org.code])).content.decode()
    assert reverse("history:organization", args=[org.code]) in menu
