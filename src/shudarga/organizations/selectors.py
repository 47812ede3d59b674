"""Who may see which organization. The one place the scope rule lives."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from shudarga.organizations.models import Membership, Organization
from shudarga.organizations.roles import ROLES_SEEING_DESCENDANTS, role_allows


def organizations_for_user(*, user: Any) -> QuerySet[Organization]:
    """Organizations `user` may see: those where they hold a role, plus every descendant of
    those where they hold a role that sees descendants (auditor, leader of a parent body).

    Two queries whatever the number of organizations: memberships, then one filter.
    """
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    rows = list(
        Membership.objects.filter(user=user).values_list(
            "organization_id", "role", "organization__path"
        )
    )
    direct = {org_id for org_id, _role, _path in rows}
    prefixes = {path for _org_id, role, path in rows if role in ROLES_SEEING_DESCENDANTS}
    condition = Q(pk__in=direct)
    for prefix in prefixes:
        condition |= Q(path__startswith=prefix)
    return Organization.objects.filter(condition) if rows else Organization.objects.none()


def roles_for_user(*, user: Any, organization: Organization) -> set[str]:
    """Roles `user` holds in `organization`, including those inherited from ancestors that
    see descendants. Empty when the user may not see it at all."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ancestor_ids = [int(part) for part in organization.path.strip("/").split("/") if part]
    roles: set[str] = set()
    for org_id, role in Membership.objects.filter(
        user=user, organization_id__in=ancestor_ids or [organization.pk]
    ).values_list("organization_id", "role"):
        if org_id == organization.pk or role in ROLES_SEEING_DESCENDANTS:
            roles.add(role)
    return roles


def user_may(*, user: Any, organization: Organization, action: str) -> bool:
    return any(
        role_allows(role, action) for role in roles_for_user(user=user, organization=organization)
    )


def get_organization_for_user(*, user: Any, code: str, action: str | None = None) -> Organization:
    """The organization with `code` if `user` may see it, else 404 (outsiders learn nothing).

    With `action`, a user who may see it but not do `action` gets 403.
    """
    try:
        org = Organization.objects.get(code=code)
    except Organization.DoesNotExist:
        raise Http404 from None
    roles = roles_for_user(user=user, organization=org)
    if not roles:
        raise Http404
    if action is not None and not any(role_allows(role, action) for role in roles):
        raise PermissionDenied
    org.user_roles = roles  # read by templates to show or hide buttons
    return org
