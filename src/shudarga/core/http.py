"""Request helpers shared by views."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest


class AuthedRequest(HttpRequest):
    """A request that `login_required` has let through: `user` is a real user."""

    user: AbstractBaseUser


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. Behind nginx, `ForwardedClientMiddleware` has already put the
    client's address in REMOTE_ADDR (forwarded headers are trusted from TRUSTED_PROXIES
    only, never read here)."""
    return request.META.get("REMOTE_ADDR") or None
