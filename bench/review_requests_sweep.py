"""The review-request sweep over the scale data: time per run and SQL statements.

    DATABASE_URL=postgres://… .venv/bin/python bench/review_requests_sweep.py [--repeat 7] [--day 7]

Fill the database first (``manage.py seed_scale --orders 1000000``). Every scale account gets
review requests turned on (the given day, both order types), then three situations are timed
with the worker stubbed out (the sweep's own work: scheduling set-based and listing what is
due; sending is one HTTP call per order, done by workers, not the beat):

- **first run**: the deliveries of the catch-up window (two days) have their day today, so
  one INSERT … SELECT per account and order type writes their rows;
- **nothing due**: the same again once a worker has sent them (every row marked sent): the
  anti-join finds nothing new and the due list is empty. Target: ≤ 1 s;
- **next beat**: the clock 15 minutes on: the deliveries of those 15 minutes are scheduled.

Everything runs in one transaction that is rolled back, so the database is left as it was.
Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from amazon.review_requests import services  # noqa: E402
from amazon.review_requests.models import ReviewRequest  # noqa: E402
from demo.scale.shape import MERCHANT_PREFIX  # noqa: E402
from tickets.models import Order, SellerAccount  # noqa: E402


class Rollback(Exception):
    pass


def timed(run, *, repeat: int) -> tuple[float, float, int, object]:
    """Median and max wall ms over ``repeat`` runs (each in a savepoint rolled back, so every
    run sees the same state), the statements of one run, and its result."""
    times = []
    result = None
    statements = 0
    for index in range(repeat):
        sid = transaction.savepoint()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = run()
            times.append((time.perf_counter() - started) * 1000)
        if index == 0:
            statements = len(queries.captured_queries)
        transaction.savepoint_rollback(sid)
    return statistics.median(times), max(times), statements, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--day", type=int, default=7)
    args = parser.parse_args()
    orders = Order.objects.count()
    accounts = SellerAccount.objects.filter(merchant_id__startswith=MERCHANT_PREFIX)
    if not accounts.exists():
        sys.exit("No scale data: run manage.py seed_scale --orders 1000000 first.")
    # The worker is not part of the beat: count what would be handed to it.
    services.review_request_enqueue = lambda request_id: True
    now = timezone.now()
    rows = []
    try:
        with transaction.atomic():
            accounts.update(review_requests_enabled=True, review_request_day=args.day)
            sweep = lambda at: services.review_requests_sweep(now=at, limit=500)  # noqa: E731

            median, worst, statements, result = timed(lambda: sweep(now), repeat=args.repeat)
            rows.append(("first run (2 days of deliveries due)", median, worst, statements, result))
            first = sweep(now)  # kept: the rows exist from here on
            ReviewRequest.objects.update(status=ReviewRequest.Status.SENT, sent_at=now)
            median, worst, statements, result = timed(lambda: sweep(now), repeat=args.repeat)
            rows.append(("nothing due", median, worst, statements, result))
            later = now + timedelta(minutes=15)
            median, worst, statements, result = timed(lambda: sweep(later), repeat=args.repeat)
            rows.append(("next beat (15 min of deliveries)", median, worst, statements, result))
            raise Rollback
    except Rollback:
        pass
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[0]
    print(f"{orders:,} orders, {accounts.count()} accounts, day {args.day}; first run wrote {first.scheduled:,} rows")
    print(f"load {load}, {connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}")
    print("| Situation | Median ms | Max ms | Statements | Rows scheduled | Handed to workers |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, median, worst, statements, result in rows:
        print(f"| {name} | {median:.0f} | {worst:.0f} | {statements} | {result.scheduled:,} | {result.enqueued:,} |")


if __name__ == "__main__":
    main()
