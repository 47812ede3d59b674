"""Reads for API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet

from shudarga.api.models import ApiToken


def token_hash(secret: str) -> str:
    """The stored form of a token's secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_list_for_user(*, user: Any) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked ones included (they stay for the record)."""
    return ApiToken.objects.filter(user=user).order_by("-created", "-id")


def token_for_secret(*, secret: str) -> ApiToken | None:
    """The active token whose secret is `secret`, with its active owner; None otherwise.

    Looked up by the secret's hash, so the secret is never compared or kept in clear.
    """
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(hash=token_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token
