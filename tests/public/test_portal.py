"""The portal's plan pages: organizations, published plans as the official table, downloads."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import OrganizationFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_it_lists_organizations_and_finds_them_in_cyrillic(client, org, other_org):
    html = client.get(reverse("public:index")).content.decode()
    assert "Манай газар" in html and "Өөр газар" in html
    html = client.get(reverse("public:index"), {"q": "ӨӨР"}).content.decode()
    assert "Өөр газар" in html and "Манай газар" not in html


def test_the_pages_need_no_sign_in_and_show_the_hotline(client, org):
    for url in (
        reverse("public:index"),
        reverse("public:organization", args=[org.code]),
        reverse("public:petition", args=[org.code]),
        reverse("public:track"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'href="tel:110"' in html
        assert reverse("set_language") in html
        assert "dashboards:my_work" not in html and "/accounts/logout/" not in html
        assert "<script" not in html  # no inline or external scripts on public pages


def test_only_published_plans_are_public(client, org, published_plan):
    draft = PlanFactory(organization=org, year=2025, title="ТӨСӨЛ ТӨЛӨВЛӨГӨӨ")
    html = client.get(reverse("public:organization", args=[org.code])).content.decode()
    assert published_plan.title in html
    assert "ТӨСӨЛ ТӨЛӨВЛӨГӨӨ" not in html
    assert client.get(reverse("public:plan", args=[org.code, draft.pk])).status_code == 404
    assert (
        client.get(reverse("public:plan_download", args=[org.code, draft.pk, "docx"])).status_code
        == 404
    )


def test_the_plan_shows_as_the_official_table(client, org, published_plan):
    response = client.get(reverse("public:plan", args=[org.code, published_plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<tr id="m-') == 19
    assert "Хэрэгжүүлэх арга хэмжээ" in html or "Measure to implement" in html
    assert "2023 оны 10 дугаар сарын 10" in html
    assert "Scores of the approved" in html or "тайлан" in html.lower()


def test_a_plan_is_public_only_under_its_own_organization(client, org, other_org, published_plan):
    url = reverse("public:plan", args=[other_org.code, published_plan.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("public:organization", args=["NOPE"])).status_code == 404


def test_it_serves_the_docx_and_xlsx_of_a_published_plan(client, org, published_plan):
    docx = client.get(reverse("public:plan_download", args=[org.code, published_plan.pk, "docx"]))
    assert docx.status_code == 200
    assert "attachment" in docx["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "ТӨЛӨВЛӨГӨӨ" in text
    xlsx = client.get(reverse("public:plan_download", args=[org.code, published_plan.pk, "xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    json = client.get(reverse("public:plan_download", args=[org.code, published_plan.pk, "json"]))
    assert json.status_code == 404


@pytest.mark.parametrize("n", [1, 25])
def test_the_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries, n):
    OrganizationFactory.create_batch(n)
    # page count, organizations with their published-plan counts
    with django_assert_num_queries(2):
        assert client.get(reverse("public:index")).status_code == 200


@pytest.mark.parametrize("n", [1, 25])
def test_the_organization_page_runs_a_fixed_number_of_queries(
    client, org, django_assert_num_queries, n
):
    from shudarga.reports.models import Report
    from shudarga.reports.services import report_create

    for year in range(2000, 2000 + n):
        plan = PlanFactory(organization=org, year=year, status="published")
        report_create(plan=plan, period="year", actor=None)
    Report.objects.update(status="approved")
    # organization with its parent, published plans, open surveys, plans for the scores,
    # their reports, the reports' scored items, the finished years with petitions (none
    # here; each one adds its submitted figures and its petitions, at most three years),
    # the rankings it approved of its subordinate organizations (issue 18)
    with django_assert_num_queries(8):
        response = client.get(reverse("public:organization", args=[org.code]))
    html = response.content.decode()
    assert html.count("/public/o/HOME/plans/") == n
    assert html.count('<td class="text-end fw-semibold">') == n


def test_the_approved_report_text_is_public(client, seed_plan, reviewer, leader):
    from shudarga.plans.services import plan_change_status
    from shudarga.reports.models import Report
    from shudarga.reports.services import report_create

    org = seed_plan.organization
    report = report_create(plan=seed_plan, period="year", actor=None)
    report.items.filter(measure__code="1.2").update(text="Хоёр өдөрлөг зохион байгуулсан.")
    url = reverse("public:report", args=[org.code, report.pk])
    assert client.get(url).status_code == 404  # a draft of a draft plan
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    plan_change_status(plan=seed_plan, transition="publish", actor=leader)
    assert client.get(url).status_code == 404  # the report is not approved yet
    Report.objects.filter(pk=report.pk).update(status="approved")
    html = client.get(url).content.decode()
    assert "Хоёр өдөрлөг зохион байгуулсан." in html
    organization_page = client.get(reverse("public:organization", args=[org.code]))
    assert url in organization_page.content.decode()
