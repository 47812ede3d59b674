"""The parts of `make bench` that drive servers like people do: HTTP with cookies and real
forms (CSRF token read from the form), a local Redis and gunicorn servers started and
stopped by the benchmark, a mixed workload of reads and writes over many users and
organizations, and a check that two servers sharing PostgreSQL and Redis show a change
made through either at once.

Only the standard library and redis-server; Django is not imported here (the caller is
the one that knows the application's paths and computes what a page must show)."""

from __future__ import annotations

import html
import http.client
import random
import shutil
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HTTPS = {"X-Forwarded-Proto": "https"}  # as nginx passes it (gunicorn trusts 127.0.0.1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: Sequence[float], share: float) -> float:
    """`values` sorted; the nearest-rank percentile (0 when empty)."""
    if not values:
        return 0.0
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


def p50_p95_ms(latencies: Sequence[float]) -> tuple[float, float]:
    values = sorted(latencies)
    if not values:
        return 0.0, 0.0
    return statistics.median(values) * 1000, percentile(values, 0.95) * 1000


# -- processes: Redis and gunicorn ---------------------------------------------------------


class Redis:
    """A throwaway redis-server on a free port: no snapshots, no append-only file."""

    def __init__(self, log_path: Path) -> None:
        self.binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(self.binary).exists():
            raise SystemExit(
                "redis-server is not installed (apt-get install redis-server), or run with "
                "--cache locmem to measure without Redis (no two-server check then)"
            )
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.log = self.log_path.open("w")
        command = [
            self.binary,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            command, stdout=self.log, stderr=subprocess.STDOUT
        )
        for _ in range(100):
            if self.process.poll() is not None:
                raise SystemExit(f"redis-server exited at once; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"redis-server did not answer on port {self.port}; see {self.log_path}")

    def stop(self) -> None:
        stop_process(self.process)
        if self.process is not None:
            self.log.close()


class Gunicorn:
    """gunicorn serving the app with production settings on `port`."""

    def __init__(self, *, root: Path, python: str, port: int, workers: int, env, log_path: Path):
        self.port = port
        self.log_path = log_path
        self.command = [
            str(Path(python).parent / "gunicorn"),
            "shudarga.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--timeout", "300",
            "--log-level", "warning",
        ]  # fmt: skip
        conf = root / "deploy" / "gunicorn.conf.py"
        if conf.exists():
            self.command[2:2] = ["--config", str(conf)]
        self.root = root
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            self.command, env=self.env, cwd=self.root, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self) -> None:
        for _ in range(150):
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn on port {self.port} exited; see {self.log_path}")
            try:
                if get(self.port, "/healthz", HTTPS)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn on port {self.port} did not start; see {self.log_path}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        stop_process(self.process)
        if self.process is not None:
            self.log.close()


def stop_process(process: subprocess.Popen | None) -> None:
    """Terminate a child we started and wait for it (killed after 30 s)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# -- HTTP and forms ------------------------------------------------------------------------


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - start
    finally:
        conn.close()


class Connection:
    """A keep-alive connection to one server; each request says whose session it is."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def request(self, method: str, path: str, headers: dict[str, str], body: bytes | None = None):
        """Status, response headers, body and seconds; reconnects once on a dropped
        keep-alive connection (gunicorn replaces workers after max_requests)."""
        for attempt in (1, 2):
            try:
                start = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                elapsed = time.perf_counter() - start
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
                if attempt == 2:
                    raise
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        return response.status, response, data, elapsed

    def close(self) -> None:
        self.conn.close()


class _Forms(HTMLParser):
    """Every <form> of a page with what a browser would submit unchanged: inputs with their
    values (checked boxes only), each select's selected options (the first when none is
    and it is not multiple), textareas' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
                "names": set(),  # every control's name, submitted or not
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if name and tag in ("input", "select", "textarea"):
            self._form["names"].add(name)
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append([name, a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            options = self._select["options"]
            for option in options:
                if option["value"] is None:
                    option["value"] = option["text"].strip()
            chosen = [o for o in options if o["selected"]]
            if not chosen and not self._select["multiple"] and options:
                chosen = options[:1]
            self._form["fields"] += [[self._select["name"], o["value"]] for o in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append(self._textarea)
            self._textarea = None


def post_form_fields(page: bytes, field: str) -> list[list[str]] | None:
    """The fields of the page's first POST form that has a field named `field` (the
    CSRF token among them), or None."""
    parser = _Forms()
    parser.feed(page.decode("utf-8", "replace"))
    for form in parser.forms:
        names = form["names"]
        if form["method"] == "post" and "csrfmiddlewaretoken" in names and field in names:
            return form["fields"]
    return None


def _set(fields: list[list[str]], values: dict[str, str]) -> list[tuple[str, str]]:
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())


@dataclass
class Write:
    """A form to fill and post: `form_path` is the page with the form, `fill` the fields
    to set (others keep what the form offers), `key_field` a field that names the form."""

    label: str
    form_path: str
    key_field: str
    fill: Callable[[int], dict[str, str]]


def submit(conn: Connection, cookie: str, write: Write, n: int) -> tuple[int, float, str]:
    """GET the form (the server sets the CSRF cookie and masks its token into the form),
    POST it back filled; the POST's status and seconds, and what went wrong if anything.
    A saved form redirects (302); a refused one is shown again (200/400)."""
    status, response, page, _t = conn.request("GET", write.form_path, {"Cookie": cookie, **HTTPS})
    if status != 200:
        return status, 0.0, f"GET form HTTP {status}"
    csrf_cookie = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            csrf_cookie = value.split(";", 1)[0]
    fields = post_form_fields(page, write.key_field)
    if fields is None:
        return 0, 0.0, "no form on the page"
    body = urllib.parse.urlencode(_set(fields, write.fill(n))).encode()
    cookies = f"{cookie}; {csrf_cookie}" if csrf_cookie else cookie
    status, response, page, elapsed = conn.request(
        "POST",
        write.form_path,
        {
            "Cookie": cookies,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{conn.port}{write.form_path}",
            **HTTPS,
        },
        body,
    )
    problem = "" if status == 302 else f"POST HTTP {status}" + _form_errors(page)
    return status, elapsed, problem


def _form_errors(page: bytes) -> str:
    text = page.decode("utf-8", "replace")
    marks = ("invalid-feedback", "errorlist", "alert-danger")
    for mark in marks:
        at = text.find(mark)
        if at >= 0:
            snippet = text[at : at + 400]
            snippet = snippet.split(">", 1)[-1]
            plain = " ".join(html.unescape(_strip_tags(snippet)).split())[:160]
            return f": {plain}"
    return ""


def _strip_tags(text: str) -> str:
    out, inside = [], False
    for ch in text:
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out)


# -- mixed workload -------------------------------------------------------------------------


@dataclass
class User:
    username: str
    cookie: str
    reads: list[tuple[str, str]]  # (label, path)
    writes: list[Write]


@dataclass
class Mixed:
    operations: int
    wall: float
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_server: dict[int, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.operations / self.wall


def mixed_workload(
    ports: Sequence[int],
    users: Sequence[User],
    *,
    operations: int,
    connections: int,
    write_share: float,
    seed: int = 17,
) -> Mixed:
    """`operations` operations from `connections` keep-alive connections spread over
    `ports`: each a random user's read of one of their pages or, with `write_share`, one
    of their forms filled and posted. Any answer but 2xx/3xx to a read, or a POST that is
    not saved (302), is an error."""
    lock = threading.Lock()
    remaining = [operations]
    result = Mixed(operations=operations, wall=0.0, by_server=dict.fromkeys(ports, 0))

    def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)  # noqa: S311 (a workload, not a secret)
        conn = Connection(ports[index % len(ports)])
        try:
            while True:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                    n = operations - remaining[0]
                user = users[rng.randrange(len(users))]
                if rng.random() < write_share:
                    write = user.writes[n % len(user.writes)]
                    try:
                        status, elapsed, problem = submit(conn, user.cookie, write, n)
                    except Exception as exc:  # an error of the run, listed
                        status, elapsed, problem = 0, 0.0, f"{type(exc).__name__}: {exc}"
                    with lock:
                        result.by_server[conn.port] += 1
                        if problem:
                            result.errors.append(f"{write.label} ({user.username}): {problem}")
                        else:
                            result.writes.append(elapsed)
                else:
                    _label, path = user.reads[rng.randrange(len(user.reads))]
                    try:
                        status, _r, _body, elapsed = conn.request(
                            "GET", path, {"Cookie": user.cookie, **HTTPS}
                        )
                    except Exception as exc:  # an error of the run, listed
                        status, elapsed = 0, 0.0
                        path += f" ({type(exc).__name__}: {exc})"
                    with lock:
                        result.by_server[conn.port] += 1
                        if 200 <= status < 400:
                            result.reads.append(elapsed)
                        else:
                            result.errors.append(f"GET {path} ({user.username}): HTTP {status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - started
    return result


# -- two servers, one change ---------------------------------------------------------------


@dataclass
class Consistency:
    rounds: int = 0
    checks: int = 0
    mismatches: list[str] = field(default_factory=list)
    changed: int = 0  # rounds in which the expected progress text changed
    write_errors: list[str] = field(default_factory=list)
    seconds_to_read: list[float] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return self.checks > 0 and not self.mismatches and not self.write_errors


def consistency_check(
    ports: tuple[int, int],
    *,
    cookie: str,
    write: Write,
    list_path: str,
    progress_path: str,
    expected_progress: Callable[[], list[str]],
    marker: Callable[[int], str],
    rounds: int,
) -> Consistency:
    """Each round posts `write` through one server (A, then B, in turn) and at once, as
    soon as the redirect arrives, reads through the other: the register list (newest row
    first) must show the new row's `marker(n)`, and the progress page (computed results in the
    shared cache) must show every text `expected_progress()` gives, computed in the
    benchmark's own process from the database with the memo off."""
    result = Consistency()
    conns = {port: Connection(port) for port in ports}
    headers = {"Cookie": cookie, **HTTPS}
    previous = None
    try:
        for n in range(rounds):
            writer, reader = (ports[0], ports[1]) if n % 2 == 0 else (ports[1], ports[0])
            status, _elapsed, problem = submit(conns[writer], cookie, write, n)
            if problem:
                result.write_errors.append(f"round {n}: {problem}")
                continue
            started = time.perf_counter()
            text = marker(n)
            status, _r, body, _t = conns[reader].request("GET", list_path, headers)
            result.checks += 1
            if status != 200 or html.escape(text).encode() not in body:
                result.mismatches.append(
                    f"round {n}: row posted through :{writer} not in the list read through "
                    f":{reader} (HTTP {status})"
                )
            status, _r, body, _t = conns[reader].request("GET", progress_path, headers)
            result.seconds_to_read.append(time.perf_counter() - started)
            expected = expected_progress()
            page = body.decode("utf-8", "replace")
            missing = [m for m in expected if html.escape(m) not in page]
            result.checks += 1
            if status != 200 or missing:
                result.mismatches.append(
                    f"round {n}: progress read through :{reader} after a change through "
                    f":{writer} (HTTP {status}) lacks {len(missing)} of {len(expected)} "
                    f"evaluation texts, e.g. {[m[:120] for m in missing[:1]]}"
                )
            if previous is not None and expected != previous:
                result.changed += 1
            previous = expected
            result.rounds += 1
    finally:
        for conn in conns.values():
            conn.close()
    return result
