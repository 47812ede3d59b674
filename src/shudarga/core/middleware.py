"""Language choice (Mongolian unless the user picked English with the МН / EN switch) and
the idle timeout of signed-in sessions."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
        session = request.session
        if session.get(auth.SESSION_KEY) is not None:
            touched = session.get(SESSION_TOUCHED_KEY, 0)
            if time.time() - touched >= SESSION_RENEW_SECONDS:
                session_touch(session)
        return self.get_response(request)
