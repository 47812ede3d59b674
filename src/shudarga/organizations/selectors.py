"""Who may see which organization. The one place the scope rule lives."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from shudarga.core.memo import change_stamp_of_many
from shudarga.organizations.access import Access
from shudarga.organizations.models import Membership, Organization, Unit, WorkflowPolicy
from shudarga.organizations.roles import (
    INHERITED_LABELS,
    INHERITED_ROLES,
    PARENT_EVALUATOR,
    Action,
    Role,
)


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


def subtree_change_stamp(*, organization: Organization) -> tuple[int, int, int]:
    """A stamp of the data of `organization` and every organization below it
    (`core.memo.change_stamp_of_many`): results about a parent body's descendants (its
    view, ranking, consolidated report) are kept under it. One query."""
    below = Organization.objects.filter(path__startswith=organization.path).values("pk")
    return change_stamp_of_many(organization_ids=below)


def organizations_for_user(*, user: Any) -> QuerySet[Organization]:
    """Organizations `user` may see: those where they hold a role, plus every descendant of
    those where they hold a role that sees descendants (auditor, leader of a parent body) or
    evaluates them (reviewer of a parent body: its own children only).

    One query (plus the cached memberships) whatever the number of organizations.
    """
    rows = _membership_rows(user)
    if not rows:
        return Organization.objects.none()
    condition = Q(pk__in={org_id for org_id, _role, _path in rows})
    for org_id, role, path in rows:
        if INHERITED_ROLES.get(role, frozenset()) - {PARENT_EVALUATOR}:
            condition |= Q(path__startswith=path)
        elif role in INHERITED_ROLES:
            condition |= Q(parent_id=org_id)  # evaluates its own children only
    return Organization.objects.filter(condition)


def roles_for_user(*, user: Any, organization: Organization) -> set[str]:
    """Roles `user` holds in `organization`: their own there, and what their roles on its
    ancestors become in it (`roles.INHERITED_ROLES`: an auditor stays an auditor, a leader
    becomes `PARENT_LEADER` and `PARENT_EVALUATOR`, a reviewer `PARENT_EVALUATOR`). A role
    on a parent body never acts as the organization's own: its leader does not approve the
    organization's plans or reports. Only the direct parent body evaluates: its evaluation is
    recorded and sealed in that body's name, so a grandparent's people see (leaders,
    auditors) but do not score. Empty when the user may not see it at all."""
    roles = set()
    for org_id, role, path in _membership_rows(user):
        if org_id == organization.pk:
            roles.add(role)
        elif organization.path.startswith(path):
            inherited = INHERITED_ROLES.get(role, frozenset())
            if organization.parent_id != org_id:
                inherited = inherited - {PARENT_EVALUATOR}
            roles.update(inherited)
    return roles


def access_for(*, user: Any, organization: Organization) -> Access:
    """What `user` may do in `organization` (no roles: an outsider). No query beyond the
    memberships read once per request."""
    return Access(
        organization_id=organization.pk,
        roles=frozenset(roles_for_user(user=user, organization=organization)),
    )


def user_may(*, user: Any, organization: Organization, action: str) -> bool:
    return access_for(user=user, organization=organization).may(action)


def get_organization_for_user(*, user: Any, code: str, action: str | None = None) -> Organization:
    """The organization with `code` if `user` may see it, else 404 (outsiders learn nothing).

    With `action`, a user who may see it but not do `action` gets 403. The organization
    returned carries `access` (what the user may do there) for views and templates.
    """
    try:
        org = Organization.objects.select_related("parent").get(code=code)
    except Organization.DoesNotExist:
        raise Http404 from None
    access = access_for(user=user, organization=org)
    if not access.sees:
        raise Http404
    if action is not None and not access.may(action):
        raise PermissionDenied
    org.access = access
    # Older names of the same answer, kept for code that still reads them.
    org.user_roles = set(access.roles)
    org.user_actions = access.actions
    return org


def has_children(*, organization: Organization) -> bool:
    """Whether any organization has `organization` as its parent. One query."""
    return Organization.objects.filter(parent_id=organization.pk).exists()


def organization_people(*, organization: Organization) -> QuerySet[Any]:
    """Users who hold a role in `organization` itself, by name."""
    return (
        get_user_model()
        .objects.filter(memberships__organization=organization)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def organization_units(*, organization: Organization) -> QuerySet[Unit]:
    """The organization's units, by name."""
    return Unit.objects.filter(organization=organization).order_by("name")


def member_list(*, organization: Organization) -> QuerySet[Any]:
    """People who hold a role in `organization` itself, by name, each with `org_memberships`
    (their roles there, coordinator first).

    Two queries for any page of it: the users, then one prefetch of their memberships here.
    """
    return organization_people(organization=organization).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(organization=organization).order_by("role"),
            to_attr="org_memberships",
        )
    )


def inherited_members(*, organization: Organization) -> list[Membership]:
    """The parent bodies' people who see `organization`'s data or evaluate its reports:
    roles held on an ancestor that reach it (`roles.INHERITED_ROLES`: auditors, leaders and
    reviewers of parent bodies; only the direct parent body evaluates), nearest ancestor
    first, each with `inherited_label` (what the role is here). Read-only: they are managed
    by the parent body. One query."""
    ancestor_ids = [int(pk) for pk in organization.path.strip("/").split("/")[:-1] if pk]
    if not ancestor_ids:
        return []
    rows = list(
        Membership.objects.filter(organization_id__in=ancestor_ids, role__in=list(INHERITED_ROLES))
        .select_related("user", "organization")
        .order_by("user__first_name", "user__last_name", "user__username", "role")
    )
    depth = {pk: i for i, pk in enumerate(ancestor_ids)}
    shown = []
    for membership in rows:
        direct = membership.organization_id == organization.parent_id
        if not direct and not INHERITED_ROLES[membership.role] - {PARENT_EVALUATOR}:
            continue  # a higher body's reviewer evaluates its own children only
        membership.inherited_label = (
            INHERITED_LABELS[membership.role]
            if direct or membership.role != Role.LEADER
            else _("Leader of a higher body: sees")
        )
        shown.append(membership)
    return sorted(shown, key=lambda m: -depth[m.organization_id])


def get_member_for_user(*, user: Any, code: str, member_id: int) -> tuple[Organization, Any]:
    """Organization `code` (the user must manage its members: 404 / 403 as
    `get_organization_for_user`) and person `member_id`, who must hold a role in it
    (404 otherwise, so ids of other organizations' people tell nothing)."""
    organization = get_organization_for_user(user=user, code=code, action=Action.MANAGE_MEMBERS)
    member = member_list(organization=organization).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return organization, member


def get_membership_for_user(*, user: Any, code: str, membership_id: int) -> Membership:
    """One role of one person in organization `code`, for a user who manages its members;
    404 for an outsider or a membership of another organization, 403 for a member who does
    not manage members."""
    organization = get_organization_for_user(user=user, code=code, action=Action.MANAGE_MEMBERS)
    try:
        membership = Membership.objects.select_related("user").get(
            pk=membership_id, organization=organization
        )
    except Membership.DoesNotExist:
        raise Http404 from None
    membership.organization = organization  # keeps the access for the templates
    return membership


def user_holds_any_role(*, user: Any, roles: set[str] | frozenset[str]) -> bool:
    """Whether `user` holds any of `roles` in any organization (the cached memberships)."""
    return any(role in roles for _org_id, role, _path in _membership_rows(user))


def workflow_policy(*, organization_id: int) -> WorkflowPolicy | None:
    """The organization's workflow policy row, with who last changed it; None means the
    defaults (four eyes on). One query."""
    return (
        WorkflowPolicy.objects.filter(organization_id=organization_id)
        .select_related("changed_by")
        .first()
    )


def four_eyes_on(*, organization_id: int) -> bool:
    """Whether the four-eyes rule holds for the organization's plans and reports (on by
    default): the one place both apps ask. One query."""
    policy = workflow_policy(organization_id=organization_id)
    return policy is None or policy.four_eyes
