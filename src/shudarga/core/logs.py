"""Structured logs: one JSON object per line in production, a readable line in development.

Every record logged while a request is served carries that request's id, and the user and
organization once they are known, through `RequestContextFilter`; `RequestIdMiddleware`
(core/middleware.py) sets the request up and writes one line per request with its status and
duration. Nothing here imports models: the logging configuration loads this module before the
apps are ready.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

# The request being served by this thread (or task), for the log filter.
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

# Attributes a record may carry besides the standard ones, in the order they are written.
CONTEXT_FIELDS = ("request_id", "user_id", "org", "method", "path", "status", "duration_ms")


def known_user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id if something already loaded the user. Never loads it: a log
    line must not cost a session and a user query (the health checks run none)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def known_org_code(request: HttpRequest) -> str | None:
    """The organization code in the URL (`/o/<code>/...`), once the URL has been resolved."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    code = match.kwargs.get("code")
    return code if isinstance(code, str) else None


class RequestContextFilter(logging.Filter):
    """Adds the current request's id, user, organization, method and path to every record
    (`None` outside a request), unless the record was given them explicitly."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django's own request log lines ("Not Found", "Internal Server Error") are written
        # after the middleware has returned, but carry the request and its status code.
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = current_request.get()
        values: dict[str, Any] = dict.fromkeys(CONTEXT_FIELDS)
        values["status"] = getattr(record, "status_code", None)
        if request is not None:
            values["request_id"] = getattr(request, "request_id", None)
            values["user_id"] = known_user_id(request)
            values["org"] = known_org_code(request)
            values["method"] = request.method
            values["path"] = request.path
        for name, value in values.items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, then the
    request context fields that are known, then the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Mongolian stays readable; newlines inside values are escaped, so one line each.
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The development format: time, level, logger, request id when there is one, message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request = f" [{request_id}]" if request_id else ""
        return super().format(record)
