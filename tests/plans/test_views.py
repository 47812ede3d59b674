"""Plan pages: list, detail as the official table, import with preview, downloads, status."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.plans.models import Criterion, Measure, Plan, PlanImportDraft
from tests.factories import CriterionFactory, GoalFactory, MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _plan_with(org, n_measures: int) -> Plan:
    plan = PlanFactory(organization=org)
    goals = [GoalFactory(plan=plan, number=i + 1, position=i + 1) for i in range(5)]
    for i in range(n_measures):
        goal = goals[i % 5]
        measure = MeasureFactory(
            goal=goal, plan=plan, code=f"{goal.number}.{i // 5 + 1}", position=i + 1
        )
        CriterionFactory.create_batch(3, measure=measure)
    return plan


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_plan_page_runs_a_fixed_number_of_queries(
    client, coordinator, org, django_assert_num_queries, n_measures
):
    plan = _plan_with(org, n_measures)
    client.force_login(coordinator)
    url = reverse("plans:detail", args=[org.code, plan.pk])
    # session, user, organization, memberships (roles), plan, whether it has a seal, the
    # organization's change stamp (the body's key), the plan again (after the key), goals,
    # activities, measures, criteria, signatures, the plan's seal, its amendments,
    # organizations for the switcher
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="code"') >= n_measures
    # Again, nothing changed: the body is the memo's HTML; only the live part is read.
    with django_assert_num_queries(8):
        again = client.get(url).content.decode()
    token = re.compile(r"[A-Za-z0-9]{64}")  # each response masks the CSRF token anew
    assert token.sub("T", again) == token.sub("T", body)
    assert "Placeholder" not in again


@pytest.mark.parametrize("n_measures", [5, 60])
def test_the_sealed_plan_page_runs_the_same_number_of_queries(
    client, coordinator, reviewer, org, django_assert_num_queries, n_measures
):
    from shudarga.plans.services import plan_change_status

    plan = _plan_with(org, n_measures)
    plan_change_status(plan=plan, transition="approve", actor=reviewer)
    client.force_login(coordinator)
    # as above: the badge compares the seal with the plan the page has read already; a
    # sealed plan's page is rendered anew each time (the badge must see the rows as they
    # are), so no change stamp is read
    with django_assert_num_queries(15):
        response = client.get(reverse("plans:detail", args=[org.code, plan.pk]))
    assert b'data-seal="intact"' in response.content


@pytest.mark.parametrize("n_plans", [1, 25])
def test_the_plan_list_runs_a_fixed_number_of_queries(
    client, coordinator, org, django_assert_num_queries, n_plans
):
    PlanFactory.create_batch(n_plans, organization=org)
    client.force_login(coordinator)
    # session, user, organization, memberships, plans with counts, children, switcher
    with django_assert_num_queries(7):
        response = client.get(reverse("plans:list", args=[org.code]))
    assert response.status_code == 200


def test_the_plan_page_shows_the_official_table(client, officer, seed_plan):
    client.force_login(officer)
    response = client.get(seed_plan.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for header in ("Д/д", "Зорилго", "Хэрэгжүүлэх арга хэмжээ", "Гүйцэтгэлийн шалгуур үзүүлэлт"):
        assert header in html
    assert "2023 оны 10 дугаар сарын 10" in html
    for measure in Measure.objects.filter(plan=seed_plan):
        assert f'id="m-{measure.code}"' in html
    assert "Х.СОДНОМДЭМБЭРЭЛ" in html
    assert "khutulbur.iaас.mn" in html  # and its warning
    assert 'rowspan="8"' in html  # goal 5 merged over its eight measures


def test_the_plan_page_switches_to_english(client, officer, seed_plan):
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(seed_plan.get_absolute_url()).content.decode()
    assert "Measure to implement" in html
    assert "10 October 2023" in html or "Oct. 10, 2023" in html


def test_an_auditor_of_the_parent_sees_the_plan_but_not_import(client, auditor, seed_plan, org):
    client.force_login(auditor)
    assert client.get(seed_plan.get_absolute_url()).status_code == 200
    assert client.get(reverse("plans:import", args=[org.code])).status_code == 403


def test_an_officer_cannot_import(client, officer, org):
    client.force_login(officer)
    assert client.get(reverse("plans:import", args=[org.code])).status_code == 403


def test_import_previews_then_saves_on_confirm(client, coordinator, org, seed_bytes):
    client.force_login(coordinator)
    url = reverse("plans:import", args=[org.code])
    response = client.post(url, {"file": SimpleUploadedFile("plan.txt", seed_bytes)})
    draft = PlanImportDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:import_preview", args=[org.code, draft.pk])
    response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "5.8" in html and "khutulbur" in html
    assert 'data-testid="reading-grid"' in html and 'data-testid="schedule"' in html
    assert not Plan.objects.exists()  # nothing saved by the preview
    response = client.post(reverse("plans:import_confirm", args=[org.code, draft.pk]))
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.measures.count() == 19
    assert Criterion.objects.filter(measure__plan=plan).count() == 43
    assert plan.created_by == coordinator
    entry = AuditEntry.objects.get(action="plan.imported")
    assert entry.actor == coordinator
    assert entry.organization_id == org.pk
    draft.refresh_from_db()
    assert draft.plan == plan


def test_a_preview_is_saved_once_however_often_it_is_confirmed(
    client, coordinator, org, seed_bytes
):
    client.force_login(coordinator)
    client.post(
        reverse("plans:import", args=[org.code]),
        {"file": SimpleUploadedFile("plan.txt", seed_bytes)},
    )
    draft = PlanImportDraft.objects.get()
    confirm = reverse("plans:import_confirm", args=[org.code, draft.pk])
    first = client.post(confirm)
    second = client.post(confirm)
    assert Plan.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_another_person_cannot_see_or_confirm_a_draft(
    client, coordinator, outsider, org, seed_bytes
):
    from tests.factories import MembershipFactory, UserFactory

    client.force_login(coordinator)
    client.post(
        reverse("plans:import", args=[org.code]),
        {"file": SimpleUploadedFile("plan.txt", seed_bytes)},
    )
    draft = PlanImportDraft.objects.get()
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, organization=org, role="coordinator")
    for user in (outsider, colleague):
        client.force_login(user)
        preview = reverse("plans:import_preview", args=[org.code, draft.pk])
        assert client.get(preview).status_code == 404
        confirm = reverse("plans:import_confirm", args=[org.code, draft.pk])
        assert client.post(confirm).status_code == 404
    assert not Plan.objects.exists()


def test_a_draft_of_one_organization_cannot_be_saved_into_another(
    client, coordinator, org, seed_bytes
):
    from tests.factories import MembershipFactory, OrganizationFactory

    second = OrganizationFactory(code="SECOND")
    MembershipFactory(user=coordinator, organization=second, role="coordinator")
    client.force_login(coordinator)
    client.post(
        reverse("plans:import", args=[org.code]),
        {"file": SimpleUploadedFile("plan.txt", seed_bytes)},
    )
    draft = PlanImportDraft.objects.get()
    response = client.post(reverse("plans:import_confirm", args=[second.code, draft.pk]))
    assert response.status_code == 404
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "хоосон"),
        (b"%PDF-1.5 rest", "PDF"),
        (b"\x00\x01\x02junk" * 100, "UTF-8"),
    ],
)
def test_import_shows_the_error_next_to_the_form(client, coordinator, org, content, fragment):
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:import", args=[org.code]),
        {"file": SimpleUploadedFile("plan.docx", content)},
    )
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not Plan.objects.exists()


def test_import_refuses_an_oversized_upload(client, coordinator, org, settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1000
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:import", args=[org.code]),
        {"file": SimpleUploadedFile("plan.txt", b"x" * 5000)},
    )
    assert "MB" in response.content.decode()
    assert not Plan.objects.exists()


def test_json_download_is_the_interchange_format(client, officer, seed_plan, seed_bytes):
    from shudarga.plans.documents.reading import read_plan_document

    client.force_login(officer)
    response = client.get(
        reverse("plans:export", args=[seed_plan.organization.code, seed_plan.pk, "json"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content) == read_plan_document(seed_bytes).to_dict()


def test_an_unknown_download_format_is_404(client, officer, seed_plan):
    client.force_login(officer)
    url = reverse("plans:export", args=[seed_plan.organization.code, seed_plan.pk, "exe"])
    assert client.get(url).status_code == 404


def test_the_reviewer_approves_and_the_coordinator_publishes(
    client, reviewer, coordinator, seed_plan
):
    url = reverse("plans:status", args=[seed_plan.organization.code, seed_plan.pk])
    client.force_login(coordinator)
    client.post(url, {"transition": "approve"})  # a coordinator may not approve
    seed_plan.refresh_from_db()
    assert seed_plan.status == "draft"
    client.force_login(reviewer)
    client.post(url, {"transition": "approve", "confirmed": "1"})
    seed_plan.refresh_from_db()
    assert seed_plan.status == "approved"
    client.force_login(coordinator)
    client.post(url, {"transition": "publish", "confirmed": "1"})
    seed_plan.refresh_from_db()
    assert seed_plan.status == "published"
    actions = list(
        AuditEntry.objects.filter(object_id=str(seed_plan.pk)).values_list("action", flat=True)
    )
    assert "plan.approve" in actions and "plan.publish" in actions


def test_approving_asks_first_and_then_says_what_happened(client, reviewer, seed_plan):
    client.cookies["django_language"] = "en"
    url = reverse("plans:status", args=[seed_plan.organization.code, seed_plan.pk])
    client.force_login(reviewer)
    asked = client.post(url, {"transition": "approve"})
    assert asked.status_code == 200 and "seals the plan" in asked.content.decode()
    seed_plan.refresh_from_db()
    assert seed_plan.status == "draft"
    done = client.post(url, {"transition": "approve", "confirmed": "1"}, follow=True)
    assert "was approved and sealed" in done.content.decode()


def test_an_officer_cannot_change_status(client, officer, seed_plan):
    client.force_login(officer)
    url = reverse("plans:status", args=[seed_plan.organization.code, seed_plan.pk])
    assert client.post(url, {"transition": "approve"}).status_code == 403
    seed_plan.refresh_from_db()
    assert seed_plan.status == "draft"


def test_publishing_a_draft_is_refused_with_a_message(client, coordinator, seed_plan):
    client.force_login(coordinator)
    url = reverse("plans:status", args=[seed_plan.organization.code, seed_plan.pk])
    response = client.post(url, {"transition": "publish"}, follow=True)
    seed_plan.refresh_from_db()
    assert seed_plan.status == "draft"
    assert "alert-danger" in response.content.decode()


def test_a_coordinator_deletes_a_draft_but_not_an_approved_plan(client, coordinator, seed_plan):
    client.force_login(coordinator)
    url = reverse("plans:delete", args=[seed_plan.organization.code, seed_plan.pk])
    Plan.objects.filter(pk=seed_plan.pk).update(status="approved")
    client.post(url)
    assert Plan.objects.filter(pk=seed_plan.pk).exists()
    Plan.objects.filter(pk=seed_plan.pk).update(status="draft")
    client.post(url)
    assert not Plan.objects.filter(pk=seed_plan.pk).exists()
    assert AuditEntry.objects.filter(action="plan.deleted").exists()
