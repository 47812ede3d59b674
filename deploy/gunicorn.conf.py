"""gunicorn settings for Shudarga: `gunicorn -c deploy/gunicorn.conf.py shudarga.wsgi`.

Every value can be changed from the environment (the systemd unit reads /etc/shudarga/env):

GUNICORN_BIND       127.0.0.1:8000   address nginx proxies to (or unix:/run/shudarga/web.sock)
GUNICORN_WORKERS    2 × cores + 1    processes; each holds its own database connection
GUNICORN_THREADS    1                threads per process; more than 1 uses the gthread worker
GUNICORN_TIMEOUT    120              seconds a request may take (the longest export) before
                                     its worker is restarted; nginx gives up on ordinary
                                     pages after 30 s and on exports after 120 s
GUNICORN_ACCESS_LOG -                where the JSON access log goes ("-": standard output,
                                     empty: no access log; the app logs each request too)
GUNICORN_MAX_REQUESTS 2000           a worker is replaced after this many requests (memory)
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import os

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to us open (upstream keepalive)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10

# Load the application once in the master: a broken configuration or unapplied migrations
# stop the start at once with one message, and workers share the loaded code's memory.
preload_app = True

# Behind nginx on the same machine: trust its X-Forwarded-* headers, nobody else's.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class JsonAccessLogger(Logger):
    """gunicorn's own log lines (start, workers, timeouts) and its access log as JSON objects,
    one per line like the application's. Access lines carry the request id the application
    returns, so they join the application's lines about the same request."""

    def setup(self, cfg) -> None:  # type: ignore[no-untyped-def]
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(_JsonLines())

    def access(self, resp, req, environ, request_time) -> None:  # type: ignore[no-untyped-def]
        if not self.cfg.accesslog:
            return
        headers = dict(resp.headers) if resp.headers else {}
        request_id = next((v for k, v in headers.items() if k.lower() == "x-request-id"), None)
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        entry = {
            "time": dt.datetime.now(tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "request_id": request_id,
            "remote_addr": environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or None,
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "referer": environ.get("HTTP_REFERER"),
        }
        line = json.dumps({k: v for k, v in entry.items() if v is not None}, ensure_ascii=False)
        self.access_log.info(line)


logger_class = JsonAccessLogger
