"""What each API operation needs, declared on the operation itself.

Every operation passes `openapi_extra=requires(...)`, which writes `x-shudarga-action` into
the OpenAPI document: an `Action` of `organizations.roles` (checked by the selectors the
operation calls), `TOKEN` (any valid token; the answer holds only what its owner may see)
or `PUBLIC` (no token). Clients read it from the schema; the permission walk in
tests/api/test_access.py checks every operation's answers against it and fails for an
operation that declares nothing.
"""

from __future__ import annotations

from typing import Any

ACTION_KEY = "x-shudarga-action"
TOKEN = "token"  # noqa: S105 (a marker meaning "any valid token", not a secret)
PUBLIC = "public"


def requires(action: str, **extra: Any) -> dict[str, Any]:
    """`openapi_extra` for an operation that needs `action` (or TOKEN, or PUBLIC)."""
    return {ACTION_KEY: str(action), **extra}
