"""The start page: the organizations a user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from shudarga.core.http import AuthedRequest
from shudarga.organizations.selectors import organizations_for_user


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    organizations = list(
        organizations_for_user(user=request.user).select_related("parent").order_by("path")
    )
    if len(organizations) == 1:
        return redirect(organizations[0])
    return render(request, "organizations/home.html", {"organizations": organizations})
