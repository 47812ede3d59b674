"""Language choice: Mongolian unless the user picked English with the МН / EN switch; a
request id on every request and its log lines; the client's address behind nginx; the idle
timeout of signed-in sessions."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from shudarga.core import logs

request_logger = logging.getLogger("shudarga.request")


class PreferredLanguageMiddleware:
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not consulted:
    office machines in Mongolia often run English browsers, and the product speaks
    Mongolian first. Only the language cookie set by the switch changes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# A request id from outside (nginx's $request_id, a load balancer, a client) is kept when it
# looks like one; anything else is replaced, so log lines cannot be forged through it.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Probed every few seconds: not logged when healthy, and no session or user is looked at.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})


class RequestIdMiddleware:
    """Gives each request an id (the caller's `X-Request-ID` if sane, else a new one), puts it
    on every log record written while the request is served, returns it in the response's
    `X-Request-ID`, and logs one line per request: method, path, status, duration, user and
    organization when known. Goes first in MIDDLEWARE so the duration covers the others."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = logs.current_request.set(request)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            if not (request.path in PROBE_PATHS and response.status_code == 200):
                duration_ms = round((time.perf_counter() - started) * 1000, 1)
                request_logger.info(
                    "%s %s %s %sms",
                    request.method,
                    request.path,
                    response.status_code,
                    duration_ms,
                    extra={"status": response.status_code, "duration_ms": duration_ms},
                )
            return response
        finally:
            logs.current_request.reset(token)


class ForwardedClientMiddleware:
    """Behind nginx every request comes from 127.0.0.1, so per-address rate limits (public
    portal) would count all the country's visitors as one. When the direct peer is one of
    TRUSTED_PROXIES, REMOTE_ADDR becomes the client address the proxies recorded in
    X-Forwarded-For: the rightmost entry not itself a trusted proxy (entries further left
    were written by the client and prove nothing). Other peers' headers are ignored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(getattr(settings, "TRUSTED_PROXIES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR", "")
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if peer in self.trusted and forwarded:
            for address in reversed([part.strip() for part in forwarded.split(",")]):
                if address and address not in self.trusted:
                    request.META["REMOTE_ADDR"] = address
                    break
        return self.get_response(request)


SESSION_TOUCHED_KEY = "_sh_touched"
# Renew a signed-in session at most this often: each renewal is a database write, and an
# idle timeout of SESSION_COOKIE_AGE minus at most a minute is as good as an exact one.
SESSION_RENEW_SECONDS = 60


def session_touch(session: SessionBase) -> None:
    """Mark `session` as used now, so it is saved with a fresh expiry (SESSION_COOKIE_AGE
    from now). Called at sign-in and, at most once a minute, by the middleware below."""
    session[SESSION_TOUCHED_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE seconds without a request.

    Django's sessions expire SESSION_COOKIE_AGE after their last save; this renews the
    session when the user comes back, like SESSION_SAVE_EVERY_REQUEST but without a
    database write on every request (pages keep their fixed query counts)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in PROBE_PATHS:
            return self.get_response(request)
        session = request.session
        if session.get(auth.SESSION_KEY) is not None:
            touched = session.get(SESSION_TOUCHED_KEY, 0)
            if time.time() - touched >= SESSION_RENEW_SECONDS:
                session_touch(session)
        return self.get_response(request)
