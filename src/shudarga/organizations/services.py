"""Writes for organizations and memberships."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from shudarga.core.services import audit_record, history_bulk_create
from shudarga.core.text import name_key, squash
from shudarga.organizations.models import Membership, Organization, Unit
from shudarga.organizations.roles import Action, Role
from shudarga.organizations.selectors import user_may


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
def units_get_or_create(
    *, organization: Organization, names: list[str], actor: Any, ip: str | None = None
) -> dict[str, Unit]:
    """The organization's units named `names` (matched by folded name), creating the
    missing ones; keyed by `name_key`. Three queries however many names, one audit entry
    per unit created."""
    wanted: dict[str, str] = {}
    for name in names:
        if (key := name_key(name)) and key not in wanted:
            wanted[key] = squash(name)[:255]
    if not wanted:
        return {}
    existing = {u.key: u for u in Unit.objects.filter(organization=organization, key__in=wanted)}
    new = [
        Unit(organization=organization, name=name, key=key)
        for key, name in wanted.items()
        if key not in existing
    ]
    for unit in new:  # matched above, so the unique constraint need not be asked again
        unit.full_clean(exclude=["organization"], validate_unique=False, validate_constraints=False)
    created = history_bulk_create(new, model=Unit, actor=actor, ip=ip)
    if not created or created[0].pk is None:  # SQLite before 3.35 returns no ids
        created = list(Unit.objects.filter(organization=organization, key__in=[u.key for u in new]))
    for unit in created:
        audit_record(
            actor=actor,
            action="unit.created",
            obj=unit,
            organization_id=organization.pk,
            changes={"name": unit.name},
            ip=ip,
        )
        existing[unit.key] = unit
    return existing


def _check_manager(actor: Any, organization: Organization) -> None:
    """PermissionDenied unless `actor` manages `organization`'s members.

    `actor=None` is the system itself (the demo loader, management commands). The views
    check the same before they call; this is the second lock, so no other caller (the API,
    a future page) can hand out roles on an organization its user does not manage.
    """
    if actor is not None and not user_may(
        user=actor, organization=organization, action=Action.MANAGE_MEMBERS
    ):
        raise PermissionDenied


class OwnRolesRefused(PermissionDenied):
    """Someone tried to give or take a role of their own."""


def _check_not_own(actor: Any, user: Any) -> None:
    """Nobody changes their own roles (segregation of duties): a coordinator who gave
    themselves the reviewer role could write, review and approve the same report. Another
    manager of the organization, or an administrator on the command line, does it."""
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise OwnRolesRefused(
            _("You cannot change your own roles; ask another coordinator of the organization.")
        )


def _roles_of(user: Any, organization: Organization) -> list[str]:
    return sorted(
        Membership.objects.filter(user=user, organization=organization).values_list(
            "role", flat=True
        )
    )


@transaction.atomic
def membership_grant(
    *,
    user: Any,
    organization: Organization,
    role: str,
    actor: Any = None,
    ip: str | None = None,
) -> Membership:
    """Give `user` `role` in `organization`; granting a role they already have is a no-op.

    `actor` must manage the organization's members and may not be `user`
    (PermissionDenied otherwise: nobody grants themselves a role); an unknown role is a
    ValidationError. Audited with the user's roles there before and after.
    """
    _check_manager(actor, organization)
    _check_not_own(actor, user)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    before = _roles_of(user, organization)
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
            changes={
                "user": user.get_username(),
                "role": role,
                "roles": [before, sorted([*before, role])],
            },
            ip=ip,
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any, ip: str | None = None) -> None:
    """Take one role away from one person (not from oneself: `OwnRolesRefused`).

    The last coordinator of an organization cannot be removed: nobody could then manage
    its members in the app. The organization's coordinator rows are locked first, so two
    coordinators removing each other at the same moment cannot both succeed.
    """
    organization = membership.organization
    _check_manager(actor, organization)
    _check_not_own(actor, membership.user)
    if membership.role == Role.COORDINATOR:
        coordinators = list(
            Membership.objects.select_for_update()
            .filter(organization=organization, role=Role.COORDINATOR)
            .values_list("pk", flat=True)
        )
        if coordinators == [membership.pk]:
            raise ValidationError(
                _(
                    "This is the organization's last coordinator. Give someone else the "
                    "coordinator role first."
                ),
                code="last_coordinator",
            )
    user = membership.user
    before = _roles_of(user, organization)
    audit_record(
        actor=actor,
        action="membership.removed",
        obj=membership,
        organization_id=organization.pk,
        changes={
            "user": user.get_username(),
            "role": membership.role,
            "roles": [before, [r for r in before if r != membership.role]],
        },
        ip=ip,
    )
    membership.delete()


@dataclass(frozen=True)
class Invitation:
    """What `member_invite` did: the person, their new role, and the link to set a password
    (None when they already have a password; they simply sign in)."""

    user: Any
    membership: Membership
    created_user: bool
    link: str | None
    mailed: bool


def password_link(*, user: Any, base_url: str) -> str:
    """An absolute link where `user` sets their password, built on Django's password-reset
    tokens: it works once (setting the password changes the hash the token signs) and for
    PASSWORD_RESET_TIMEOUT seconds."""
    path = reverse(
        "organizations:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def _invitation_text(*, user: Any, organization: Organization, role: str, link: str) -> str:
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    return _(
        "Hello %(name)s,\n\n"
        "You have been given the role “%(role)s” in %(organization)s in Shudarga.\n"
        "Your user name is %(username)s. Set your password here (the link works once, "
        "for %(days)s days):\n\n%(link)s\n"
    ) % {
        "name": user.get_full_name() or user.get_username(),
        "role": Role(role).label,
        "organization": organization.name,
        "username": user.get_username(),
        "days": days,
        "link": link,
    }


@transaction.atomic
def member_invite(
    *,
    organization: Organization,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    actor: Any,
    base_url: str,
    ip: str | None = None,
) -> Invitation:
    """Give a person `role` in `organization`, creating their account if it is new.

    A new account has no usable password; it gets a one-time link to set one, mailed to
    `email` and returned so the inviter can pass it on. An existing account is left as it
    is (name, e-mail and password belong to its owner, who may be in other organizations):
    `email` must be the one it already has, so a typo in the user name cannot hand the role
    to someone else. It gets a new link only if it never set a password.
    """
    _check_manager(actor, organization)
    users = get_user_model().objects
    email = users.normalize_email(email.strip())
    user = users.filter(username=username).first()
    created = user is None
    if created:
        if users.filter(email__iexact=email).exists():
            raise ValidationError(
                {
                    "email": _(
                        "An account with this e-mail address already exists. Invite it by "
                        "its user name."
                    )
                }
            )
        user = users.model(
            username=username, email=email, first_name=first_name, last_name=last_name
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif user.email.casefold() != email.casefold():
        raise ValidationError(
            {
                "email": _(
                    "This user name belongs to an account with another e-mail address. "
                    "Check the user name, or ask the person for the e-mail address of their "
                    "account."
                )
            }
        )
    membership = membership_grant(
        user=user, organization=organization, role=role, actor=actor, ip=ip
    )
    link = None
    if not user.has_usable_password():
        link = password_link(user=user, base_url=base_url)
    audit_record(
        actor=actor,
        action="member.invited",
        obj=user,
        organization_id=organization.pk,
        changes={
            "user": user.get_username(),
            "email": user.email,
            "name": user.get_full_name(),
            "role": role,
            "account_created": created,
            # Never the link itself: whoever reads the log must not be able to use it.
            "password_link_issued": link is not None,
        },
        ip=ip,
    )
    mailed = False
    if link and user.email:
        # Inside the transaction on purpose: if the mail server refuses, nothing is saved
        # and the inviter sees the error instead of a half-made account.
        send_mail(
            subject=_("Your Shudarga account: %(organization)s") % {"organization": organization},
            message=_invitation_text(user=user, organization=organization, role=role, link=link),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        mailed = True
    return Invitation(
        user=user, membership=membership, created_user=created, link=link, mailed=mailed
    )


@transaction.atomic
def user_set_password(*, form: Any, ip: str | None = None) -> Any:
    """Save a SetPasswordForm (the invited person choosing their password) and audit it."""
    user = form.save()
    audit_record(
        actor=user,
        action="user.password_set",
        obj=user,
        organization_id=None,
        changes={"user": user.get_username()},
        ip=ip,
    )
    return user
