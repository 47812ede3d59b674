"""`make bench-writes` (and the end of `make bench`): audited writes at once.

Each writer is a process of its own with its own PostgreSQL connection (as gunicorn's
workers are) and saves register rows through the real service (`register_row_save`: the
record-lock check, which locks the organization's audit chain head, the row, its version
and its audit entries, in one transaction) for a fixed time. Four runs: 1 writer; 4 and 8
writers, each in its own organization; 4 writers in one organization. Writes of different
organizations do not wait for each other (their audit chains are separate); writers of one
organization take turns at its chain's head.

Uses its own database (`BENCH_WRITES_DATABASE_URL`, default `shudarga_bench_writes`), made
and migrated here; it needs no generated data. Prints a Markdown table and appends it to
`var/bench-writes-<date>.md`.

Target (reported, not asserted): 8 writers in 8 organizations at least 4x one writer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from bench import ensure_database, log, manage  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/shudarga_bench_writes"
TODAY = dt.datetime.now().astimezone().date()
RUNS = [  # (label, writers, organizations)
    ("1 writer", 1, 1),
    ("4 writers, 4 organizations", 4, 4),
    ("8 writers, 8 organizations", 8, 8),
    ("4 writers, 1 organization", 4, 1),
]
# Issue 17's target, read beside the measurement: writes/s as a multiple of one writer's.
TARGETS = {"8 writers, 8 organizations": 4.0}


def _writer(code: str, seconds: float, start_at: float, out: multiprocessing.Queue) -> None:
    """Save board updates of organization `code` until `seconds` have passed."""
    import django

    django.setup()
    from django.db import connection

    from shudarga.organizations.models import Organization
    from shudarga.registers.models import BoardUpdate
    from shudarga.registers.registry import REGISTERS
    from shudarga.registers.services import register_row_save

    organization = Organization.objects.get(code=code)
    spec = REGISTERS["board-updates"]
    latencies: list[float] = []
    errors = 0
    time.sleep(max(0.0, start_at - time.time()))
    ends = time.monotonic() + seconds
    day = dt.date(2026, 1, 1)
    while time.monotonic() < ends:
        started = time.perf_counter()
        try:
            register_row_save(
                spec=spec,
                organization=organization,
                row=BoardUpdate(date=day, content=f"bench {len(latencies)}"),
                measures=None,
                actor=None,
            )
            latencies.append(time.perf_counter() - started)
        except Exception:
            errors += 1
    connection.close()
    out.put((len(latencies), sum(latencies), sorted(latencies), errors))


def _run(codes: list[str], seconds: float) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")  # fresh processes, fresh connections
    out: multiprocessing.Queue = context.Queue()
    start_at = time.time() + 3  # every writer set up before the clock starts
    processes = [
        context.Process(target=_writer, args=(code, seconds, start_at, out)) for code in codes
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    writes = sum(r[0] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))] if latencies else 0
    return {
        "writes": writes,
        "per_second": writes / seconds,
        "p50": latencies[len(latencies) // 2] * 1000 if latencies else 0.0,
        "p95": p95 * 1000,
        "errors": sum(r[3] for r in results),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_WRITES_DATABASE_URL", DEFAULT_DB)
    )
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("BENCH_WRITES_SECONDS", 10))
    )
    args = parser.parse_args()
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="shudarga.settings",
        DATABASE_URL=args.database_url,
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-writes-secret-key-" + "0" * 30,
        SHUDARGA_AUDIT_KEY=os.environ.get("SHUDARGA_AUDIT_KEY") or "bench-audit-key-" + "0" * 32,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    ensure_database(args.database_url)
    log("migrate")
    manage("migrate", "-v0", env=env)

    import django

    django.setup()
    from django.db import connection

    from shudarga.organizations.models import Organization
    from shudarga.organizations.services import organization_create

    codes = [f"BW{n}" for n in range(1, 9)]
    for code in codes:
        if not Organization.objects.filter(code=code).exists():
            organization_create(name=f"Bench writer {code}", code=code)
    connection.close()

    rows = []
    single = None
    for label, writers, organizations in RUNS:
        log(f"{label}: {args.seconds:.0f} s")
        codes_of_run = [codes[i % organizations] for i in range(writers)]
        result = _run(codes_of_run, args.seconds)
        single = single or result["per_second"]
        times = result["per_second"] / single if single else 0.0
        target = TARGETS.get(label)
        wanted = f"≥ {target:.0f}× one writer" if target else "—"
        met = "—" if target is None else ("yes" if times >= target else "**no**")
        rows.append(
            f"| {label} | {result['writes']} | {result['per_second']:.1f} | "
            f"{times:.1f}× | {result['p50']:.1f} | "
            f"{result['p95']:.1f} | {result['errors']} | {wanted} | {met} |"
        )
    header = (
        f"Concurrent audited writes, {TODAY}, {platform.node()}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL; "
        f"each writer a process saving register rows for {args.seconds:.0f} s.\n\n"
        "| run | writes | writes/s | vs 1 writer | p50 ms | p95 ms | errors | target | met |\n"
        "|---|---:|---:|---:|---:|---:|---:|---|---|"
    )
    table = "\n".join([header, *rows])
    print(table)
    out = ROOT / "var" / f"bench-writes-{TODAY}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        handle.write(table + "\n\n")
    log(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
