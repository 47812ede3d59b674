"""Issue 18, the parent body's people in a descendant: they read it and evaluate its
reports for the parent body, but are never its own reviewer, leader or officer. A leader of
the parent body once inherited the full leader role below it and could approve the
descendant's plans and reports; these tests hold every such action shut, through the
pages and the API, and keep what the parent body may do open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.organizations.models import WorkflowPolicy
from shudarga.organizations.roles import PARENT_EVALUATOR, PARENT_LEADER, Role
from shudarga.organizations.selectors import access_for, roles_for_user
from shudarga.plans.models import Plan
from shudarga.plans.services import plan_change_status
from shudarga.registers.models import Event
from shudarga.reports import services
from shudarga.reports.models import Report
from tests.api.conftest import Api, make_token
from tests.factories import OrganizationFactory
from tests.reports.conftest import AFTER_THE_YEAR, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reviewed_report(seed_plan, coordinator, reviewer):
    report = services.report_create(
        plan=seed_plan, period="year", actor=coordinator, today=AFTER_THE_YEAR
    )
    report = services.report_submit(report=report, actor=coordinator, today=AFTER_THE_YEAR)
    score_all(report, reviewer)
    return services.report_mark_reviewed(report=Report.objects.get(pk=report.pk), actor=reviewer)


def test_a_parent_leader_holds_the_parent_roles_below_and_its_own_role_at_home(
    parent_leader, parent_reviewer, auditor, parent_org, org
):
    grandchild = OrganizationFactory(code="GRAND", parent=org)
    assert roles_for_user(user=parent_leader, organization=org) == {
        PARENT_LEADER,
        PARENT_EVALUATOR,
    }
    assert roles_for_user(user=parent_reviewer, organization=org) == {PARENT_EVALUATOR}
    # Below the children the body sees but does not evaluate (the test below).
    assert roles_for_user(user=parent_leader, organization=grandchild) == {PARENT_LEADER}
    for place in (org, grandchild):
        assert roles_for_user(user=auditor, organization=place) == {Role.AUDITOR}
    assert roles_for_user(user=parent_leader, organization=parent_org) == {Role.LEADER}
    below = access_for(user=parent_leader, organization=org)
    assert below.sees and below.sees_descendants and below.evaluates_as_parent
    assert not below.approves_reports and not below.reviews_reports
    assert not below.may_any("plan.approve", "plan.publish", "report.rules", "records.edit")
    # At home the leader is the leader.
    home = access_for(user=parent_leader, organization=parent_org)
    assert home.approves_reports and home.may("plan.approve")


def test_a_parent_leader_cannot_approve_reopen_or_publish_the_descendants_plan(
    client, parent_leader, seed_plan
):
    client.force_login(parent_leader)
    url = reverse("plans:status", args=[seed_plan.organization.code, seed_plan.pk])
    assert client.post(url, {"transition": "approve"}).status_code == 403
    assert Plan.objects.get(pk=seed_plan.pk).status == Plan.Status.DRAFT
    plan_change_status(plan=seed_plan, transition="approve", actor=None)
    for transition in ("reopen", "publish"):
        assert client.post(url, {"transition": transition}).status_code == 403
    assert Plan.objects.get(pk=seed_plan.pk).status == Plan.Status.APPROVED
    amend = reverse("plans:amend", args=[seed_plan.organization.code, seed_plan.pk])
    assert client.get(amend).status_code == 403
    # The plan's page offers no button of the organization's own.
    html = client.get(reverse("plans:detail", args=[seed_plan.organization.code, seed_plan.pk]))
    assert html.status_code == 200
    assert 'value="reopen"' not in html.content.decode()
    assert not AuditEntry.objects.filter(actor=parent_leader).exists()


def test_a_parent_leader_cannot_approve_submit_or_reopen_the_descendants_report(
    client, parent_leader, reviewed_report, seed_plan, leader
):
    client.force_login(parent_leader)
    code = seed_plan.organization.code
    transition = reverse("reports:transition", args=[code, reviewed_report.pk])
    for step in ("approve", "review", "submit"):
        assert client.post(transition, {"transition": step}).status_code == 403, step
    assert client.post(transition, {"transition": "reopen", "reason": "x"}).status_code == 403
    assert Report.objects.get(pk=reviewed_report.pk).status == Report.Status.REVIEWED
    page = client.get(reviewed_report.get_absolute_url()).content.decode()
    assert 'value="approve"' not in page

    services.report_approve(report=Report.objects.get(pk=reviewed_report.pk), actor=leader)
    assert client.post(transition, {"transition": "reopen", "reason": "x"}).status_code == 403
    assert Report.objects.get(pk=reviewed_report.pk).status == Report.Status.APPROVED
    # Nor the organization's report rules.
    rules = reverse("reports:rules", args=[code])
    assert client.post(rules, {"four_eyes": "", "reason": "small"}).status_code == 403
    assert not WorkflowPolicy.objects.exists()


def test_a_parent_leader_cannot_edit_the_descendants_registers_or_evidence(
    client, parent_leader, seed_plan
):
    client.force_login(parent_leader)
    code = seed_plan.organization.code
    create = reverse("registers:create", args=[code, "events"])
    response = client.post(create, {"date": "2023-05-01", "kind": "meeting", "title": "Хурал"})
    assert response.status_code == 403
    assert not Event.objects.exists()
    assert client.post(reverse("evidence:add", args=[code]), {}).status_code == 403
    assert client.get(reverse("registers:list", args=[code, "events"])).status_code == 200


def test_the_parent_body_still_evaluates_and_ranks(
    client, parent_leader, parent_reviewer, reviewed_report, parent_org
):
    """What the parent body does below it stays open: it reads the report, scores it for
    itself, sees the organization's descendants, and ranks them at home."""
    client.force_login(parent_reviewer)
    measure = reviewed_report.items.filter(due=True).first().measure
    url = reverse(
        "reports:measure_parent_score",
        args=[reviewed_report.plan.organization.code, reviewed_report.pk, measure.pk],
    )
    assert client.post(url, {"parent-score": "70"}).status_code == 302
    assert reviewed_report.items.get(measure=measure).parent_score == 70
    client.force_login(parent_leader)
    assert client.get(reviewed_report.get_absolute_url()).status_code == 200
    code = reviewed_report.plan.organization.code
    assert client.get(reverse("dashboards:children", args=[code])).status_code == 200
    ranking = reverse("reports:ranking", args=[parent_org.code])
    assert client.get(ranking).status_code == 200
    # Ranking its descendants is the parent's own business, not the descendant's.
    assert client.post(reverse("reports:ranking", args=[code]), {}).status_code == 403


def test_the_api_gives_the_parent_leader_no_role_of_the_descendant(
    client, parent_leader, reviewed_report, seed_plan, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.api.conftest import PDF

    api = Api(client, make_token(parent_leader))
    code = seed_plan.organization.code
    listed = {o["code"]: o["roles"] for o in api.get("/organizations").json()}
    assert listed[code] == [PARENT_EVALUATOR, PARENT_LEADER]
    assert listed["PARENT"] == [Role.LEADER]
    assert api.get(f"/organizations/{code}/reports/{reviewed_report.pk}").status_code == 200
    refused = [
        api.post(f"/organizations/{code}/reports/{reviewed_report.pk}/submit"),
        api.post(
            f"/organizations/{code}/registers/events/rows",
            {"values": {"date": "2023-01-05", "kind": "meeting", "title": "Хурал"}},
        ),
        api.upload(
            f"/organizations/{code}/evidence",
            {
                "measure": str(seed_plan.measures.first().pk),
                "file": SimpleUploadedFile("акт.pdf", PDF, "application/pdf"),
            },
        ),
        api.post(f"/organizations/{code}/plans", {"year": 2031}),
    ]
    assert [r.status_code for r in refused] == [403] * 4
    assert [r.json()["code"] for r in refused] == ["forbidden"] * 4
    assert not Event.objects.exists()


def test_only_the_direct_parent_body_evaluates_a_higher_one_only_sees(
    client, parent_leader, parent_reviewer, parent_org, org
):
    """A grandchild's evaluation is its own parent body's, recorded and sealed in that
    body's name: the body above sees (its leader, its auditor), but does not score, and its
    reviewer, who only evaluates, reaches its own children and no further."""
    grandchild = OrganizationFactory(parent=org, code="SUB")
    assert roles_for_user(user=parent_leader, organization=grandchild) == {PARENT_LEADER}
    assert roles_for_user(user=parent_reviewer, organization=grandchild) == set()
    assert roles_for_user(user=parent_reviewer, organization=org) == {PARENT_EVALUATOR}
    from shudarga.organizations.selectors import inherited_members, organizations_for_user

    parent_reviewer._shudarga_memberships = None
    seen = set(organizations_for_user(user=parent_reviewer).values_list("code", flat=True))
    assert "HOME" in seen and "SUB" not in seen
    client.force_login(parent_reviewer)
    assert client.get(reverse("dashboards:dashboard", args=["SUB"])).status_code == 404
    from django.utils import translation

    with translation.override("en"):
        labels = {
            m.user.username: str(m.inherited_label)
            for m in inherited_members(organization=grandchild)
        }
    assert "aimag-reviewer" not in labels
    assert labels["aimag-leader"] == "Leader of a higher body: sees"
