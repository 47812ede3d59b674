"""Request helpers shared by views."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


class AuthedRequest(HttpRequest):
    """A request that `login_required` has let through: `user` is a real user."""

    user: AbstractBaseUser


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. Behind nginx, `ForwardedClientMiddleware` has already put the
    client's address in REMOTE_ADDR (forwarded headers are trusted from TRUSTED_PROXIES
    only, never read here)."""
    return request.META.get("REMOTE_ADDR") or None


def file_headers(
    response: HttpResponseBase, *, filename: str | None = None, inline: bool = False
) -> HttpResponseBase:
    """Mark `response` as a file: the browser saves it (`Content-Disposition: attachment`,
    with `filename` encoded for any script) and never guesses another type than the one
    given (`nosniff`). An `inline` file (a preview in the page) instead gets `inline` and
    `Content-Security-Policy: sandbox`, so a script inside it, opened directly, runs in an
    origin of its own, with no cookies and no access to the app.

    Without `filename` the Content-Disposition a `FileResponse` set is kept (it must be
    attachment unless `inline`). Returns the response for chaining.
    """
    if filename is not None:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=not inline, filename=filename
        )
    disposition = response.get("Content-Disposition", "")
    wanted = "inline" if inline else "attachment"
    if disposition.split(";")[0].strip() != wanted:
        raise ValueError(f"a file response must be {wanted}, not {disposition!r}")
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        response["Content-Security-Policy"] = "sandbox"
    return response
