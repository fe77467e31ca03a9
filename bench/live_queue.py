"""The live queue under load: what 50 agents polling their open queues cost PostgreSQL.

Serves the desk with gunicorn on a loopback port (DEBUG off), signs in the ``seed_scale``
agents and the bench manager (several sessions each), and lets every session poll its queue
the way the page does (``#queue-live``: a GET with the token of the rows it shows, 204 when
nothing changed). Meanwhile a writer in this process changes tickets through the services, as
the intake and the desk would (a new buyer message, a reassignment), so some polls find
something new. The CPU time of the PostgreSQL backends serving the desk is read from
``/proc`` before and after (the writer's own connection left out) and reported as a share of
one core, beside the poll answers and latencies.

    DATABASE_URL=postgres://…/csmdesk_bench CACHE_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/live_queue.py --agents 50 --seconds 120

Needs a seeded database (``manage.py seed_scale``) and a shared cache (Redis): the writer
stamps its writes in the cache the web workers read.
"""

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")

LIVE = re.compile(r'id="queue-live"[^>]*hx-get="([^"]+)"')
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _backends(database: str, exclude: int) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' AND pid <> %s",
            [database, exclude],
        )
        return [pid for (pid,) in cursor.fetchall()]


class Poller(threading.Thread):
    """One agent's open queue: the page once, then a poll every ``interval`` seconds."""

    def __init__(self, *, base: str, session: str, path: str, interval: float, until: float, results: list):
        super().__init__(daemon=True)
        self.base, self.session, self.path = base, session, path
        self.interval, self.until, self.results = interval, until, results

    def _get(self, url: str, htmx: bool) -> tuple[int, str]:
        headers = {"Cookie": f"sessionid={self.session}", "Host": "127.0.0.1"}
        if htmx:
            headers |= {"HX-Request": "true", "HX-Target": "queue-results"}
        request = urllib.request.Request(self.base + url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    def run(self) -> None:
        status, html = self._get(self.path, htmx=False)
        match = LIVE.search(html)
        if status != 200 or not match:
            self.results.append(("error", 0.0))
            return
        live = match.group(1).replace("&amp;", "&")
        time.sleep(random.uniform(0, self.interval))  # the agents did not open the desk at once
        while time.monotonic() < self.until:
            started = time.monotonic()
            status, html = self._get(live, htmx=True)
            self.results.append((status, time.monotonic() - started))
            if status == 200:
                match = LIVE.search(html)
                live = match.group(1).replace("&amp;", "&") if match else live
            time.sleep(max(0.0, self.interval - (time.monotonic() - started)))


def _writer(until: float, per_minute: float, written: list) -> None:
    """Changes tickets as the day does: a buyer writes, a ticket changes hands."""
    from django.utils import timezone

    from tickets.intake.messages import inbound_message_receive
    from tickets.models import Buyer, Ticket
    from tickets.selectors import assignable_agents
    from tickets.services import ticket_update

    last_buyer = Buyer.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_ticket = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first()
    pause = 60.0 / per_minute if per_minute > 0 else float("inf")
    while time.monotonic() < until:
        time.sleep(min(pause, max(0.0, until - time.monotonic())))
        if time.monotonic() >= until:
            break
        if random.random() < 0.5:
            buyer = Buyer.objects.filter(pk__gte=random.randint(1, last_buyer)).select_related("seller_account").first()
            inbound_message_receive(
                seller_account=buyer.seller_account,
                buyer=buyer,
                body="Is there any news about my order?",
                received_at=timezone.now(),
                actor="bench",
            )
        else:
            ticket = Ticket.objects.filter(status__in=("new", "open"), pk__gte=random.randint(1, last_ticket)).first()
            if ticket is None:
                continue
            colleagues = list(assignable_agents(ticket.seller_account_id))
            if colleagues:
                ticket_update(ticket=ticket, actor="bench", assignee=random.choice(colleagues))
        written.append(time.monotonic())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=50, help="polling sessions (default 50)")
    parser.add_argument("--seconds", type=float, default=120, help="measured time (default 120)")
    parser.add_argument("--interval", type=float, help="seconds between polls (default: DESK_QUEUE_POLL_SECONDS)")
    parser.add_argument("--writes-per-minute", type=float, default=12, help="writes a minute, 0: none (default 12)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")  # the backends live through the run
    # As in production: hashed static files, collected once (here into a temporary folder).
    static_root = tempfile.mkdtemp(prefix="csmdesk-bench-static-")
    os.environ["STATIC_ROOT"] = static_root
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a seeded PostgreSQL database.")
    if not os.environ.get("CACHE_URL", "").startswith("redis"):
        sys.exit("CACHE_URL must name a Redis cache shared with the web workers.")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    interval = args.interval or settings.DESK_QUEUE_POLL_SECONDS
    users = list(get_user_model().objects.filter(username__startswith="scale-agent-").order_by("username"))
    manager = get_user_model().objects.filter(username="bench-manager").first()
    if not users:
        sys.exit("No scale agents: run manage.py seed_scale first.")
    sessions = []  # (session key, queue path): agents on their views, one in ten a manager
    views = ["/queue/open/", "/queue/mine/", "/queue/at_risk/", "/queue/unassigned/"]
    for n in range(args.agents):
        user = manager if manager and n % 10 == 9 else users[n % len(users)]
        client = Client()
        client.force_login(user)
        sessions.append((client.cookies["sessionid"].value, "/queue/open/" if user == manager else views[n % 4]))

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "csmdesk.wsgi", "-w", str(args.workers), "--threads", "8"]
        + ["-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        database = settings.DATABASES["default"]["NAME"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            own = cursor.fetchone()[0]

        # Warm up: every session opens its page and polls once, so the web workers hold
        # their database connections before the measurement starts.
        results: list = []
        warm_until = time.monotonic() + interval + 2
        warm = [
            Poller(base=base, session=s, path=p, interval=interval, until=warm_until, results=[]) for s, p in sessions
        ]
        for poller in warm:
            poller.start()
        for poller in warm:
            poller.join()

        backends = _backends(database, own)
        before = {pid: _cpu_seconds(pid) for pid in backends}
        server_before = _cpu_seconds(server.pid) + sum(_cpu_children(server.pid))
        loadavg_before = Path("/proc/loadavg").read_text().split()[:3]
        started = time.monotonic()
        until = started + args.seconds
        written: list = []
        writer = threading.Thread(target=_writer, args=(until, args.writes_per_minute, written), daemon=True)
        pollers = [
            Poller(base=base, session=s, path=p, interval=interval, until=until, results=results) for s, p in sessions
        ]
        writer.start()
        for poller in pollers:
            poller.start()
        for poller in pollers:
            poller.join()
        writer.join()
        elapsed = time.monotonic() - started
        after_backends = _backends(database, own)
        postgres_cpu = sum(_cpu_seconds(pid) - before.get(pid, 0.0) for pid in set(backends) | set(after_backends))
        server_cpu = _cpu_seconds(server.pid) + sum(_cpu_children(server.pid)) - server_before
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    answers = [status for status, _ in results]
    latencies = sorted(seconds * 1000 for status, seconds in results if status in (200, 204))
    unchanged = answers.count(204)
    loadavg_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"load average before: {' '.join(loadavg_before)}; after: {loadavg_after}")
    print(f"{args.agents} sessions polling every {interval:g} s for {elapsed:.0f} s, {len(written)} ticket writes")
    print(
        f"polls: {len(answers)} ({len(answers) / elapsed:.1f}/s): {unchanged} unchanged (204), "
        f"{answers.count(200)} with new rows (200), {len(answers) - unchanged - answers.count(200)} errors"
    )
    if latencies:
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        print(f"poll latency: median {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms")
    n_backends = len(set(backends) | set(after_backends))
    print(
        f"PostgreSQL CPU: {postgres_cpu:.2f} s in {elapsed:.0f} s = {100 * postgres_cpu / elapsed:.2f}% of one core "
        f"({n_backends} backends); web workers: {100 * server_cpu / elapsed:.1f}% of one core"
    )


def _cpu_children(pid: int) -> list[float]:
    """CPU seconds of a process's children (gunicorn's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [_cpu_seconds(int(child)) for child in children.read_text().split()]
    except FileNotFoundError:
        return []


if __name__ == "__main__":
    main()
