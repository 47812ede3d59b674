"""The audit keys: the secret that seals the audit chain, its anchors and the backup
manifests, kept outside the database (SHUDARGA_AUDIT_KEY or SHUDARGA_AUDIT_KEY_FILE), and the
older keys still needed to check what they sealed (SHUDARGA_AUDIT_OLD_KEYS[_FILE]).

Whoever can write to the database but does not hold the key cannot rewrite history so that
`shudarga verify_audit` misses it; whoever holds the key as well is caught by the anchors
(`core.anchors`), which live outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from shudarga.core.audit_chain import AuditKey

MIN_LENGTH = 32  # characters of a configured key


@lru_cache(maxsize=8)
def _keys(current: str, old: tuple[str, ...]) -> tuple[AuditKey, dict[str, AuditKey]]:
    if len(current) < MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SHUDARGA_AUDIT_KEY must be at least {MIN_LENGTH} characters (it is {len(current)})."
        )
    key = AuditKey(current.encode("utf-8"))
    known = {
        AuditKey(secret.encode("utf-8")).id: AuditKey(secret.encode("utf-8")) for secret in old
    }
    known[key.id] = key
    return key, known


def current_key() -> AuditKey:
    """The key new entries, anchors and backup manifests are sealed with."""
    return _keys(settings.SHUDARGA_AUDIT_KEY, tuple(settings.SHUDARGA_AUDIT_OLD_KEYS))[0]


def known_keys() -> dict[str, AuditKey]:
    """Every key this installation can check with (the current one and the old ones), by id."""
    return _keys(settings.SHUDARGA_AUDIT_KEY, tuple(settings.SHUDARGA_AUDIT_OLD_KEYS))[1]


def sign(data: bytes, key: AuditKey | None = None) -> str:
    """Hex HMAC-SHA256 of `data` under `key` (the current key by default)."""
    key = key or current_key()
    return hmac.new(key.secret, data, hashlib.sha256).hexdigest()


def check_signature(data: bytes, *, key_id: str, mac: str) -> str | None:
    """Why `mac` is not a signature of `data` under the key `key_id`, or None when it is."""
    key = known_keys().get(key_id)
    if key is None:
        return f"it is signed with key {key_id or '(none)'}, which this installation does not know"
    if not hmac.compare_digest(sign(data, key), mac or ""):
        return "its signature does not match: it was changed"
    return None


def check_audit_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    """System check: the audit keys are long enough (`manage.py check` names it before the
    first audited write would fail)."""
    try:
        known_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="shudarga.E002")]
    short = [k for k in settings.SHUDARGA_AUDIT_OLD_KEYS if len(k) < MIN_LENGTH]
    if short:
        return [
            checks.Error(
                f"SHUDARGA_AUDIT_OLD_KEYS holds {len(short)} key(s) shorter than {MIN_LENGTH} "
                f"characters.",
                id="shudarga.E003",
            )
        ]
    return []
