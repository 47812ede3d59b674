"""`make bench`: national-scale data, the production server, a bounded load, one table.

1. Makes sure the benchmark database exists (PostgreSQL, `BENCH_DATABASE_URL`), migrates it
   and, when it holds no generated data yet, runs `generate_data --orgs N` (timed).
2. Counts the queries of every page in-process (they must not depend on the data size).
3. Starts gunicorn with production settings (DEBUG off) on a free port, from this process's
   child, and drives it from this process: a 50 MB evidence upload first (the workers' peak
   memory growth), then each page with a fixed number of requests from a few keep-alive
   connections, the trivial `/healthz` view first as the yardstick, then the report exports
   one by one, and the seed plan's import in-process.
4. Prints a Markdown table (and writes it to `var/bench-<date>.md`).

Targets (reported, not asserted): every page ≥ 30% of the trivial view's throughput with p95
under 150 ms (the parent view under 300 ms), DOCX/XLSX export under 1.5 s, PDF under 3 s,
upload memory growth under 30 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/shudarga_bench"
TODAY = dt.datetime.now().astimezone().date()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True)  # noqa: S603


# -- load ---------------------------------------------------------------------------------


class Result:
    def __init__(self, name: str, latencies: list[float], wall: float, errors: int, queries):
        self.name = name
        self.latencies = sorted(latencies)
        self.wall = wall
        self.errors = errors
        self.queries = queries

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95(self) -> float:
        index = min(len(self.latencies) - 1, round(0.95 * (len(self.latencies) - 1)))
        return self.latencies[index] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall


def drive(port: int, path: str, headers: dict[str, str], *, requests: int, concurrency: int):
    """`requests` GETs of `path` from `concurrency` keep-alive connections; latencies,
    wall time and the number of non-200 answers."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    remaining = [requests]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors[0] += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started, errors[0]


def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return response.status, body, elapsed


# -- memory of the server's workers -------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def upload_50mb(port: int, path: str, cookie: str, csrf: str, fields: dict[str, str]):
    """POST a 50 MB PDF as multipart from a file on disk, streamed; status and seconds."""
    boundary = secrets.token_hex(16)
    size = 50 * 1024 * 1024
    with tempfile.TemporaryFile() as body:
        for key, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="tailan.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        block = os.urandom(1024 * 1024 - 16)
        for i in range(size // (1024 * 1024)):
            chunk = block + i.to_bytes(16, "big")
            body.write(b"%PDF-1.7\n" + chunk[9:] if i == 0 else chunk)
        body.write(f"\r\n--{boundary}--\r\n".encode())
        length = body.tell()
        body.seek(0)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        start = time.perf_counter()
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(length),
                "Cookie": cookie,
                "X-CSRFToken": csrf,
                "X-Forwarded-Proto": "https",
                "Referer": f"https://127.0.0.1:{port}{path}",
            },
        )
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status, time.perf_counter() - start


# -- the run ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--orgs", type=int, default=int(os.environ.get("BENCH_ORGS", 3000)))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 200)))
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8765)))
    args = parser.parse_args()

    media = ROOT / "var" / "bench-media"
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="shudarga.settings",
        DATABASE_URL=args.database_url,
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # Generated data's audit chain is sealed with this key: keep it for later runs.
        SHUDARGA_AUDIT_KEY=os.environ.get("SHUDARGA_AUDIT_KEY") or "bench-audit-key-" + "0" * 32,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        MEDIA_ROOT=str(media),
        API_RATE_LIMIT="100000000",
        SHUDARGA_REQUIRE_2FA_FOR="none",  # the benchmark's users sign in by session only
        GUNICORN_ACCESS_LOG="",  # the app logs each request itself (JSON, to the log file)
    )
    os.environ.update(env, LOG_LEVEL="WARNING")  # this process's own requests: not logged
    sys.path.insert(0, str(ROOT / "src"))

    ensure_database(args.database_url)
    log("migrate")
    manage("migrate", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shudarga.api.services import token_create
    from shudarga.demo.bench import bench_targets
    from shudarga.demo.generate import CODE_PREFIX
    from shudarga.organizations.models import Organization

    generated_in = None
    if not Organization.objects.filter(code=f"{CODE_PREFIX}MN").exists():
        log(f"generate_data --orgs {args.orgs} (once; later runs reuse the data)")
        started = time.monotonic()
        manage("generate_data", "--orgs", str(args.orgs), env=env)
        generated_in = time.monotonic() - started
        connection.close()
    orgs = Organization.objects.filter(code__startswith=CODE_PREFIX).count()
    targets = bench_targets()
    users = get_user_model().objects
    log(f"{orgs} organizations; measuring {targets.organization.code}, plan {targets.plan.pk}")

    # Sessions and a token the server will accept (stored in the benchmark database).
    def session_cookie(username: str) -> str:
        client = Client()
        client.force_login(users.get(username=username))
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    cookies = {name: session_cookie(name) for name in {targets.coordinator, targets.leader}}
    token = token_create(user=users.get(username=targets.coordinator), name="bench", scope="read")

    # As nginx would pass it: the server runs with production settings (HTTPS on, behind
    # a proxy that ends TLS), and gunicorn trusts this header from 127.0.0.1.
    https = {"X-Forwarded-Proto": "https"}

    def headers_for(page) -> dict[str, str]:
        if page.api:
            return {"Authorization": f"Bearer {token.secret}", **https}
        return {"Cookie": cookies[page.user], **https}

    # Query counts, in-process, through the same URLs.
    query_counts = {}
    for page in [*targets.pages, *targets.exports]:
        client = Client()
        if page.api:
            kwargs = {"headers": headers_for(page)}
        else:
            client.force_login(users.get(username=page.user))
            kwargs = {}
        client.get(page.path, secure=True, **kwargs)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(page.path, secure=True, **kwargs).status_code
        if status != 200:
            log(f"{page.name}: status {status} in-process")
        query_counts[page.name] = len(queries)

    # The seed plan's import, in-process, rolled back.
    from shudarga.plans.documents.reading import read_plan_document
    from shudarga.plans.services import plan_create_from_document

    seed = ROOT / "src/shudarga/plans/fixtures/seed_plan_2023.txt"
    import_times = []
    for _ in range(5):
        started = time.perf_counter()
        with transaction.atomic():
            plan_create_from_document(
                organization=targets.organization,
                document=read_plan_document(seed.read_bytes(), seed.name),
                actor=None,
                source_name=seed.name,
            )
            import_times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    connection.close()

    # The server.
    gunicorn = [
        str(Path(PYTHON).parent / "gunicorn"),
        "shudarga.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--timeout",
        "300",
        "--log-level",
        "warning",
    ]
    conf = ROOT / "deploy" / "gunicorn.conf.py"
    if conf.exists():
        gunicorn[2:2] = ["--config", str(conf)]
    log(" ".join(gunicorn[1:]))
    server_log = (ROOT / "var" / "bench-server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        gunicorn, env=env, cwd=ROOT, stdout=server_log, stderr=subprocess.STDOUT
    )
    try:
        for _ in range(100):
            try:
                if fetch(args.port, "/healthz", https)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")

        # The 50 MB upload first, while the workers are fresh.
        coordinator_cookie = cookies[targets.coordinator]
        add_path = f"/o/{targets.organization.code}/evidence/add/"
        status, body, _t = fetch(args.port, add_path, {"Cookie": coordinator_cookie, **https})
        csrf = secrets.token_hex(16)  # a masked or plain 32-character secret is accepted
        measure = targets.plan.measures.order_by("position").first()
        before = {pid: memory_kb(pid) for pid in worker_pids(server.pid)}
        up_status, up_seconds = upload_50mb(
            args.port,
            add_path,
            f"{coordinator_cookie}; csrftoken={csrf}",
            csrf,
            {
                "csrfmiddlewaretoken": csrf,
                "measure": str(measure.pk),
                "title": "Бенчмарк: 50 МБ",
                "relates_to": TODAY.isoformat(),
            },
        )
        after = {pid: memory_kb(pid) for pid in worker_pids(server.pid)}
        growth_mb = max(
            (after[p]["VmHWM"] - before[p]["VmRSS"]) / 1024 for p in before if p in after
        )

        results = []
        trivial = None
        for page in [None, *targets.pages]:
            name = "trivial view (/healthz)" if page is None else page.name
            path = "/healthz" if page is None else page.path
            headers = https if page is None else headers_for(page)
            drive(args.port, path, headers, requests=max(8, args.requests // 10), concurrency=2)
            latencies, wall, errors = drive(
                args.port, path, headers, requests=args.requests, concurrency=args.concurrency
            )
            result = Result(name, latencies, wall, errors, query_counts.get(name, "—"))
            trivial = trivial or result
            results.append(result)
            log(f"{name}: p50 {result.p50:.1f} ms, {result.rps:.1f}/s, errors {errors}")

        exports = []
        for page in targets.exports:
            times, size = [], 0
            for _ in range(3):
                status, body, elapsed = fetch(args.port, page.path, headers_for(page))
                times.append(elapsed)
                size = len(body)
            exports.append((page.name, statistics.median(times), size, status))
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()

    # The table.
    lines = [
        f"Benchmark of {TODAY:%Y-%m-%d} on {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL, gunicorn {args.workers} workers; "
        f"{orgs:,} organizations; {args.requests} requests per page from "
        f"{args.concurrency} connections.",
        "",
        "| page | p50 ms | p95 ms | req/s | vs trivial | queries | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {r.name} | {r.p50:.1f} | {r.p95:.1f} | {r.rps:.1f} | "
        f"{r.rps / trivial.rps:.0%} | {r.queries} | {r.errors} |"
        for r in results
    )
    lines += ["", "| operation | time | size / result | queries |", "|---|---:|---:|---:|"]
    for name, seconds, size, status in exports:
        lines.append(
            f"| {name} (60 measures) | {seconds:.2f} s | {size / 1024:.0f} KB, HTTP {status} | "
            f"{query_counts.get(name, '—')} |"
        )
    lines.append(
        f"| seed plan import (19 measures, in-process) | {statistics.median(import_times):.2f} s"
        " | rolled back | — |"
    )
    lines.append(
        f"| 50 MB evidence upload | {up_seconds:.2f} s | HTTP {up_status}, worker peak memory "
        f"growth {growth_mb:.1f} MB | — |"
    )
    if generated_in is not None:
        lines.append(f"| generate_data --orgs {args.orgs} | {generated_in / 60:.1f} min | — | — |")
    table = "\n".join(lines)
    print("\n" + table)
    out = ROOT / "var" / f"bench-{TODAY:%Y-%m-%d}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(table + "\n")
    log(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
