"""The parent body's view: one row per descendant, numbers recomputed here, a constant
number of queries with 3 and 30 children, sort, filter, XLSX, access."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shudarga.organizations.roles import Role
from shudarga.plans.models import Plan
from shudarga.reports.services import report_create, report_item_score, report_submit
from tests.dashboards.conftest import board_update
from tests.factories import (
    CriterionFactory,
    GoalFactory,
    MeasureFactory,
    MembershipFactory,
    OrganizationFactory,
    PetitionFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def _child(parent, n: int, *, score: int | None = None, records: int = 0, late_petition=False):
    """A child with a 2023 plan of two goals × two measures; `score` scores its h1 report,
    `records` measures get a register row, `late_petition` adds a petition past its deadline."""
    org = OrganizationFactory(parent=parent, code=f"CH{n:02d}", name=f"Салбар {n:02d}")
    plan = PlanFactory(organization=org, year=2023)
    measures = []
    for g in (1, 2):
        goal = GoalFactory(plan=plan, number=g, position=g)
        for k in (1, 2):
            m = MeasureFactory(goal=goal, plan=plan, code=f"{g}.{k}", recurrence="half_yearly")
            CriterionFactory(measure=m, text="Хийсэн байна")
            measures.append(m)
    for m in measures[:records]:
        board_update(org, m, dt.date(2023, 3, 1))
    if score is not None:
        report = report_create(plan=plan, period="h1", actor=None)
        report_submit(report=report, actor=None)
        for m in measures:
            report_item_score(report=report, measure=m, actor=None, score=score)
    if late_petition:
        PetitionFactory(organization=org, received_on=timezone.localdate() - dt.timedelta(days=90))
    return org


def test_it_shows_each_child_with_numbers_recomputed(client, parent_org, parent_auditor):
    a = _child(parent_org, 1, score=70, records=1, late_petition=True)
    b = _child(parent_org, 2, records=4)
    client.force_login(parent_auditor)
    response = client.get(reverse("dashboards:children", args=["PARENT"]))
    assert response.status_code == 200
    rows = {r.organization.code: r for r in response.context["fragment"].data["overview"].rows}
    # Four measures, all due at 30 June 2023 (long past): those with no record are overdue.
    assert rows[a.code].overdue_measures == 4 - 1
    assert rows[b.code].overdue_measures == 0
    assert rows[a.code].overdue_petitions == 1 and rows[b.code].overdue_petitions == 0
    assert str(rows[a.code].score) == "70.0" and rows[b.code].score is None
    assert rows[a.code].goal_percents == {1: 70, 2: 70}
    html = response.content.decode()
    assert 'data-test="row-CH01"' in html and "70.0" in html


def test_it_sorts_and_filters(client, parent_org, parent_auditor):
    _child(parent_org, 1, score=100)
    _child(parent_org, 2, score=30, late_petition=True)
    OrganizationFactory(parent=parent_org, code="NOPLAN")
    client.force_login(parent_auditor)
    url = reverse("dashboards:children", args=["PARENT"])
    codes = [
        r.organization.code
        for r in client.get(url, {"sort": "score"}).context["fragment"].data["overview"].rows
    ]
    assert codes[-2:] == ["CH02", "CH01"]
    desc = client.get(url, {"sort": "score", "desc": "1"}).context["fragment"].data["overview"].rows
    assert desc[0].organization.code == "CH01"
    late = client.get(url, {"late": "1"}).context["fragment"].data["overview"].rows
    assert {r.organization.code for r in late} == {"CH01", "CH02"}  # both have overdue measures
    assert [
        r.organization.code
        for r in client.get(url, {"q": "02"}).context["fragment"].data["overview"].rows
    ] == ["CH02"]
    none = client.get(url, {"plan_status": "none"}).context["fragment"].data["overview"].rows
    assert [r.organization.code for r in none] == ["NOPLAN"]


def test_it_shows_who_has_not_submitted(client, parent_org, parent_auditor):
    scored = _child(parent_org, 1, score=100)
    drafted = _child(parent_org, 2)
    report_create(plan=Plan.objects.get(organization=drafted), period="h1", actor=None)
    client.force_login(parent_auditor)
    overview = (
        client.get(reverse("dashboards:children", args=["PARENT"]))
        .context["fragment"]
        .data["overview"]
    )
    rows = {r.organization.code: r for r in overview.rows}
    assert rows[scored.code].reports["h1"].status == "submitted"
    assert rows[drafted.code].reports["h1"].status == "draft"
    assert overview.periods == ["h1"]


def test_it_exports_the_table_as_xlsx(client, parent_org, parent_auditor):
    _child(parent_org, 1, score=70, late_petition=True)
    client.force_login(parent_auditor)
    response = client.get(reverse("dashboards:children_xlsx", args=["PARENT"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb.worksheets[0]
    values = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["CH01"][6] == 70.0 and values["CH01"][8] == 1
    assert len(wb.worksheets) == 3


@pytest.mark.parametrize("n_children", [3, 30])
def test_parent_view_queries_do_not_grow(
    client, parent_org, parent_auditor, django_assert_num_queries, n_children
):
    children = [
        _child(parent_org, n, score=70 if n % 2 else None, records=n % 3, late_petition=n % 5 == 0)
        for n in range(n_children)
    ]
    client.force_login(parent_auditor)
    url = reverse("dashboards:children", args=["PARENT"])
    # Every summary computed at once (the first view): one batch of fixed queries, and the
    # page body's key (the stamp of the parent body and its descendants).
    with django_assert_num_queries(31):
        response = client.get(url)
    assert len(response.context["fragment"].data["overview"].rows) == n_children
    # Up to date: session, user, organization (+parent), memberships; the descendants'
    # summaries against their chain heads; their sortable columns; overdue measures, open
    # and late-resolved petitions (grouped); the page's summaries, plans and reports; the
    # top bar's organization list; the body's key.
    with django_assert_num_queries(14):
        response = client.get(url, {"sort": "measures", "late": "1"})
    # The same again: the body is the memo's HTML (session, user, organization,
    # memberships, the key, switcher).
    with django_assert_num_queries(6):
        response = client.get(url, {"sort": "measures", "late": "1"})
    # An audited change in one child: its row alone is recomputed, in fixed queries.
    board_update(children[0], children[0].plans.get().measures.last(), dt.date(2023, 4, 1))
    with django_assert_num_queries(29):
        response = client.get(url)
    rows = {r.organization.code: r for r in response.context["fragment"].data["overview"].rows}
    assert len(rows) == n_children
    assert rows["CH00"].overdue_measures == 3  # four measures, one now recorded
    assert rows["CH00"].overdue_petitions == 1


def test_it_forbids_a_member_whose_role_does_not_see_descendants(client, officer, parent_org):
    MembershipFactory(user=officer, organization=parent_org, role=Role.OFFICER)
    client.force_login(officer)
    assert client.get(reverse("dashboards:children", args=["PARENT"])).status_code == 403


def test_it_answers_404_to_an_outsider(client, outsider, parent_org):
    client.force_login(outsider)
    for name in ("dashboards:children", "dashboards:children_xlsx"):
        assert client.get(reverse(name, args=["PARENT"])).status_code == 404


def test_a_leader_of_the_child_sees_only_below_it(client, leader, parent_org):
    other_parent_child = OrganizationFactory(parent=parent_org, code="SIB")
    client.force_login(leader)
    response = client.get(reverse("dashboards:children", args=["HOME"]))
    assert response.status_code == 200
    assert other_parent_child.code not in [
        r.organization.code for r in response.context["fragment"].data["overview"].rows
    ]


def test_it_shows_fifty_organizations_a_page(client, parent_org, parent_auditor):
    for n in range(55):
        OrganizationFactory(parent=parent_org, code=f"P{n:02d}", name=f"Байгууллага {n:02d}")
    client.force_login(parent_auditor)
    url = reverse("dashboards:children", args=["PARENT"])
    first = client.get(url).context["fragment"].data["overview"]
    second = client.get(url, {"page": 2}).context["fragment"].data["overview"]
    assert first.total == second.total == 55
    assert len(first.rows) == 50 and len(second.rows) == 5
    assert second.rows[-1].organization.code == "P54"
    # the export has every organization, not a page
    response = client.get(reverse("dashboards:children_xlsx", args=["PARENT"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 56


def test_the_memo_serves_repeat_views_and_follows_every_audited_change(
    client, parent_org, parent_auditor, settings, django_assert_max_num_queries
):
    """With the memo on, a second view reads the descendants' rows from memory; a change
    made through a service (audited) is seen at once."""
    settings.AUDIT_MEMO = True
    _child(parent_org, 1)
    scored = _child(parent_org, 2)
    client.force_login(parent_auditor)
    url = reverse("dashboards:children", args=["PARENT"])
    rows = {
        r.organization.code: r for r in client.get(url).context["fragment"].data["overview"].rows
    }
    assert rows[scored.code].score is None
    with django_assert_max_num_queries(18):  # descendants, plans, reports… not read again
        client.get(url)
    plan = Plan.objects.get(organization=scored)
    report = report_create(plan=plan, period="h1", actor=None)
    report_submit(report=report, actor=None)
    for measure in plan.measures.all():
        report_item_score(report=report, measure=measure, actor=None, score=30)
    rows = {
        r.organization.code: r for r in client.get(url).context["fragment"].data["overview"].rows
    }
    assert str(rows[scored.code].score) == "30.0"
