"""Writes for organizations and memberships."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from shudarga.core.services import audit_record
from shudarga.organizations.models import Membership, Organization


@transaction.atomic
def organization_create(
    *, name: str, code: str, parent: Organization | None = None, actor: Any = None
) -> Organization:
    """Create an organization (optionally under `parent`) and keep its path right."""
    org = Organization(name=name, code=code, parent=parent)
    org.full_clean(exclude=["path"])
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit_record(
        actor=actor,
        action="organization.created",
        obj=org,
        organization_id=org.pk,
        changes={"name": name, "code": code, "parent": parent.code if parent else None},
    )
    return org


@transaction.atomic
def membership_grant(
    *, user: Any, organization: Organization, role: str, actor: Any = None
) -> Membership:
    """Give `user` `role` in `organization`; granting a role they already have is a no-op."""
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    if created:
        membership.full_clean()
        audit_record(
            actor=actor,
            action="membership.granted",
            obj=membership,
            organization_id=organization.pk,
            changes={"user": user.get_username(), "role": role},
        )
    return membership
