"""Sign-in hardening pages: the lockout answer, password change, two-factor sign-in."""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any

import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from shudarga.accounts import services
from shudarga.accounts.forms import TotpCodeForm
from shudarga.accounts.selectors import (
    STATE_KEY,
    STATE_NONE,
    STATE_VERIFY,
    totp_device_for_user,
    two_factor_required,
    two_factor_state,
)
from shudarga.core.http import AuthedRequest, client_ip


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes answers a locked-out sign-in (AXES_LOCKOUT_CALLABLE): the sign-in
    page again, saying why and for how long, with status 429."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "locked_out": True,
        "lockout_minutes": minutes,
        "next": request.POST.get("next", "") or request.GET.get("next", ""),
    }
    return render(request, "core/login.html", context, status=429)


def _next_url(request: HttpRequest) -> str:
    """The `next` the sign-in flow carries, if it stays on this site; else "My work"."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


class PasswordChange(PasswordChangeView):
    """Django's password change (old password, new one twice, AUTH_PASSWORD_VALIDATORS),
    saved through our audited service."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy(settings.LOGIN_REDIRECT_URL)

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        services.user_set_password(
            user=form.user, password=form.cleaned_data["new_password1"], ip=client_ip(self.request)
        )
        update_session_auth_hash(self.request, form.user)  # stay signed in here only
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())


@login_required
def two_factor(request: AuthedRequest) -> HttpResponse:
    """Two-factor status; without a confirmed device, set one up: scan, then type a code."""
    user = request.user
    required = two_factor_required(user=user)
    if totp_device_for_user(user=user, confirmed=True) is not None:
        if not user.is_verified():  # set up from another session meanwhile
            request.session[STATE_KEY] = STATE_VERIFY
            return redirect("accounts:two_factor_verify")
        context = {"enabled": True, "required": required, "form": TotpCodeForm()}
        return render(request, "accounts/two_factor.html", context)

    device = services.totp_device_start(user=user)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(
                device=device, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            otp_login(request, device)
            request.session[STATE_KEY] = STATE_VERIFY  # from now on every sign-in asks
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(_next_url(request))
    secret = b32encode(device.bin_key).decode("ascii")
    context = {
        "enabled": False,
        "required": required,
        "form": form,
        "qr_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: the code from the app."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    device = totp_device_for_user(user=user, confirmed=True)
    if device is None:  # removed by an administrator meanwhile: decide again
        state = request.session[STATE_KEY] = two_factor_state(user=user)
        if state == STATE_NONE:
            return redirect(_next_url(request))
        return redirect(f"{reverse('accounts:two_factor')}?{request.GET.urlencode()}")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_check_code(device=device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/two_factor_verify.html", context)


@require_POST
@login_required
def two_factor_disable(request: AuthedRequest) -> HttpResponse:
    """Turn two-factor off with a current code (not for those who must use it)."""
    form = TotpCodeForm(request.POST)
    if form.is_valid():
        try:
            services.totp_device_remove(
                user=request.user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            request.session[STATE_KEY] = STATE_NONE
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:two_factor")
    context = {"enabled": True, "required": two_factor_required(user=request.user), "form": form}
    return render(request, "accounts/two_factor.html", context, status=400)
