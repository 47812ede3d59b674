"""The page where a signed-in user creates and revokes their API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shudarga.api.forms import TokenCreateForm
from shudarga.api.models import ApiToken
from shudarga.api.selectors import token_list_for_user
from shudarga.api.services import token_create, token_revoke
from shudarga.core.http import AuthedRequest, client_ip


def _get_token_for_user(user: object, token_id: str | None) -> ApiToken:
    """One of `user`'s own tokens; 404 for anyone else's or a malformed id."""
    if not token_id or not token_id.isdigit() or len(token_id) > 18:
        raise Http404
    try:
        return token_list_for_user(user=user).get(pk=int(token_id))
    except ApiToken.DoesNotExist:
        raise Http404 from None


@login_required
def token_manage(request: AuthedRequest) -> HttpResponse:
    """GET: the user's tokens. POST `create`: a new token, its secret shown once.
    POST `revoke` with `token_id`: revoke one."""
    form = TokenCreateForm(request.POST if "create" in request.POST else None)
    secret = None
    status = 200
    if request.method == "POST" and "revoke" in request.POST:
        token = _get_token_for_user(request.user, request.POST.get("token_id"))
        try:
            token_revoke(token=token, actor=request.user, ip=client_ip(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The token was revoked."))
        return redirect("tokens:manage")
    if request.method == "POST" and form.is_valid():
        created = token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            ip=client_ip(request),
        )
        secret = created.secret  # rendered once, never stored, never redirected with
        form = TokenCreateForm()
    elif request.method == "POST":
        status = 400
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": token_list_for_user(user=request.user)},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page may hold a secret
    return response
