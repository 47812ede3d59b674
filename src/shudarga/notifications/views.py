"""The unread count the top bar loads (htmx) on every page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shudarga.core.http import AuthedRequest
from shudarga.notifications.selectors import unread_count


@require_GET
@login_required
def count(request: AuthedRequest) -> HttpResponse:
    """The badge with the user's unread notifications (empty when none). Loaded by the top
    bar after the page, so pages themselves run no query for it."""
    response = render(
        request, "notifications/_count.html", {"unread": unread_count(user=request.user)}
    )
    response["Cache-Control"] = "private, no-store"
    return response
