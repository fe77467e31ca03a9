"""Time pages and queries of CSM Desk in-process, and record the figures in bench/RESULTS.md.

    .venv/bin/python bench/run.py [--only admin] [--repeat 30] [--warmup 3] [--sql] [--explain] [--list] [--no-write]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csmdesk_bench .venv/bin/python bench/run.py

Fill the database first (``manage.py seed_scale --orders 1000000 --tickets 100000``).
Each case (``bench/cases/``) runs ``--warmup`` times untimed, once more with its queries
captured (count and database time), then ``--repeat`` times timed with
``time.perf_counter``: the median and the 95th percentile are reported, and the median
CPU time of this process (``time.process_time``: the Python side of the request, which
other work on a shared machine changes less than the wall time). Pages go through
``django.test.Client`` logged in as ``bench-manager`` (a superuser in the Managers group,
created when missing), with DEBUG off as in production.

The run's table replaces its own section of RESULTS.md (``## Pages and queries: <label>``,
the label defaults to the database and the number of orders); a case that was not run
this time keeps its earlier row and date. Other sections are left alone.
"""

import argparse
import logging
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION_PREFIX = "## Pages and queries: "
BENCH_USERNAME = "bench-manager"
TABLE_HEADER = (
    "| Case | Median ms | p95 ms | CPU ms | Queries | DB ms | Measured |\n|---|---:|---:|---:|---:|---:|---|\n"
)

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")
# Production-like: no debug cursor or template debug info. The settings refuse DEBUG
# off without a secret, and need a host; neither matters to an in-process client.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django  # noqa: E402

django.setup()
# A failing page is reported in its row; the full traceback would drown the table.
logging.getLogger("django.request").setLevel(logging.CRITICAL)

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import cases  # noqa: E402, F401 (registers every case)
from bench.registry import CASES, Bench, Case, CaseFailed  # noqa: E402
from tickets.models import Message, Order, Ticket  # noqa: E402
from tickets.roles import MANAGERS  # noqa: E402


class Result:
    def __init__(
        self,
        name: str,
        *,
        times: list[float],
        cpu_times: list[float],
        queries: int,
        db_seconds: float,
        error: str = "",
    ):
        self.name = name
        self.times = times
        self.cpu_times = cpu_times
        self.queries = queries
        self.db_seconds = db_seconds
        self.error = error

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        if len(self.times) < 2:
            return self.times[0] * 1000
        return statistics.quantiles(self.times, n=20, method="inclusive")[18] * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu_times) * 1000

    def row(self, today: str) -> str:
        if self.error:
            return f"| {self.name} | – | – | – | – | – | {today}: {self.error} |"
        return (
            f"| {self.name} | {self.median_ms:.1f} | {self.p95_ms:.1f} | {self.cpu_ms:.1f} | {self.queries} | "
            f"{self.db_seconds * 1000:.1f} | {today} |"
        )


class QueryTimer:
    """An execute wrapper timing each query (the captured times are rounded to 1 ms)."""

    def __init__(self):
        self.timings: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timings.append((time.perf_counter() - started, sql, params))

    def slowest(self, count: int) -> list[tuple[float, str, object]]:
        return sorted(self.timings, key=lambda timing: timing[0], reverse=True)[:count]


def explain(sql: str, params: object) -> str:
    """PostgreSQL's plan of one query, as run (EXPLAIN ANALYZE executes it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def bench_user():
    """The superuser the client logs in as (managers use the admin)."""
    user, created = get_user_model().objects.get_or_create(
        username=BENCH_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=MANAGERS)[0])
    return user


def run_case(case: Case, bench: Bench, *, warmup: int, repeat: int, show_sql: bool, show_plan: bool) -> Result:
    try:
        fetch = case.setup(bench)
        for _ in range(warmup):
            fetch()
        timer = QueryTimer()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            fetch()
        # Copy now: the list is read from the connection's log, which every request resets.
        queries = list(captured.captured_queries)
        times, cpu_times = [], []
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            fetch()
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
    except Exception as error:  # one broken case must not stop the others
        message = str(error) if isinstance(error, CaseFailed) else f"{type(error).__name__}: {error}"
        return Result(case.name, times=[], cpu_times=[], queries=0, db_seconds=0, error=message.splitlines()[0][:200])
    if show_sql:
        for seconds, sql, _params in timer.slowest(5):
            print(f"    {seconds * 1000:8.2f} ms  {sql[:300]}")
    if show_plan and connection.vendor == "postgresql":
        _seconds, sql, params = timer.slowest(1)[0]
        print(f"    {sql}\n    {params}\n" + "\n".join(f"    | {line}" for line in explain(sql, params).splitlines()))
    return Result(
        case.name,
        times=times,
        cpu_times=cpu_times,
        queries=len(queries),
        db_seconds=sum(t[0] for t in timer.timings),
    )


def database_label() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        return f"PostgreSQL {version}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.display_name


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def git_revision() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} + uncommitted changes" if dirty else commit


def command_line(argv: list[str]) -> str:
    """The command as typed from the repository root, with any password in DATABASE_URL hidden."""
    python = Path(sys.executable)
    python = python.relative_to(ROOT) if python.is_relative_to(ROOT) else python
    prefix = ""
    if os.environ.get("DATABASE_URL"):
        prefix = "DATABASE_URL=" + re.sub(r"(://[^:/@]+):[^@]+@", r"\1:***@", os.environ["DATABASE_URL"]) + " "
    return prefix + shlex.join([str(python), "bench/run.py", *argv])


def section(
    label: str, results: list[Result], *, argv: list[str], repeat: int, warmup: int, load: float, existing: str
) -> str:
    now = datetime.now(UTC)
    today = now.strftime("%Y-%m-%d")
    counts = {name: model.objects.count() for name, model in (("orders", Order), ("tickets", Ticket))}
    counts["messages"] = Message.objects.count()
    rows = {r.name: r.row(today) for r in results}
    columns = TABLE_HEADER.splitlines()[0].count("|")
    # Keep the rows of cases not run this time (each row carries its own date).
    for line in existing.splitlines():
        # (a row from an older table layout is dropped rather than misaligned)
        if line.startswith("| ") and not line.startswith("| Case ") and line.count("|") == columns:
            name = line[2:].split(" | ", 1)[0]
            rows.setdefault(name, line)
    ordered = [rows[name] for name in CASES if name in rows] + [row for name, row in rows.items() if name not in CASES]
    return (
        f"{SECTION_PREFIX}{label}\n\n"
        f"- Command: `{command_line(argv)}`\n"
        f"- Date: {now:%Y-%m-%d %H:%M} UTC, commit {git_revision()}\n"
        f"- Machine: {os.cpu_count()} CPUs (nproc), {memory_gib()} RAM, {platform.system()} {platform.machine()}; "
        f"{database_label()}; Python {platform.python_version()}; Django {django.get_version()}; "
        f"load average {load:.1f} at the start (other work on the machine inflates the times)\n"
        f"- Data: {counts['orders']:,} orders, {counts['tickets']:,} tickets, {counts['messages']:,} messages\n"
        f"- Method: in-process `django.test.Client`, DEBUG off; per case {warmup} warm-up runs, one run with "
        f"queries captured (Queries, DB ms), then {repeat} timed runs: Median and p95 of the wall time, CPU = "
        f"median CPU time of the bench process (the Python side, less affected by other load than the wall time)\n\n"
        + TABLE_HEADER
        + "\n".join(ordered)
        + "\n"
    )


def write_results(label: str, build: Callable[[str], str]) -> None:
    """Replace this label's section of RESULTS.md (or append it); other sections stay."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    heading = f"{SECTION_PREFIX}{label}"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    match = pattern.search(text)
    if match is None:
        text = text.rstrip("\n") + "\n\n"
        start = end = len(text)
    else:  # in place, so that the sections around it keep their order
        start, end = match.span()
    text = text[:start] + build(text[start:end]) + "\n" + text[end:]
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", default=[], help="a group (admin) or part of a case name; repeatable"
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--label", help="the RESULTS.md section to update (default: database and order count)")
    parser.add_argument("--sql", action="store_true", help="print the five slowest queries of each case")
    parser.add_argument("--explain", action="store_true", help="print the plan of each case's slowest query (PG)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args(argv)

    selected = [
        c
        for c in CASES.values()
        if not args.only or any(o.lower() == c.group.lower() or o.lower() in c.name.lower() for o in args.only)
    ]
    if args.list:
        print("\n".join(c.name for c in selected))
        return 0
    if not selected:
        print(f"No case matches {args.only}.", file=sys.stderr)
        return 2

    # The client cannot fetch hashed static names without collectstatic; the page
    # work is the same with plain names.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        load = os.getloadavg()[0]
        client = Client(SERVER_NAME="localhost")
        client.force_login(bench_user())
        bench = Bench(client=client)
        print(f"{database_label()}, {Order.objects.count():,} orders; {len(selected)} cases × {args.repeat} runs")
        results = []
        for c in selected:
            result = run_case(
                c, bench, warmup=args.warmup, repeat=args.repeat, show_sql=args.sql, show_plan=args.explain
            )
            results.append(result)
            if result.error:
                print(f"  {c.name:<58} FAILED: {result.error}")
            else:
                print(
                    f"  {c.name:<58} median {result.median_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
                    f"CPU {result.cpu_ms:6.1f} ms  {result.queries:3d} queries "
                    f"({result.db_seconds * 1000:.1f} ms in the database)"
                )

        if not args.no_write:
            label = args.label or f"{database_label()}, {Order.objects.count():,} orders"
            write_results(
                label,
                lambda existing: section(
                    label, results, argv=argv, repeat=args.repeat, warmup=args.warmup, load=load, existing=existing
                ),
            )
            print(f"updated {RESULTS.relative_to(ROOT)} ({SECTION_PREFIX}{label})")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
