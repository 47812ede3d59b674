"""The start page (the organizations a user may see), the members pages of an organization,
and the page where an invited person sets their password."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from shudarga.core.http import AuthedRequest, client_ip
from shudarga.organizations.forms import MemberGrantForm, MemberInviteForm
from shudarga.organizations.roles import Action, Role
from shudarga.organizations.selectors import (
    get_member_for_user,
    get_membership_for_user,
    get_organization_for_user,
    inherited_members,
    member_list,
    organizations_for_user,
)
from shudarga.organizations.services import (
    OwnRolesRefused,
    member_invite,
    membership_grant,
    membership_remove,
    user_set_password,
)

MEMBERS_PAGE_SIZE = 50


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    organizations = list(
        organizations_for_user(user=request.user).select_related("parent").order_by("path")
    )
    if len(organizations) == 1:
        return redirect(organizations[0])
    return render(request, "organizations/home.html", {"organizations": organizations})


def _add_service_error(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def member_list_view(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.MANAGE_MEMBERS
    )
    page = Paginator(member_list(organization=organization), MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "organizations/member_list.html",
        {
            "organization": organization,
            "page_obj": page,
            "inherited": inherited_members(organization=organization),
            "roles": Role.choices,
        },
    )


def _base_url(request: AuthedRequest) -> str:
    """Where links in e-mails point: SITE_URL when set (behind a proxy the request's own
    host may be an internal name), else the host this request came to."""
    return settings.SITE_URL or request.build_absolute_uri("/")


@login_required
def member_invite_view(request: AuthedRequest, code: str) -> HttpResponse:
    """GET: the form. POST: invite; the result page shows the set-password link once (it is
    rendered, never redirected with, like an API token's secret)."""
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.MANAGE_MEMBERS
    )
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = member_invite(
                organization=organization,
                actor=request.user,
                base_url=_base_url(request),
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        except OwnRolesRefused as exc:
            form.add_error("username", str(exc))
        except (smtplib.SMTPException, OSError):
            form.add_error(
                None,
                _("The e-mail could not be sent, so nothing was saved. Try again later."),
            )
        else:
            return render(
                request,
                "organizations/member_invited.html",
                {"organization": organization, "invitation": invitation},
            )
    return render(
        request,
        "organizations/member_invite.html",
        {"organization": organization, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def member_detail(request: AuthedRequest, code: str, member_id: int) -> HttpResponse:
    """One person's roles here. POST: give them another role (not to oneself: 403)."""
    organization, member = get_member_for_user(user=request.user, code=code, member_id=member_id)
    own = member.pk == request.user.pk
    if own and request.method == "POST":
        raise PermissionDenied  # nobody grants themselves a role; the page says so
    form = MemberGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        if role in {m.role for m in member.org_memberships}:
            messages.info(request, _("They already have this role."))
            return redirect("organizations:member", organization.code, member.pk)
        try:
            membership_grant(
                user=member,
                organization=organization,
                role=role,
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now also %(role)s.")
                % {
                    "name": member.get_full_name() or member.get_username(),
                    "role": Role(role).label,
                },
            )
            return redirect("organizations:member", organization.code, member.pk)
    return render(
        request,
        "organizations/member_detail.html",
        {"organization": organization, "member": member, "form": form, "own": own},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def membership_remove_view(request: AuthedRequest, code: str, membership_id: int) -> HttpResponse:
    """GET: ask. POST: take the role away. Not one's own role: 403."""
    membership = get_membership_for_user(user=request.user, code=code, membership_id=membership_id)
    organization, member = membership.organization, membership.user
    if member.pk == request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        try:
            membership_remove(membership=membership, actor=request.user, ip=client_ip(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(name)s no longer has the role %(role)s.")
                % {
                    "name": member.get_full_name() or member.get_username(),
                    "role": membership.get_role_display(),
                },
            )
        return redirect("organizations:members", organization.code)
    return render(
        request,
        "organizations/membership_confirm_remove.html",
        {"organization": organization, "membership": membership, "member": member},
    )


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Where an invited person sets their first password, from the link in their e-mail.

    Django's reset view checks the token and moves it out of the address into the session
    before showing the form (so it does not leak through the Referer header).
    """

    template_name = "organizations/set_password.html"
    success_url = reverse_lazy("login")
    reset_url_token = "set-password"  # noqa: S105 (a path segment, not a secret)

    def form_valid(self, form: BaseForm) -> HttpResponse:
        user_set_password(form=form, ip=client_ip(self.request))
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password is set. Sign in with it."))
        return HttpResponseRedirect(self.get_success_url())
