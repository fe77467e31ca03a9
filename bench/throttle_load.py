"""The API throttle under concurrency: 16 parallel clients share one API key against the
desk served by gunicorn (several processes) on PostgreSQL + Redis, and the 200s each
rate-limit window let through are counted against the configured rate.

    DATABASE_URL=postgres://… CACHE_URL=redis://… .venv/bin/python bench/throttle_load.py

The server runs on a loopback port with ``API_THROTTLE_RATE`` (default 600/minute) and
``API_THROTTLE_ANON_RATE`` (default 60/minute) in its environment. The script migrates
the database, creates a seller account and an API key through the ORM, starts gunicorn,
waits for the start of a window (windows are on the clock), then:

1. the key: ``--clients`` threads GET ``/api/v1/seller-accounts/`` for ``--seconds`` (at most
   ``--max-requests`` in all);
2. a wrong key: the same threads for ``--invalid-seconds`` with ``Authorization: Token wrong``.

A response is counted in the window its answer arrived in (when the clients outpace the
rate, the window before a boundary is already full, so nothing answered after a boundary
can belong to it). The script stops the server and deletes its key and account at the end,
and exits 1 if a window let more through than the rate + 1%.
"""

import argparse
import collections
import http.client
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from api.models import ApiKey  # noqa: E402
from csmdesk.ratelimit import rate_parse  # noqa: E402
from tickets.models import SellerAccount  # noqa: E402

PATH = "/api/v1/seller-accounts/"
TOLERANCE = 0.01


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(port: int, *, workers: int, rate: str, anon_rate: str, token: str, log) -> subprocess.Popen:
    env = {**os.environ, "API_THROTTLE_RATE": rate, "API_THROTTLE_ANON_RATE": anon_rate}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "csmdesk.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,  # Django logs every 429 as a warning: thousands of lines
        start_new_session=True,  # its own process group, stopped as one at the end
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            # Uses one request of the key's window; the load starts in the next one.
            conn.request("GET", PATH, headers={"Authorization": f"Token {token}"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    _stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def _stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def _hammer(port: int, *, token: str, clients: int, seconds: float, max_requests: int) -> list[tuple[float, int]]:
    """``clients`` threads send GETs until ``seconds`` pass or ``max_requests`` are sent;
    returns (time the answer arrived, status) for every request."""
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    budget = itertools.count()
    deadline = time.time() + seconds
    start = threading.Barrier(clients)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        start.wait()
        while time.time() < deadline and next(budget) < max_requests:
            try:
                conn.request("GET", PATH, headers={"Authorization": f"Token {token}"})
                response = conn.getresponse()
                response.read()
                mine.append((time.time(), response.status))
            except (OSError, http.client.HTTPException):
                conn.close()  # the server closed a kept-alive connection: open a new one
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _report(title: str, results: list[tuple[float, int]], *, rate: str, passed_status: int) -> bool:
    """Per window: requests, the ones let through (``passed_status``) and 429s."""
    limit, period = rate_parse(rate)
    windows: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    for at, status in results:
        windows[int(at // period)][status] += 1
    statuses = collections.Counter(status for _, status in results)
    span = max(at for at, _ in results) - min(at for at, _ in results)
    print(f"\n{title}: rate {rate}, {len(results)} requests in {span:.1f} s ({len(results) / span:.0f}/s)")
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    ok = True
    for window, counts in sorted(windows.items()):
        began = time.strftime("%H:%M:%S", time.gmtime(window * period))
        through = counts[passed_status]
        within = through <= limit * (1 + TOLERANCE)
        ok &= within
        others = {s: n for s, n in sorted(counts.items()) if s not in (passed_status, 429)}
        print(
            f"  window from {began} UTC: {sum(counts.values()):6d} requests, {through:5d} x {passed_status} "
            f"({through / limit:6.1%} of {limit}), {counts[429]:6d} x 429"
            f"{f', other {others}' if others else ''}  {'ok' if within else 'OVER THE RATE'}"
        )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", default="600/minute", help="API_THROTTLE_RATE of the server")
    parser.add_argument("--anon-rate", default="60/minute", help="API_THROTTLE_ANON_RATE of the server")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=65.0, help="hammering with the key")
    parser.add_argument("--invalid-seconds", type=float, default=15.0, help="hammering with a wrong key")
    parser.add_argument("--max-requests", type=int, default=60_000, help="per phase")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    engine, cache = settings.DATABASES["default"]["ENGINE"], settings.CACHES["default"]["BACKEND"]
    if "postgresql" not in engine or "Redis" not in cache:
        raise SystemExit("Run it on PostgreSQL and Redis: set DATABASE_URL=postgres://… and CACHE_URL=redis://…")

    call_command("migrate", verbosity=0)
    account, _ = SellerAccount.objects.get_or_create(
        merchant_id="BENCHTHROTTLE", marketplace_id="BENCH", defaults={"name": "bench: throttle"}
    )
    key = ApiKey(name="bench: throttle load", scope="read")
    raw_key = key.issue()
    key.save()
    key.seller_accounts.set([account])
    connections.close_all()

    port = _free_port()
    with tempfile.NamedTemporaryFile("w", prefix="throttle-load-gunicorn-", suffix=".log", delete=False) as log:
        print(f"server log: {log.name}")
        server = _start_server(
            port, workers=args.workers, rate=args.rate, anon_rate=args.anon_rate, token=raw_key, log=log
        )
        try:
            period = rate_parse(args.rate)[1]
            # Start at the top of a window, so that the first window is a whole one.
            time.sleep(period - time.time() % period + 0.05)
            print(f"gunicorn --workers {args.workers} on 127.0.0.1:{port}; {args.clients} clients, one key")
            valid = _hammer(
                port, token=raw_key, clients=args.clients, seconds=args.seconds, max_requests=args.max_requests
            )
            invalid = _hammer(
                port, token="wrong", clients=args.clients, seconds=args.invalid_seconds, max_requests=args.max_requests
            )
        finally:
            _stop_server(server)
            key.delete()
            account.delete()
    ok = _report("One valid key", valid, rate=args.rate, passed_status=200)
    ok &= _report("A wrong key (per address)", invalid, rate=args.anon_rate, passed_status=401)
    print("\nthe throttle held" if ok else "\nA WINDOW LET MORE THROUGH THAN THE RATE")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
