"""API v1: one NinjaAPI, its auth, error handlers, docs and routers."""

from __future__ import annotations

from ninja import NinjaAPI

from shudarga.api.auth import TokenAuth
from shudarga.api.docs import OfflineSwagger
from shudarga.api.endpoints import (
    evidence,
    organizations,
    petitions,
    plans,
    public,
    registers,
    reports,
)
from shudarga.api.errors import install_handlers

DESCRIPTION = """\
The Shudarga API, for other systems and bulk work.

Authenticate with a personal token (created under “API tokens” in the app):
`Authorization: Bearer <token>`. A token acts with its owner's roles; a read-only token
may only read. Errors are JSON `{"code": "...", "message": "..."}`; `code` is stable,
`message` is in the request's language (`?lang=en` or `?lang=mn`).

Each operation names what it needs in `x-shudarga-action`: an action of the permission
table (the token owner's roles in the organization must allow it; outsiders get 404, members
without it 403), `token` (any token) or `public` (no token; rate-limited per address).
Lists page with a cursor: pass `next_cursor` back as `cursor`.
"""

api = NinjaAPI(
    title="Shudarga API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    urls_namespace="api:v1",
    docs=OfflineSwagger(),
    docs_url="docs",
    openapi_url="openapi.json",
)
install_handlers(api)
api.add_router("", organizations.router)
api.add_router("", plans.router)
api.add_router("", registers.router)
api.add_router("", evidence.router)
api.add_router("", reports.router)
api.add_router("", petitions.router)
api.add_router("", public.router)
