"""Page bodies kept as HTML per change of their organization (`core.fragments`): shared by
people of the same roles and language, never by different ones, shown anew after any
audited change of the organization and not after another organization's, and with each
request's own CSRF token in their forms."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from shudarga.organizations.roles import Role
from shudarga.plans.services import plan_change_status
from tests.conftest import _member
from tests.factories import OrganizationFactory, PlanFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _approve_button(html: str) -> bool:
    return 'name="transition" value="approve"' in html


def test_two_reviewers_share_the_body_and_each_posts_with_their_own_token(org, reviewer):
    plan = PlanFactory(organization=org)
    second = _member(org, Role.REVIEWER, "reviewer-2")
    url = reverse("plans:detail", args=[org.code, plan.pk])
    first = Client(enforce_csrf_checks=True)
    first.force_login(reviewer)
    assert _approve_button(first.get(url).content.decode())
    other = Client(enforce_csrf_checks=True)
    other.force_login(second)
    page = other.get(url).content.decode()  # the first reviewer's body, from the memo
    assert page.count("csrfmiddlewaretoken") >= 2 and "Placeholder" not in page
    token = TOKEN.findall(page)[-1]
    response = other.post(
        reverse("plans:status", args=[org.code, plan.pk]),
        {"transition": "approve", "confirmed": "1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302  # accepted: the token is this session's
    forged = other.post(
        reverse("plans:status", args=[org.code, plan.pk]),
        {"transition": "approve", "confirmed": "1", "csrfmiddlewaretoken": "x" * 64},
    )
    assert forged.status_code == 403  # and tokens are checked
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_a_role_never_sees_the_body_of_another(org, reviewer, officer):
    plan = PlanFactory(organization=org)
    url = reverse("plans:detail", args=[org.code, plan.pk])
    client = Client()
    client.force_login(reviewer)
    assert _approve_button(client.get(url).content.decode())
    client.force_login(officer)
    assert not _approve_button(client.get(url).content.decode())
    client.force_login(reviewer)
    assert _approve_button(client.get(url).content.decode())


def test_each_language_has_its_own_body(client, org, officer):
    plan = PlanFactory(organization=org)
    url = reverse("plans:detail", args=[org.code, plan.pk])
    client.force_login(officer)
    mongolian = client.get(url, headers={"accept-language": "mn"}).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Progress" in english and "Progress" not in mongolian


def test_an_audited_change_shows_at_once_and_another_organization_changes_nothing(
    client, org, reviewer, officer, django_assert_num_queries
):
    plan = PlanFactory(organization=org)
    url = reverse("plans:detail", args=[org.code, plan.pk])
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    assert "Draft" in client.get(url).content.decode()
    elsewhere = OrganizationFactory(code="ELSE")
    PlanFactory(organization=elsewhere)
    plan_change_status(
        plan=PlanFactory(organization=elsewhere, year=2030), transition="approve", actor=None
    )
    with django_assert_num_queries(8):  # still the memo's body
        client.get(url)
    plan_change_status(plan=plan, transition="approve", actor=reviewer)
    page = client.get(url).content.decode()
    assert "Approved" in page and "Draft" not in page
