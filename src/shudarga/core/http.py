"""Request helpers shared by views."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)


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


def stored_file_missing(
    request: HttpRequest,
    *,
    name: str,
    heading: str,
    message: str,
    back_url: str,
    back_label: str,
    context: dict | None = None,
) -> HttpResponse:
    """The 404 page for a row whose stored file `name` is gone from the disk or the bucket
    (removed behind the app's back): says so in the user's language instead of a bare 404
    or a 500, and logs an error, since only the operator can put the file back."""
    logger.error("The stored file %s is missing (%s)", name, request.path)
    return render(
        request,
        "core/file_missing.html",
        {
            **(context or {}),
            "heading": heading,
            "message": message,
            "back_url": back_url,
            "back_label": back_label,
        },
        status=404,
    )


def stream_length(response: HttpResponseBase, handle: object) -> HttpResponseBase:
    """Give a `FileResponse` of a stream that cannot seek (an S3 object's body, see
    `core.storage.open_stream`) the `Content-Length` its `size` says, which Django cannot
    work out itself; read it in larger blocks than Django's 4 KB. Returns the response."""
    size = getattr(handle, "size", None)
    if isinstance(size, int) and not response.has_header("Content-Length"):
        response["Content-Length"] = str(size)
    if hasattr(response, "block_size"):
        response.block_size = 64 * 1024
    return response
