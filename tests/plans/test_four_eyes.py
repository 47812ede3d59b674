"""The four-eyes rule on plans (it lives in `organizations`, below plans and reports, so
both apply it): whoever imported a plan does not approve it alone; someone else does; an
organization that turned the rule off for its reports has it off for its plans too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from shudarga.core.models import AuditEntry, Seal
from shudarga.organizations.roles import Role
from shudarga.plans.models import Plan
from shudarga.plans.services import plan_change_status
from shudarga.reports.services import report_policy_set
from tests.factories import MembershipFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def importer(org):
    """One person who imports plans and approves them (coordinator and leader at once)."""
    user = UserFactory(username="all-hands")
    MembershipFactory(user=user, organization=org, role=Role.COORDINATOR)
    MembershipFactory(user=user, organization=org, role=Role.LEADER)
    return user


@pytest.fixture
def imported(org, importer):
    return PlanFactory(organization=org, created_by=importer)


def _status_url(plan):
    return reverse("plans:status", args=[plan.organization.code, plan.pk])


def test_whoever_imported_a_plan_may_not_approve_it_alone(client, imported, importer):
    with pytest.raises(ValidationError, match="someone else must approve"):
        plan_change_status(plan=imported, transition="approve", actor=importer)
    client.force_login(importer)
    page = client.get(reverse("plans:detail", args=[imported.organization.code, imported.pk]))
    html = page.content.decode()
    assert 'value="approve"' not in html
    assert 'data-test="plan-four-eyes"' in html and "You imported this plan" in html
    # Asked anyway (also with the confirmation), the page refuses and changes nothing.
    for data in ({"transition": "approve"}, {"transition": "approve", "confirmed": "1"}):
        response = client.post(_status_url(imported), data, follow=True)
        assert "someone else must approve it" in response.content.decode()
    assert Plan.objects.get(pk=imported.pk).status == Plan.Status.DRAFT
    assert not Seal.objects.filter(kind=Seal.Kind.PLAN).exists()
    assert not AuditEntry.objects.filter(action="plan.approve").exists()


def test_someone_else_approves_it(client, imported, leader):
    client.force_login(leader)
    html = client.get(
        reverse("plans:detail", args=[imported.organization.code, imported.pk])
    ).content.decode()
    assert 'value="approve"' in html and 'data-test="plan-four-eyes"' not in html
    response = client.post(_status_url(imported), {"transition": "approve", "confirmed": "1"})
    assert response.status_code == 302
    assert Plan.objects.get(pk=imported.pk).status == Plan.Status.APPROVED
    assert AuditEntry.objects.get(action="plan.approve").actor == leader


def test_the_importer_may_still_reopen_publish_and_the_system_approves(client, imported, importer):
    plan_change_status(plan=imported, transition="approve", actor=None)
    client.force_login(importer)
    response = client.post(_status_url(imported), {"transition": "publish", "confirmed": "1"})
    assert response.status_code == 302
    assert Plan.objects.get(pk=imported.pk).status == Plan.Status.PUBLISHED


def test_turning_the_rule_off_lets_the_importer_approve(client, imported, importer, org):
    report_policy_set(organization=org, four_eyes=False, reason="Хоёр хүнтэй", actor=importer)
    client.force_login(importer)
    response = client.post(_status_url(imported), {"transition": "approve", "confirmed": "1"})
    assert response.status_code == 302
    assert Plan.objects.get(pk=imported.pk).status == Plan.Status.APPROVED
    # The rules page says the rule covers plans too.
    html = client.get(reverse("reports:rules", args=[org.code])).content.decode()
    assert "imported a plan" in html
