"""Bulk order ingest throughput with real commits: N processes post batches of 1,000 new
orders to ``POST /api/v1/orders/`` at once, as an SP-API sync with several workers does.

    DATABASE_URL=postgres://… .venv/bin/python bench/ingest_throughput.py --workers 2 --batches 10

Each request runs in its own process (the API is served by several processes in
production; here, Django's in-process client per process), commits (deferred foreign-key
checks and WAL flush included), and the figure is all orders over the wall time from the
first request to the last response. The orders it wrote (ids 6xx-…) and its API key are
deleted afterwards unless ``--keep``.
"""

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from api.models import ApiKey  # noqa: E402
from bench.cases.api import BATCH, ORDERS, _account_with_products, _orders  # noqa: E402
from tickets.models import Buyer, Order  # noqa: E402

PREFIX = "6"  # order ids 6ww-bbbbbbb-nnnnnnn: never in demo, scale or the other benches


def _bodies(account, asins, *, worker: int, batches: int) -> list[str]:
    return [json.dumps(_orders(account, asins, prefix=f"{PREFIX}{worker:02d}-{batch:07d}")) for batch in range(batches)]


def _work(raw_key: str, bodies: list[str], start, results) -> None:
    connections.close_all()  # a forked process opens its own connection
    client = Client(SERVER_NAME="localhost", headers={"Authorization": f"Token {raw_key}"})
    start.wait()
    began = time.perf_counter()
    for body in bodies:
        response = client.post(ORDERS, body, content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(f"POST {ORDERS} answered {response.status_code}: {response.content[:300]!r}")
    results.put((began, time.perf_counter()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batches", type=int, default=10, help="requests of 1,000 orders per worker")
    parser.add_argument("--keep", action="store_true", help="keep the orders written")
    args = parser.parse_args()

    account, asins = _account_with_products(None)
    key = ApiKey(name="bench: ingest throughput", scope="ingest")
    raw_key = key.issue()
    key.save()
    key.seller_accounts.set([account])
    bodies = [_bodies(account, asins, worker=w, batches=args.batches) for w in range(args.workers)]
    connections.close_all()

    start = multiprocessing.Barrier(args.workers + 1)
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_work, args=(raw_key, bodies[w], start, results)) for w in range(args.workers)
    ]
    for worker in workers:
        worker.start()
    start.wait()
    spans = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(end for _, end in spans) - min(began for began, _ in spans)
    orders = args.workers * args.batches * BATCH
    print(
        f"{orders:,} orders in {args.workers * args.batches} requests from {args.workers} processes: "
        f"{elapsed:.2f} s, {orders / elapsed:,.0f} orders/s "
        f"({elapsed / args.batches * 1000:.0f} ms per request and process); load {os.getloadavg()[0]:.2f}"
    )
    if not args.keep:
        written = Order.objects.filter(amazon_order_id__startswith=PREFIX, seller_account=account)
        written.delete()
        Buyer.objects.filter(seller_account=account, amazon_buyer_id__startswith="BENCHBUYER", orders=None).delete()
    key.delete()


if __name__ == "__main__":
    main()
