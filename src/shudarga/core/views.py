"""Health endpoints for load balancers and service managers (no sign-in, no session, JSON),
and the page for a request Django could not read (400)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from shudarga.core.health import readiness


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answers. Touches nothing else (no database), so a slow
    database does not get healthy processes restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: database reachable, migrations applied, file storage writable,
    cache reachable. 503 with the failed checks named otherwise."""
    checks = readiness()
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page (`handler400`): a request Django could not read, such as an upload whose
    file name is longer than the 1,000 or so characters a form part's header may hold. Says
    what to do instead of Django's bare "Bad Request (400)"; an API client gets JSON."""
    header_too_long = isinstance(exception, MultiPartParserError) and "header" in str(exception)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "bad_request",
                "message": str(_file_name_message() if header_too_long else _generic_message()),
            },
            status=400,
        )
    try:
        return render(
            request,
            "core/bad_request.html",
            {"message": _file_name_message() if header_too_long else _generic_message()},
            status=400,
        )
    except (TemplateDoesNotExist, LookupError):  # nothing more to do but say it plainly
        return HttpResponseBadRequest()


def _file_name_message() -> str:
    return _(
        "The file's name is too long to be sent (a form allows about 1,000 characters). "
        "Rename the file to something shorter and send it again; nothing was saved."
    )


def _generic_message() -> str:
    return _("The request could not be read, so nothing was saved. Go back and try again.")
