"""deploy/gunicorn.conf.py: workers and threads from the environment, JSON access log."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def _load(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_BIND", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_it_runs_two_workers_per_core_plus_one_preloaded(monkeypatch):
    conf = _load(monkeypatch)
    assert conf["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert (conf["worker_class"], conf["preload_app"]) == ("sync", True)
    assert conf["bind"] == "127.0.0.1:8000" and conf["accesslog"] == "-"


def test_threads_switch_to_the_gthread_worker(monkeypatch):
    conf = _load(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_THREADS="4", GUNICORN_BIND="[::1]:9")
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (3, 4, "gthread")
    assert conf["bind"] == "[::1]:9"


def test_the_access_log_is_one_json_object_per_line_with_the_request_id(monkeypatch):
    conf = _load(monkeypatch)
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = conf["JsonAccessLogger"](cfg)
    lines: list[str] = []
    monkeypatch.setattr(logger.access_log, "info", lines.append)
    response = SimpleNamespace(
        status="404 Not Found", headers=[("X-Request-ID", "abc123")], sent=179
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/o/HOME/",
        "QUERY_STRING": 'q="x"',
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": 'curl "quoted"',
    }
    logger.access(response, None, environ, dt.timedelta(milliseconds=48, microseconds=600))
    (line,) = lines
    entry = json.loads(line)
    assert entry["request_id"] == "abc123" and entry["status"] == 404
    assert (entry["path"], entry["query"], entry["duration_ms"]) == ("/o/HOME/", 'q="x"', 48.6)
    assert entry["user_agent"] == 'curl "quoted"' and entry["bytes"] == 179
