"""`make bench`: national-scale data, the production server, a bounded load, one table.

1. Makes sure the benchmark database exists (PostgreSQL, `BENCH_DATABASE_URL`), migrates it
   and, when it holds no generated data yet, runs `generate_data --orgs N` (timed).
2. Counts the queries of every page in-process (they must not depend on the data size).
3. Starts a throwaway redis-server (`--cache redis`, the default, as in production) and two
   gunicorn servers with production settings (DEBUG off) sharing it and PostgreSQL, from
   this process's children; stops them all at the end, whatever happens.
4. Drives server A: a 50 MB evidence upload first (the workers' peak memory growth), then
   each page of `demo.bench.bench_targets()` cold (the first request after a real audited
   change in the measured organization, a register row saved through the service, several
   times) and warm (a fixed number of requests from a few keep-alive connections), the
   trivial `/healthz` view first as the yardstick, then the report exports one by one, and
   the seed plan's import in-process.
5. A mixed workload across both servers (`bench_load.mixed_workload`): many users of many
   organizations reading pages and posting real forms at once.
6. Two servers, one change (`bench_load.consistency_check`): a form saved through one
   server must show at once, register list and progress page, through the other.
7. Prints a Markdown table, each measurement beside its target (and writes it to
   `var/bench-<date>.md`). Concurrent audited writes are `scripts/bench_writes.py`.

Targets (issue 17; reported, not asserted): warm plan, progress, report, dashboard, register
and petition pages ≥ 20% of the trivial view's throughput with p95 under 60 ms; the parent
view over all organizations, plain, sorted by overdue measures and "late only", p95 under
100 ms; PDF export under 1.5 s, DOCX and XLSX under 0.5 s; upload memory growth under 30 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bench_load import (  # noqa: E402
    HTTPS,
    Gunicorn,
    Redis,
    User,
    Write,
    consistency_check,
    free_port,
    mixed_workload,
    p50_p95_ms,
)

PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/shudarga_bench"
TODAY = dt.datetime.now().astimezone().date()


def log(message: str) -> None:
    # UTC: Django sets the process's TZ to the app's time zone once it is set up.
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


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

EXPORT_TARGETS = {"DOCX": 0.5, "XLSX": 0.5, "PDF": 1.5}  # seconds (issue 17)
WRITES_TARGET = (
    "8 writers in 8 organizations ≥ 4× one writer: `make bench-writes` "
    f"(`var/bench-writes-{TODAY:%Y-%m-%d}.md`)"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--orgs", type=int, default=int(os.environ.get("BENCH_ORGS", 3000)))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 200)))
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8765)))
    parser.add_argument(
        "--cache",
        choices=("redis", "locmem"),
        default=os.environ.get("BENCH_CACHE", "redis"),
        help="redis (as in production: a local redis-server shared by two app servers) or "
        "locmem (each worker its own memory; one server, no two-server check)",
    )
    parser.add_argument(
        "--cold", type=int, default=int(os.environ.get("BENCH_COLD", 5)), help="cold samples"
    )
    parser.add_argument(
        "--mixed-operations", type=int, default=int(os.environ.get("BENCH_MIXED_OPS", 1000))
    )
    parser.add_argument("--mixed-connections", type=int, default=16)
    parser.add_argument("--mixed-orgs", type=int, default=24)
    parser.add_argument("--write-share", type=float, default=0.1)
    parser.add_argument("--consistency-rounds", type=int, default=20)
    args = parser.parse_args()
    # A `kill` of the benchmark still runs the `finally` that stops its servers and Redis.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    (ROOT / "var").mkdir(exist_ok=True)
    redis = Redis(ROOT / "var" / "bench-redis.log") if args.cache == "redis" else None
    servers: list[Gunicorn] = []
    try:
        if redis is not None:
            redis.start()
            log(f"redis-server on port {redis.port}")
        return run(args, redis, servers)
    finally:
        for server in reversed(servers):
            server.stop()
        if redis is not None:
            redis.stop()
        if servers or redis is not None:
            log("servers stopped")


def run(args: argparse.Namespace, redis: Redis | None, servers: list[Gunicorn]) -> int:
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
        SHUDARGA_CACHE_URL=redis.url if redis is not None else "locmem://",
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
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone, translation

    from shudarga.api.services import token_create
    from shudarga.criteria.selectors import plan_evaluate, plan_period
    from shudarga.demo.bench import bench_targets
    from shudarga.demo.generate import CODE_PREFIX
    from shudarga.organizations.models import Membership, Organization
    from shudarga.organizations.roles import Role
    from shudarga.plans.models import Plan
    from shudarga.registers.models import BoardUpdate
    from shudarga.registers.registry import REGISTERS
    from shudarga.registers.services import register_row_save

    generated_in = None
    if not Organization.objects.filter(code=f"{CODE_PREFIX}MN").exists():
        log(f"generate_data --orgs {args.orgs} (once; later runs reuse the data)")
        started = time.monotonic()
        manage("generate_data", "--orgs", str(args.orgs), env=env)
        generated_in = time.monotonic() - started
        # After a bulk load, as autovacuum would in time: statistics for the planner and
        # the visibility map that lets counts read indexes alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        connection.close()
    # As `scripts/serve_production.sh` does after migrating: the parent view's summaries.
    started = time.monotonic()
    manage("refresh_summaries", env=env)
    log(f"refresh_summaries: {time.monotonic() - started:.1f} s")
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

    def headers_for(page) -> dict[str, str]:
        if page.api:
            return {"Authorization": f"Bearer {token.secret}", **HTTPS}
        return {"Cookie": cookies[page.user], **HTTPS}

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

    # A real audited change in the measured organization, through the service, as a save
    # of its register form does: every result cached for it (and for its parents' views,
    # which read its change) is stale after it.
    board = REGISTERS["board-updates"]
    coordinator = users.get(username=targets.coordinator)
    changes = [0]

    def audited_change() -> None:
        changes[0] += 1
        register_row_save(
            spec=board,
            organization=targets.organization,
            row=BoardUpdate(date=timezone.localdate(), content=f"Бенчмарк: өөрчлөлт {changes[0]}"),
            measures=None,
            actor=coordinator,
        )

    # Users of many organizations for the mixed workload: each organization's coordinator,
    # the pages they read most and the forms they fill most.
    today = timezone.localdate().isoformat()

    def board_update(code: str, text: str) -> Write:
        return Write(
            "register row saved",
            reverse("registers:create", args=[code, "board-updates"]),
            "content",
            lambda n: {"date": today, "content": f"{text} {n}"},
        )

    def publication(code: str, text: str) -> Write:
        # Linked by the form to the measures it counts for (1.1, 1.4): their "N recorded"
        # on the progress page goes up with each one.
        return Write(
            "publication saved",
            reverse("registers:create", args=[code, "publications"]),
            "title",
            lambda n: {
                "date": today,
                "title": f"{text} {n}",
                "channels": "website",
                "material": "infographic",
                "produced_by": "own",
            },
        )

    def petition(code: str) -> Write:
        return Write(
            "petition registered",
            reverse("petitions:create", args=[code]),
            "subject",
            lambda n: {
                "received_on": today,
                "petitioner_name": "Бенчмарк Иргэн",
                "subject": f"Бенчмарк: өргөдөл {n}",
            },
        )

    with_plans = (
        Organization.objects.filter(code__startswith=f"{CODE_PREFIX}0", plans__isnull=False)
        .distinct()
        .order_by("code")
    )
    candidates = list(with_plans.values_list("pk", "code"))
    step = max(1, len(candidates) // max(1, args.mixed_orgs))
    mixed_users = []
    for pk, code in candidates[::step][: args.mixed_orgs]:
        username = (
            Membership.objects.filter(organization_id=pk, role=Role.COORDINATOR)
            .values_list("user__username", flat=True)
            .first()
        )
        plan = Plan.objects.filter(organization_id=pk).order_by("-year").first()
        if username is None or plan is None:
            continue
        reads = [
            ("dashboard", reverse("dashboards:dashboard", args=[code])),
            ("plan", reverse("plans:detail", args=[code, plan.pk])),
            ("progress", reverse("criteria:progress", args=[code, plan.pk])),
            ("register list", reverse("registers:list", args=[code, "publications"])),
            ("petitions", reverse("petitions:list", args=[code])),
        ]
        writes = [
            board_update(code, "Бенчмарк: холимог ачаалал"),
            publication(code, "Бенчмарк: холимог ачаалал"),
            petition(code),
        ]
        mixed_users.append(User(username, session_cookie(username), reads, writes))
    log(f"mixed workload: {len(mixed_users)} users of as many organizations")

    # What the progress page must show, computed here from the database with the memo off.
    code = targets.organization.code
    progress_plan = targets.plan

    def expected_progress() -> list[str]:
        with override_settings(AUDIT_MEMO=False), translation.override(settings.LANGUAGE_CODE):
            evaluation = plan_evaluate(
                plan=progress_plan, period=plan_period(plan=progress_plan, name="year")
            )
            return [str(s.evaluation.message) for s in evaluation.by_criterion.values()]

    connection.close()

    # The servers: A is timed alone; B shares PostgreSQL and Redis with it.
    server = Gunicorn(
        root=ROOT,
        python=PYTHON,
        port=args.port,
        workers=args.workers,
        env=env,
        log_path=ROOT / "var" / "bench-server.log",
    )
    servers.append(server)
    second = None
    if redis is not None:
        second = Gunicorn(
            root=ROOT,
            python=PYTHON,
            port=free_port(),
            workers=args.workers,
            env=env,
            log_path=ROOT / "var" / "bench-server-b.log",
        )
        servers.append(second)
    for s in servers:
        log(" ".join(s.command[1:]))
        s.start()
    for s in servers:
        s.wait_ready()

    # The 50 MB upload first, while the workers are fresh.
    coordinator_cookie = cookies[targets.coordinator]
    add_path = f"/o/{code}/evidence/add/"
    csrf = secrets.token_hex(16)  # a masked or plain 32-character secret is accepted
    measure = targets.plan.measures.order_by("position").first()
    connection.close()
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
    growth_mb = max((after[p]["VmHWM"] - before[p]["VmRSS"]) / 1024 for p in before if p in after)

    # Each page: cold (the first request after a change in its organization, several
    # times), then warm (its steady state under load).
    results = []
    trivial = None
    for page in [None, *targets.pages]:
        name = "trivial view (/healthz)" if page is None else page.name
        path = "/healthz" if page is None else page.path
        headers = HTTPS if page is None else headers_for(page)
        cold, cold_errors = [], 0
        for _ in range(args.cold if page is not None else 0):
            audited_change()
            status, _body, elapsed = fetch(args.port, path, headers)
            cold.append(elapsed)
            cold_errors += status != 200
        connection.close()
        drive(args.port, path, headers, requests=max(8, args.requests // 10), concurrency=2)
        latencies, wall, errors = drive(
            args.port, path, headers, requests=args.requests, concurrency=args.concurrency
        )
        result = Result(name, latencies, wall, errors + cold_errors, query_counts.get(name, "—"))
        result.cold = cold
        result.page = page
        trivial = trivial or result
        results.append(result)
        cold_p50, _cold_p95 = p50_p95_ms(cold)
        log(
            f"{name}: cold p50 {cold_p50:.1f} ms, warm p50 {result.p50:.1f} ms, "
            f"{result.rps:.1f}/s, errors {result.errors}"
        )

    exports = []
    for page in targets.exports:
        times, size = [], 0
        for _ in range(3):
            status, body, elapsed = fetch(args.port, page.path, headers_for(page))
            times.append(elapsed)
            size = len(body)
        exports.append((page.name, statistics.median(times), size, status))
        log(f"{page.name}: {statistics.median(times):.2f} s")

    # Many users of many organizations at once, across both servers.
    ports = [s.port for s in servers]
    log(
        f"mixed workload: {args.mixed_operations} operations, {args.mixed_connections} "
        f"connections, {args.write_share:.0%} writes, servers {ports}"
    )
    mixed = mixed_workload(
        ports,
        mixed_users,
        operations=args.mixed_operations,
        connections=args.mixed_connections,
        write_share=args.write_share,
    )
    log(f"mixed workload: {mixed.per_second:.1f} ops/s, {len(mixed.errors)} errors")

    consistency = None
    if second is not None:
        mark = secrets.token_hex(4)
        consistency = consistency_check(
            (server.port, second.port),
            cookie=coordinator_cookie,
            write=publication(code, f"Бенчмарк: хоёр сервер {mark}"),
            # newest first: the row just saved heads the first page
            list_path=reverse("registers:list", args=[code, "publications"]),
            progress_path=reverse("criteria:progress", args=[code, progress_plan.pk]),
            expected_progress=expected_progress,
            marker=lambda n: f"Бенчмарк: хоёр сервер {mark} {n}",
            rounds=args.consistency_rounds,
        )
        connection.close()
        log(
            f"two servers: {consistency.checks} checks, {len(consistency.mismatches)} "
            f"mismatches, progress text changed in {consistency.changed} rounds"
        )

    table = report(
        args,
        orgs=orgs,
        results=results,
        trivial=trivial,
        exports=exports,
        query_counts=query_counts,
        import_times=import_times,
        upload=(up_seconds, up_status, growth_mb),
        generated_in=generated_in,
        mixed=mixed,
        mixed_users=len(mixed_users),
        consistency=consistency,
        cache="Redis (one redis-server, shared by both app servers)"
        if redis is not None
        else "local memory (each worker its own)",
        servers=len(servers),
    )
    print("\n" + table)
    out = ROOT / "var" / f"bench-{TODAY:%Y-%m-%d}.md"
    out.write_text(table + "\n")
    log(f"written to {out.relative_to(ROOT)}")
    return 0


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def report(args, *, orgs, results, trivial, exports, query_counts, import_times, upload,
           generated_in, mixed, mixed_users, consistency, cache, servers) -> str:  # fmt: skip
    """The Markdown table: each measurement beside its target and whether it is met."""
    lines = [
        f"Benchmark of {TODAY:%Y-%m-%d} on {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL, gunicorn {args.workers} workers; "
        f"cache: {cache}; {orgs:,} organizations; warm: {args.requests} requests per page "
        f"from {args.concurrency} connections; cold: {args.cold} requests per page, each the "
        "first after an audited change in the measured organization (a register row saved "
        "through the service), one at a time.",
        "",
        "| page | cold p50 ms | cold p95 ms | warm p50 ms | warm p95 ms | req/s | vs trivial "
        "| target (warm) | met | queries | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for r in results:
        page = r.page
        share = r.rps / trivial.rps
        cold_p50, cold_p95 = p50_p95_ms(r.cold)
        cold = f"{cold_p50:.1f} | {cold_p95:.1f}" if r.cold else "— | —"
        wanted, met = [], None
        if page is not None and page.share_target is not None:
            wanted.append(f"≥ {page.share_target:.0%} of trivial")
            met = share >= page.share_target
        if page is not None and page.p95_target_ms is not None:
            wanted.append(f"p95 < {page.p95_target_ms:.0f} ms")
            met = (met is not False) and r.p95 < page.p95_target_ms
        lines.append(
            f"| {r.name} | {cold} | {r.p50:.1f} | {r.p95:.1f} | {r.rps:.1f} | {share:.0%} | "
            f"{', '.join(wanted) or '—'} | {_met(met)} | {r.queries} | {r.errors} |"
        )
    lines += [
        "",
        "| operation | time | size / result | queries | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for name, seconds, size, status in exports:
        target = EXPORT_TARGETS.get(name.rsplit(" ", 1)[-1])
        lines.append(
            f"| {name} (60 measures) | {seconds:.2f} s | {size / 1024:.0f} KB, HTTP {status} | "
            f"{query_counts.get(name, '—')} | "
            f"{f'< {target} s' if target else '—'} | {_met(target and seconds < target)} |"
        )
    lines.append(
        f"| seed plan import (19 measures, in-process) | {statistics.median(import_times):.2f} s"
        " | rolled back | — | — | — |"
    )
    up_seconds, up_status, growth_mb = upload
    lines.append(
        f"| 50 MB evidence upload | {up_seconds:.2f} s | HTTP {up_status}, worker peak memory "
        f"growth {growth_mb:.1f} MB | — | growth < 30 MB | {_met(growth_mb < 30)} |"
    )
    if generated_in is not None:
        lines.append(
            f"| generate_data --orgs {args.orgs} | {generated_in / 60:.1f} min | — | — | — | — |"
        )

    read_p50, read_p95 = p50_p95_ms(mixed.reads)
    write_p50, write_p95 = p50_p95_ms(mixed.writes)
    spread = ", ".join(f":{port} {n}" for port, n in mixed.by_server.items())
    lines += [
        "",
        f"Mixed workload: {mixed.operations} operations from {args.mixed_connections} "
        f"connections across {servers} app server(s) ({spread}), each a random one of "
        f"{mixed_users} users (coordinators of as many organizations): "
        f"{1 - args.write_share:.0%} page reads (dashboard, plan, progress, register list, "
        f"petitions), {args.write_share:.0%} writes through the real forms (GET the form, "
        "read its CSRF token, POST: a board update or a publication saved, or a petition "
        "registered; the "
        "write's time is its POST's). Any answer other than 2xx/3xx, or a POST not saved, "
        "is an error.",
        "",
        "| mixed workload | operations/s | reads | read p50 ms | read p95 ms | writes "
        "| write p50 ms | write p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {mixed.operations} operations | {mixed.per_second:.1f} | {len(mixed.reads)} | "
        f"{read_p50:.1f} | {read_p95:.1f} | {len(mixed.writes)} | {write_p50:.1f} | "
        f"{write_p95:.1f} | {len(mixed.errors)} |",
    ]
    for error in mixed.errors[:20]:
        lines.append(f"- error: {error}")
    if len(mixed.errors) > 20:
        lines.append(f"- … and {len(mixed.errors) - 20} more errors")

    lines.append("")
    if consistency is None:
        lines.append("Two app servers: not run (no shared cache: `--cache locmem`).")
    else:
        _p50, read_p95 = p50_p95_ms(consistency.seconds_to_read)
        lines += [
            "Two app servers sharing PostgreSQL and Redis: each round saves a publication "
            "(a register row linked to its measures) through one server's form and at once "
            "reads through the other its register list (the row must be there) and its "
            "organization's progress page (every criterion's evaluation must read as computed "
            "from the database with the memo off).",
            "",
            "| two servers | rounds | checks | rounds the progress changed | mismatches "
            "| write errors | read after change p95 ms | consistent |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
            f"| change through one, read through the other | {consistency.rounds} | "
            f"{consistency.checks} | {consistency.changed} | {len(consistency.mismatches)} | "
            f"{len(consistency.write_errors)} | {read_p95:.1f} | "
            f"{'yes' if consistency.consistent else '**no**'} |",
        ]
        for problem in (consistency.mismatches + consistency.write_errors)[:20]:
            lines.append(f"- {problem}")
    lines += ["", f"Concurrent writes: target {WRITES_TARGET}."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
