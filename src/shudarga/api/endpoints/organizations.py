"""Organizations the token's owner may see."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shudarga.api.access import TOKEN, requires
from shudarga.api.errors import ERROR_CODES, ErrorOut
from shudarga.api.schemas import OrganizationOut, OrgCode
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import (
    get_organization_for_user,
    organizations_for_user,
    roles_for_user,
)

router = Router(tags=["organizations"])


def organization_out(organization: Organization, roles: set[str] | frozenset[str]) -> dict:
    return {
        "code": organization.code,
        "name": organization.name,
        "parent": organization.parent.code if organization.parent else None,
        "roles": sorted(roles),
    }


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], ERROR_CODES: ErrorOut},
    openapi_extra=requires(TOKEN),
)
def organization_list(request: HttpRequest) -> list[dict]:
    """Every organization the token's owner may see, with their roles in it."""
    organizations = organizations_for_user(user=request.user).select_related("parent")
    return [
        organization_out(o, roles_for_user(user=request.user, organization=o))
        for o in organizations.order_by("name", "id")
    ]


@router.get(
    "/organizations/{code}",
    response={200: OrganizationOut, ERROR_CODES: ErrorOut},
    openapi_extra=requires(Action.VIEW),
)
def organization_detail(request: HttpRequest, code: OrgCode) -> dict:
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    return organization_out(organization, organization.access.roles)
