"""Writes for API tokens: create (the secret is returned once), revoke, note use."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.api.models import ApiToken
from shudarga.api.selectors import token_hash
from shudarga.core.services import audit_record

SECRET_PREFIX = "shg_"  # noqa: S105 (a marker that says "Shudarga token", not a secret)
# `last_used` is written at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass
class CreatedToken:
    token: ApiToken
    secret: str  # shown once to the user; only its hash is stored


@transaction.atomic
def token_create(*, user: Any, name: str, scope: str, ip: str | None = None) -> CreatedToken:
    """A new token of `user` with `scope`; the secret is in the result and nowhere else."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        scope=scope,
        prefix=secret[: len(SECRET_PREFIX) + 6],
        hash=token_hash(secret),
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=user,
        action="api_token.created",
        obj=token,
        organization_id=None,
        changes={"name": token.name, "scope": token.scope},
        ip=ip,
    )
    return CreatedToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any, ip: str | None = None) -> ApiToken:
    """Revoke `token` for good. Only its owner may; revoking twice is refused."""
    if token.user_id != getattr(actor, "pk", None):
        raise ValidationError(_("This token is not yours."))
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoked", obj=token, organization_id=None, ip=ip)
    return token


def token_mark_used(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Record that `token` was just used (at most once per `LAST_USED_RESOLUTION`)."""
    now = now or timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
