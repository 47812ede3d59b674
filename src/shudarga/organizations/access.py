"""`Access`: what one person may do in one organization, answered in one place.

`get_organization_for_user` puts one on every organization it returns (`organization.access`);
pages, inboxes, menus and the API ask it instead of combining roles and the permission table
themselves. It holds no database handle: the roles come from the memberships read once per
request (`selectors._membership_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from shudarga.organizations.roles import PERMISSIONS, ROLES_SHOWN_DESCENDANTS, Action


@dataclass(frozen=True)
class Access:
    """The roles a person holds in `organization_id` (their own or inherited from a parent
    body) and the actions those roles allow. Empty roles: an outsider, who sees nothing."""

    organization_id: int | None
    roles: frozenset[str] = frozenset()
    actions: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        allowed = frozenset().union(*(PERMISSIONS.get(role, ()) for role in self.roles))
        object.__setattr__(self, "actions", allowed)

    def __contains__(self, action: object) -> bool:
        """`{% if "report.review" in organization.access %}` in templates."""
        return action in self.actions

    def may(self, action: str) -> bool:
        """Whether any of the roles allows `action` (an `Action` value)."""
        return action in self.actions

    def may_any(self, *actions: str) -> bool:
        return any(action in self.actions for action in actions)

    def require(self, *actions: str) -> None:
        """Raise PermissionDenied (403) unless one of `actions` is allowed. Call it after the
        lookup that 404s outsiders, so an outsider never learns that the page exists."""
        if not self.may_any(*actions):
            raise PermissionDenied

    @property
    def sees(self) -> bool:
        """Whether the person may see the organization at all."""
        return bool(self.roles)

    @property
    def sees_descendants(self) -> bool:
        """Leaders and auditors (of this organization or of a parent body) also see every
        organization below this one."""
        return bool(self.roles & ROLES_SHOWN_DESCENDANTS)

    @property
    def handles_petitions(self) -> bool:
        """Those who register and handle petitions (coordinator, officer) and so see
        petitioners' personal data; the others read the register without it."""
        return self.may(Action.EDIT_RECORDS)

    # Short names for the report workflow, used by the report pages and the inbox.
    @property
    def writes_reports(self) -> bool:
        return self.may(Action.EDIT_REPORT)

    @property
    def reviews_reports(self) -> bool:
        return self.may(Action.REVIEW_REPORT)

    @property
    def approves_reports(self) -> bool:
        return self.may(Action.APPROVE_REPORT)

    @property
    def evaluates_as_parent(self) -> bool:
        """A reviewer or leader of a parent body: scores, returns and approves this
        organization's reports for the parent body (issue 18)."""
        return self.may(Action.EVALUATE_AS_PARENT)


NO_ACCESS = Access(organization_id=None)
