"""Values every page's top bar needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from shudarga.organizations.selectors import organizations_for_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The organizations for the switcher, fetched only if a template reads them."""
    user = getattr(request, "user", None)
    return {
        "nav_organizations": SimpleLazyObject(
            lambda: list(organizations_for_user(user=user).order_by("path")[:200])
        )
    }
