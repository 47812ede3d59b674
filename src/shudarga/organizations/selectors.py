"""Who may see which organization. The one place the scope rule lives."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from shudarga.organizations.models import Membership, Organization
from shudarga.organizations.roles import ROLES_SEEING_DESCENDANTS, role_allows


def _membership_rows(user: Any) -> list[tuple[int, str, str]]:
    """(organization id, role, organization path) of every role `user` holds.

    Cached on the user object, which Django makes anew for each request, so a page asks
    the database once however many access checks it makes.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_shudarga_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).values_list(
                "organization_id", "role", "organization__path"
            )
        )
        user._shudarga_memberships = cached
    return cached


def organizations_for_user(*, user: Any) -> QuerySet[Organization]:
    """Organizations `user` may see: those where they hold a role, plus every descendant of
    those where they hold a role that sees descendants (auditor, leader of a parent body).

    One query (plus the cached memberships) whatever the number of organizations.
    """
    rows = _membership_rows(user)
    if not rows:
        return Organization.objects.none()
    condition = Q(pk__in={org_id for org_id, _role, _path in rows})
    for prefix in {path for _org_id, role, path in rows if role in ROLES_SEEING_DESCENDANTS}:
        condition |= Q(path__startswith=prefix)
    return Organization.objects.filter(condition)


def roles_for_user(*, user: Any, organization: Organization) -> set[str]:
    """Roles `user` holds in `organization`, including those inherited from ancestors that
    see descendants. Empty when the user may not see it at all."""
    return {
        role
        for org_id, role, path in _membership_rows(user)
        if org_id == organization.pk
        or (role in ROLES_SEEING_DESCENDANTS and organization.path.startswith(path))
    }


def user_may(*, user: Any, organization: Organization, action: str) -> bool:
    return any(
        role_allows(role, action) for role in roles_for_user(user=user, organization=organization)
    )


def get_organization_for_user(*, user: Any, code: str, action: str | None = None) -> Organization:
    """The organization with `code` if `user` may see it, else 404 (outsiders learn nothing).

    With `action`, a user who may see it but not do `action` gets 403.
    """
    try:
        org = Organization.objects.select_related("parent").get(code=code)
    except Organization.DoesNotExist:
        raise Http404 from None
    roles = roles_for_user(user=user, organization=org)
    if not roles:
        raise Http404
    if action is not None and not any(role_allows(role, action) for role in roles):
        raise PermissionDenied
    org.user_roles = roles  # read by templates to show or hide buttons
    return org


def organization_people(*, organization: Organization) -> QuerySet[Any]:
    """Users who hold a role in `organization` itself, by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__organization=organization)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def user_holds_any_role(*, user: Any, roles: set[str] | frozenset[str]) -> bool:
    """Whether `user` holds any of `roles` in any organization (the cached memberships)."""
    return any(role in roles for _org_id, role, _path in _membership_rows(user))
