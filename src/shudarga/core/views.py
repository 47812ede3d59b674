"""Health endpoints for load balancers and service managers: no sign-in, no session, JSON."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
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
