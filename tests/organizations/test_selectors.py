from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import (
    get_organization_for_user,
    organizations_for_user,
    roles_for_user,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_member_sees_only_their_organization(coordinator, org, parent_org, other_org):
    assert set(organizations_for_user(user=coordinator)) == {org}


def test_an_auditor_of_a_parent_sees_all_descendants(auditor, parent_org, org, other_org):
    grandchild = OrganizationFactory(code="GRAND", parent=org)
    visible = set(organizations_for_user(user=auditor))
    assert visible == {parent_org, org, grandchild}
    assert roles_for_user(user=auditor, organization=grandchild) == {"auditor"}


def test_an_officer_of_a_parent_does_not_see_children(parent_org, org):
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="parent-officer")
    MembershipFactory(user=user, organization=parent_org, role="officer")
    assert set(organizations_for_user(user=user)) == {parent_org}
    with pytest.raises(Http404):
        get_organization_for_user(user=user, code=org.code)


def test_it_404s_outsiders_and_403s_members_without_the_right(outsider, officer, org):
    with pytest.raises(Http404):
        get_organization_for_user(user=outsider, code=org.code)
    with pytest.raises(Http404):
        get_organization_for_user(user=officer, code="NO-SUCH-ORG")
    with pytest.raises(PermissionDenied):
        get_organization_for_user(user=officer, code=org.code, action=Action.IMPORT_PLAN)


def test_anonymous_users_see_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    assert not organizations_for_user(user=AnonymousUser()).exists()
