"""Relay mail throughput: N generated relay e-mails (a share with a photo attached) are
appended to a local Dovecot folder, then polled into tickets through the real channel
(``amazon.mail.services.mailbox_poll`` as the beat task runs it, each stored mail imported
by ``raw_email_import`` as its Celery task does, after commit).

    createdb -h 127.0.0.1 -U postgres csmdesk_mail_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csmdesk_mail_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csmdesk_mail_bench \\
        .venv/bin/python bench/mail_throughput.py --mails 10000 --with-files 0.2

``--workers N`` (default 2, one per core) runs the imports in a real Celery worker with N
processes on the configured broker (``CELERY_BROKER_URL``, Redis), as production does,
while this process polls; ``--workers 0`` runs everything eagerly in this process.

Reports messages per second from the first poll to the last message in the queue, the
resident memory (peak, and after each tenth of the mails: it must stay flat, the mailbox is
never loaded whole), and the latency from the IMAP append to the ticket with the default
poll interval: the wait for the next beat is uniform over ``--poll-interval`` (60 s), so its
percentiles are computed from that distribution plus the measured time from a poll that finds
one new mail to its message (median of ``--latency-samples`` appends). Dovecot and the worker
are started and stopped by the bench;
its seller account, buyers and tickets (merchant id ``BENCHMAIL``) are deleted first.
"""

import argparse
import email.utils
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
# Raw mail and photos go to a folder of the bench's own, removed at the end.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="csmdesk-mail-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from amazon.mail.services import mailbox_poll  # noqa: E402
from amazon.models import Mailbox, RawEmail  # noqa: E402
from csmdesk.celery import app  # noqa: E402
from tests.amazon.conftest import imap_server_start  # noqa: E402
from tests.amazon.mails import relay_mail  # noqa: E402
from tickets.models import Attachment, Message, SellerAccount, Ticket  # noqa: E402

MERCHANT = "BENCHMAIL"
TEXTS = [
    "Hi, the water tank of my espresso machine leaks. Can you send a new one?",
    "My order has not arrived yet, the tracking has not moved for four days.",
    "The grinder makes a loud noise since yesterday. Is this normal?",
    "Can I return the machine? It is too big for my kitchen.",
    "The milk frother does not heat the milk anymore. What should I do?",
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def generate(n: int, *, with_files: float, seed: int) -> list[bytes]:
    """``n`` relay mails from ~n/3 buyers about ~n/2 orders, Dates over the last day."""
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=1)
    buyers = [f"bm{rng.getrandbits(48):012x}" for _ in range(max(n // 3, 1))]
    mails = []
    for i in range(n):
        relay = rng.choice(buyers)
        order = f"{rng.randrange(100, 999)}-{rng.randrange(10**6, 10**7):07d}-{rng.randrange(10**6, 10**7):07d}"
        files = []
        if rng.random() < with_files:
            photo = b"\xff\xd8\xff\xe0" + rng.randbytes(rng.randrange(30_000, 200_000))
            files = [(f"photo-{i}.jpg", "image/jpeg", photo)]
        mails.append(
            relay_mail(
                message_id=f"<bench-{seed}-{i}@amazonses.example>",
                text=f"{rng.choice(TEXTS)} (#{i})",
                order_id=order if rng.random() < 0.8 else None,
                relay=relay,
                suffix=f"S{i}",
                name=f"Buyer {relay[-4:]}",
                date=email.utils.format_datetime(start + timedelta(seconds=i * 8)),
                token=f"TOK{seed}{i:08d}",
                files=files,
            )
        )
    return mails


def reset() -> SellerAccount:
    for account in SellerAccount.objects.filter(merchant_id=MERCHANT):
        RawEmail.objects.filter(seller_account=account).delete()
        Ticket.objects.filter(seller_account=account).delete()
        account.delete()
    return SellerAccount.objects.create(name="Mail bench", merchant_id=MERCHANT, marketplace_id="ATVPDKIKX0DER")


def worker_pids(worker) -> list[int]:
    """The worker's process and its pool's children (none without a worker)."""
    if worker is None:
        return []
    pids = [worker.pid]
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    return pids


def worker_rss_mb(worker) -> float:
    """Resident memory of the worker's processes together (its pool's children included)."""
    total = 0.0
    for pid in worker_pids(worker):
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return total


class StatementCount:
    """SQL statements this process sends (with ``--workers 0``: the poll and every import)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def worker_cpu_seconds(worker) -> float:
    """CPU time (user + system) the worker's processes have used so far, its pool's included."""
    ticks = 0
    for pid in worker_pids(worker):
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists():
            fields = stat.read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float | None:
    stat = Path(f"/proc/{pid}/stat")
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class PostgresCpu:
    """CPU time of the PostgreSQL backends serving this database, read from /proc when
    PostgreSQL runs on this machine. Exact with ``--workers 0`` (one connection, the bench's,
    for the whole run); a Celery worker closes its connection after each task, and a backend
    that is gone takes its count with it, so with workers it is not reported."""

    def __init__(self) -> None:
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def sample(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            pids = [pid for (pid,) in cursor.fetchall()]
        starting = not self.first
        for pid in pids:
            cpu = process_cpu_seconds(pid)
            if cpu is not None:
                self.first.setdefault(pid, cpu if starting else 0.0)
                self.last[pid] = cpu

    def seconds(self) -> float | None:
        if not self.last:
            return None  # PostgreSQL elsewhere: not measured
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def poll_all(mailbox: Mailbox, expected: int, marks: list, worker=None) -> float:
    """Poll (as the beat's task does) until every mail is stored, and wait until ``expected``
    messages are in the queue; returns when the last one was."""
    account = mailbox.seller_account
    done, fetching = 0, True
    while done < expected:
        if fetching:
            Mailbox.objects.filter(pk=mailbox.pk).update(polling_since=None, backoff_until=None)
            result = mailbox_poll(mailbox_id=mailbox.pk)
            if result.error:
                raise SystemExit(f"poll failed: {result.error}")
            fetching = result.stored > 0
        else:
            time.sleep(0.05)
        done = Message.objects.filter(seller_account=account).count()
        marks.append((time.perf_counter(), done, rss_mb(), worker_rss_mb(worker)))
        if not fetching and worker is None and done < expected:
            raise SystemExit(f"the poll stored nothing more with {done}/{expected} in the queue")
    return time.perf_counter()


def worker_start(processes: int) -> subprocess.Popen:
    app.control.purge()  # nothing left on this broker from an earlier run
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "csmdesk", "worker", "-c", str(processes), "-l", "WARNING"],
        env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.inspect(timeout=1).ping():
            return worker
    worker.terminate()
    raise SystemExit("the Celery worker did not answer within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--with-files", type=float, default=0.2, help="share of mails with a photo")
    parser.add_argument("--poll-interval", type=float, default=60.0, help="the beat's interval (s)")
    parser.add_argument("--latency-samples", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (0: eager, here)")
    args = parser.parse_args()
    app.conf.task_always_eager = args.workers == 0

    account = reset()
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; load {os.getloadavg()}")
    server = imap_server_start()
    media = Path(settings.MEDIA_ROOT)
    worker = worker_start(args.workers) if args.workers else None
    try:
        mailbox = Mailbox(
            seller_account=account,
            host=server.host,
            port=server.port,
            security=Mailbox.Security.NONE,
            username=server.user,
        )
        mailbox.password_set(server.password)
        mailbox.save()

        began = time.perf_counter()
        mails = generate(args.mails, with_files=args.with_files, seed=args.seed)
        size = sum(map(len, mails))
        with server.client() as box:
            for content in mails:
                box.client.append("INBOX", None, None, content)
        del mails
        print(f"appended {args.mails:,} mails ({size / 2**20:,.0f} MB) in {time.perf_counter() - began:,.1f} s")

        rss_start = rss_mb()
        marks: list = []
        started = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        worker_cpu_before = worker_cpu_seconds(worker)
        postgres = PostgresCpu() if worker is None else None
        if postgres is not None:
            postgres.sample()
        statements = StatementCount()
        with connection.execute_wrapper(statements):
            finished = poll_all(mailbox, args.mails, marks, worker)
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        worker_cpu = worker_cpu_seconds(worker) - worker_cpu_before
        postgres_cpu = None
        if postgres is not None:
            postgres.sample()
            postgres_cpu = postgres.seconds()
        seconds = finished - started
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        tickets = Ticket.objects.filter(seller_account=account).count()
        files = Attachment.objects.filter(message__seller_account=account).count()
        print(
            f"polled {args.mails:,} mails into {tickets:,} tickets ({files:,} photos) in {seconds:,.1f} s: "
            f"{args.mails / seconds:,.1f} messages/s; the last one in the queue {seconds:,.1f} s after the first poll"
        )
        print(
            f"CPU time of this process (poll, parse, file; PostgreSQL and Dovecot not counted): "
            f"{cpu / args.mails * 1000:,.1f} ms a mail"
        )
        if worker is not None:
            both = (cpu + worker_cpu) / args.mails * 1000
            print(
                f"CPU time of the worker's processes (the imports): {worker_cpu / args.mails * 1000:,.1f} ms a mail; "
                f"with this process {both:,.1f} ms a mail: two idle cores would take ~{2000 / both:,.0f} mails/s "
                "before PostgreSQL's and Dovecot's share"
            )
        if postgres_cpu is not None:
            every = (cpu + worker_cpu + postgres_cpu) / args.mails * 1000
            print(
                f"CPU time of PostgreSQL's backends for this database: "
                f"{postgres_cpu / args.mails * 1000:,.1f} ms a mail; "
                f"poll + imports + PostgreSQL {every:,.1f} ms a mail: two idle cores would take ~{2000 / every:,.0f} "
                "mails/s (Dovecot's share not counted)"
            )
        # The bench's own queue count after each poll is included (one statement a poll).
        where = "poll and imports" if worker is None else "the poll only; the imports ran in the worker"
        print(f"SQL statements of this process ({where}): {statements.count / args.mails:,.1f} a mail")
        tenths = marks[:: max(len(marks) // 10, 1)] + marks[-1:]
        print(
            "RSS (MB) by messages in the queue, poller / worker: "
            + ", ".join(f"{d:,}: {r:,.0f} / {w:,.0f}" for _, d, r, w in tenths)
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_peak = max(w for *_, w in marks)
        print(
            f"poller RSS at the first poll {rss_start:,.0f} MB, its peak {peak:,.0f} MB (the generation step "
            f"included); worker processes together at most {worker_peak:,.0f} MB"
        )

        # One new mail into a quiet mailbox: the time from the poll's start to its ticket.
        samples = []
        for n in range(args.latency_samples):
            server.append(relay_mail(message_id=f"<lat-{args.seed}-{n}@amazonses.example>", relay=f"lat{n:04d}"))
            before = Message.objects.filter(seller_account=account).count()
            t0 = time.perf_counter()
            poll_all(mailbox, before + 1, [], worker)
            samples.append(time.perf_counter() - t0)
        work = statistics.median(samples)
        interval = args.poll_interval
        p50, p95 = 0.50 * interval + work, 0.95 * interval + work
        print(
            f"one new mail, poll to ticket: median {work * 1000:,.0f} ms over {len(samples)}; "
            f"append to ticket with a {interval:.0f} s poll: p50 {p50:,.1f} s, p95 {p95:,.1f} s "
            f"(uniform wait for the next poll + that median)"
        )
        print(f"load after: {os.getloadavg()}")
    finally:
        if worker is not None:
            worker.terminate()  # the one this bench started (warm shutdown), by its pid
            worker.wait(timeout=60)
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)
        if media.name.startswith("csmdesk-mail-bench-"):
            shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
