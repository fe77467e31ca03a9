"""SP-API sync benchmarks (issue #18) against the local sandbox, on a simulated clock.

1. Backfill: a seller with ``--orders`` orders in the 90-day history, stored from the All Orders
   report through the order intake: wall time, orders/s, and the process's peak memory growth
   during the backfill (sampled RSS of the one process, which also serves the sandbox: its
   gzipped copy of the document is counted too; the document itself is made before).
2. Incremental sync of 1,000 changed orders by searchOrders: the requests made against the
   minimum (100 a page), with a full usage-plan bucket and with an empty one (Amazon's real
   rates: 0.0056 requests/s, burst 20), the waits counted on the simulated clock.
3. The desk's ODR against the sandbox's Account Health report on the same data, per channel,
   once the claims and chargebacks (which the SP-API does not give) came in through the intake.

``--sandbox-process`` measures the backfill alone with the sandbox in a process of its own
(``python -m amazon_sandbox`` on loopback, real time): the bench process is then the desk
only, and its RSS is sampled every 50 ms and after each batch (checkpoints every 10,000
orders), so memory that grows with the history shows. Parts 2 and 3 need the simulated clock
(the in-process sandbox) and are not run.

Run it on a fresh, migrated database (it leaves its rows there):

    dropdb -h 127.0.0.1 -U postgres --if-exists csmdesk_spapi_bench
    createdb -h 127.0.0.1 -U postgres csmdesk_spapi_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/csmdesk_spapi_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/spapi_bench.py --orders 200000
    .venv/bin/python bench/spapi_bench.py --orders 200000 --sandbox-process   # again on a fresh database
"""

import argparse
import math
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402

import amazon.spapi.backfill as backfill_module  # noqa: E402
from amazon.spapi.models import SpApiConnection  # noqa: E402
from amazon.spapi.ratelimit import token_buckets  # noqa: E402
from amazon.spapi.services import connection_sync  # noqa: E402
from amazon_sandbox import FakeClock, Sandbox, serve_in_thread  # noqa: E402
from metrics.models import AmazonOdr  # noqa: E402
from tickets.intake.claims import a_to_z_claim_record, chargeback_record  # noqa: E402
from tickets.models import Order, SellerAccount  # noqa: E402

START = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
HISTORY_DAYS, FUTURE_DAYS = 90, 14  # the sandbox's marketplace: 90 days back, 14 ahead


def rss_mib(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def generated_orders(orders: int) -> int:
    """The sandbox's order count (104 days) that puts ``orders`` in the 90 days of history."""
    return round(orders * (HISTORY_DAYS + FUTURE_DAYS) / HISTORY_DAYS)


def connect_account(*, selling_partner_id: str, url: str, refresh_token: str, today) -> SpApiConnection:
    stamp = int(time.time())
    account = SellerAccount.objects.create(
        name=f"Bench seller {stamp}", merchant_id=selling_partner_id, marketplace_id="ATVPDKIKX0DER", region="NA"
    )
    connection = SpApiConnection(
        seller_account=account,
        selling_partner_id=selling_partner_id,
        region="NA",
        endpoint=url,
        marketplace_ids=["ATVPDKIKX0DER"],
        # The daily reports are measured in part 3.
        feedback_synced_on=today,
        health_synced_on=today,
    )
    connection.refresh_token_set(refresh_token)
    connection.save()
    return connection


def point_desk_at(url: str) -> None:
    settings.SPAPI_LWA_TOKEN_URL = f"{url}/auth/o2/token"
    settings.SPAPI_CONSENT_URL = f"{url}/apps/authorize/consent"
    settings.SPAPI_ENDPOINTS = {"NA": url, "EU": url, "FE": url}
    settings.SPAPI_BACKFILL_DAYS = HISTORY_DAYS
    # Like production: with DEBUG on, Django keeps every SQL statement (and its parameters) in memory.
    settings.DEBUG = False
    # The sandbox writes a report's document inside createReport (Amazon answers at once).
    settings.SPAPI_TIMEOUT_SECONDS = 600


class PeakRss(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak, self.running = rss_mib(), True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mib())
            time.sleep(0.05)

    def stop(self) -> float:
        self.running = False
        self.join()
        return self.peak


class Bench:
    def __init__(self, orders: int, seed: int) -> None:
        self.clock = FakeClock(START)
        generated = generated_orders(orders)
        started = time.perf_counter()
        self.sandbox = Sandbox(clock=self.clock, seed=seed, orders=generated, sellers=1, report_seconds=30)
        self.generate_seconds = time.perf_counter() - started
        self.seller = self.sandbox.selling_partner_ids[0]
        self.marketplace = self.sandbox.marketplaces[self.seller]
        self.calls: Counter[str] = Counter()
        operation = self.sandbox._operation

        def counted(op, *args, **kwargs):
            self.calls[op.operation_id] += 1
            answer = operation(op, *args, **kwargs)
            if answer[0] == 429:
                self.calls[f"{op.operation_id} 429"] += 1
            return answer

        self.sandbox._operation = counted
        self.running = serve_in_thread(self.sandbox)
        point_desk_at(self.running.url)
        self.travel = time_machine.travel(self.clock.now(), tick=False)
        self.traveller = self.travel.start()

    def advance(self, seconds: float) -> None:
        self.traveller.move_to(self.clock.advance(seconds=seconds))

    def connect(self) -> SpApiConnection:
        return connect_account(
            selling_partner_id=self.seller,
            url=self.running.url,
            refresh_token=self.sandbox.self_authorize(self.seller),
            today=self.clock.now().date(),
        )


def backfill(bench: Bench, connection: SpApiConnection) -> dict:
    visible = len(bench.marketplace.visible(bench.clock.now()))
    asked = connection_sync(connection_id=connection.pk)  # asks for the report (the sandbox builds it now)
    assert asked.retry_after is not None and not asked.error, asked
    bench.advance(60)
    baseline = rss_mib()
    sampler = PeakRss()
    sampler.start()
    started = time.perf_counter()
    result = connection_sync(connection_id=connection.pk)
    wall = time.perf_counter() - started
    peak = sampler.stop()
    assert result.backfilled, result
    stored = Order.objects.filter(seller_account=connection.seller_account).count()
    return {
        "orders_in_sandbox": visible,
        "orders_stored": stored,
        "backfilled": result.backfilled,
        "wall_s": wall,
        "orders_per_s": stored / wall,
        "rss_baseline_mib": baseline,
        "rss_peak_growth_mib": peak - baseline,
        "requests": dict(bench.calls),
    }


def changed_after(bench: Bench, mark: datetime, count: int) -> datetime:
    """The moment by which ``count`` orders have changed since ``mark``."""
    firsts = []
    for order in bench.marketplace.orders:
        later = [m for m in order.events() if m > mark]
        if later:
            firsts.append(min(later))
    firsts.sort()
    return firsts[count - 1]


def incremental(bench: Bench, connection: SpApiConnection, changed: int) -> dict:
    connection.refresh_from_db()
    mark = connection.orders_updated_after
    until = changed_after(bench, mark, changed) + timedelta(minutes=2, seconds=1)
    bench.advance((until - bench.clock.now()).total_seconds())
    overlap = timedelta(minutes=settings.SPAPI_SYNC_OVERLAP_MINUTES)

    def searched() -> int:
        """The orders the search must return now: updated since the mark less the overlap,
        up to two minutes ago (searchOrders' lastUpdatedBefore)."""
        now = bench.clock.now()
        end = now - timedelta(minutes=2)
        return sum(1 for o in bench.marketplace.visible(now) if mark - overlap <= o.last_updated(now) <= end)

    read = searched()
    figures = {"changed_orders": changed, "orders_in_search_incl_overlap": read}
    # a) a bucket full after a quiet spell.
    bench.calls.clear()
    started = time.perf_counter()
    result = connection_sync(connection_id=connection.pk)
    figures["full_bucket"] = {
        "searchOrders_requests": bench.calls["searchOrders"],
        "minimum_requests": math.ceil(read / 100),
        "complete": result.complete,
        "orders_written": result.orders_written,
        "wall_s": time.perf_counter() - started,
        "simulated_wait_s": 0.0,
    }
    # b) the same walk with the bucket empty (desk and Amazon): Amazon's real rate decides.
    SpApiConnection.objects.filter(pk=connection.pk).update(orders_updated_after=mark, backoff_until=None)
    op = bench.sandbox.operations["searchOrders"]
    rate, burst = bench.sandbox.usage_plan(op)
    while bench.sandbox.limiter.allow(
        selling_partner_id=bench.seller, operation_id="searchOrders", rate=rate, burst=burst
    ):
        pass
    token_buckets().drain(selling_partner_id=bench.seller, operation="searchOrders")
    bench.calls.clear()
    waited, runs, started = 0.0, 0, time.perf_counter()
    target = until - timedelta(minutes=2)  # the 1,000 changed orders are stored once the mark passes it
    while runs < 60:
        runs += 1
        result = connection_sync(connection_id=connection.pk)
        connection.refresh_from_db()
        if result.complete or connection.orders_updated_after >= target:
            break
        wait = result.retry_after or 60.0
        bench.advance(wait)
        waited += wait
    stored_changed = connection.orders_updated_after >= target
    figures["empty_bucket"] = {
        "searchOrders_requests": bench.calls["searchOrders"],
        "minimum_requests": math.ceil(read / 100),
        "changed_orders_stored": stored_changed,
        "amazon_429s": bench.calls["searchOrders 429"],
        "sync_runs": runs,
        "simulated_wait_s": waited,
        "wall_s": time.perf_counter() - started,
    }
    return figures


def odr_comparison(bench: Bench, connection: SpApiConnection) -> list[dict]:
    """Claims and chargebacks in through the intake (the REST API's path), then the daily reports."""
    now = bench.clock.now()
    orders = {o.amazon_order_id: o for o in Order.objects.filter(seller_account=connection.seller_account)}
    cases = 0
    for source in bench.marketplace.visible(now):
        order = orders.get(source.order_id)
        if order is None:
            continue
        for claim in source.claims:
            values = {"status": claim.status_at(now), "filed_at": claim.filed_at, "amount": claim.amount}
            values |= {"buy_shipping_protected": claim.buy_shipping_protected, "decided_at": claim.decided_at}
            a_to_z_claim_record(order=order, claim_id=claim.claim_id, values=values, actor="bench")
            cases += 1
        for chargeback in source.chargebacks:
            values = {"status": chargeback.status_at(now), "filed_at": chargeback.filed_at}
            values |= {"kind": chargeback.kind, "amount": chargeback.amount, "decided_at": chargeback.decided_at}
            chargeback_record(order=order, chargeback_id=chargeback.chargeback_id, values=values, actor="bench")
            cases += 1
    SpApiConnection.objects.filter(pk=connection.pk).update(
        feedback_synced_on=None, health_synced_on=None, backoff_until=None
    )
    for _ in range(10):
        connection_sync(connection_id=connection.pk)
        connection.refresh_from_db()
        if connection.health_synced_on == bench.clock.now().date():
            break
        bench.advance(60)
    rows = []
    for row in AmazonOdr.objects.filter(seller_account=connection.seller_account).order_by("channel"):
        desk = row.details["desk"]
        rows.append(
            {
                "channel": row.channel,
                "window": f"{row.window_start}..{row.window_end}",
                "amazon_orders": row.orders,
                "desk_orders": desk["orders"],
                "amazon_defective": row.defective_orders,
                "desk_defective": desk["defective_orders"],
                "amazon_odr_pct": float(row.value),
                "desk_odr_pct": desk["odr"],
                "identical": row.orders == desk["orders"] and row.defective_orders == desk["defective_orders"],
                "claims_and_chargebacks_loaded": cases,
            }
        )
    return rows


class SandboxProcess:
    """``python -m amazon_sandbox`` in a process of its own, on loopback and real time."""

    def __init__(self, *, orders: int, seed: int, report_seconds: float) -> None:
        with socket.socket() as probe:  # a free port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "amazon_sandbox", "--port", str(port), "--seed", str(seed)]
        command += ["--orders", str(generated_orders(orders)), "--sellers", "1"]
        command += ["--report-seconds", str(report_seconds)]
        started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = f"http://127.0.0.1:{port}"
        for line in self.process.stdout:  # the banner ends with the seller's self-authorized token
            if line.startswith("  seller "):
                self.seller = line.split()[1]
                self.refresh_token = line.rsplit("refresh_token=", 1)[1].strip()
                break
        else:
            raise RuntimeError("the sandbox process ended before it served")
        self.generate_seconds = time.perf_counter() - started

    def rss_mib(self) -> float:
        return rss_mib(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def backfill_separate_process(orders: int, seed: int) -> dict:
    """The backfill with the sandbox in another process: the desk's own RSS along the way."""
    report_seconds = 1.0
    sandbox = SandboxProcess(orders=orders, seed=seed, report_seconds=report_seconds)
    try:
        point_desk_at(sandbox.url)
        token_buckets().reset()
        connection = connect_account(
            selling_partner_id=sandbox.seller,
            url=sandbox.url,
            refresh_token=sandbox.refresh_token,
            today=datetime.now(UTC).date(),
        )
        started = time.perf_counter()
        asked = connection_sync(connection_id=connection.pk)  # createReport: the sandbox writes the document
        assert asked.retry_after is not None and not asked.error, asked
        ask_seconds = time.perf_counter() - started
        # The desk polls the report when its run says (report_ready never sleeps): wait until then.
        time.sleep(max(asked.retry_after, report_seconds) + 0.5)
        SpApiConnection.objects.filter(pk=connection.pk).update(backoff_until=None)

        checkpoints, done, every = [], [0], 10_000
        real_store_batch = backfill_module._store_batch

        def measured_batch(connection, report_id, orders, **kwargs):
            written = real_store_batch(connection, report_id, orders, **kwargs)
            before, done[0] = done[0], done[0] + len(orders)
            if done[0] // every > before // every:
                elapsed = time.perf_counter() - started
                checkpoints.append({"orders": done[0], "rss_mib": round(rss_mib(), 1), "s": round(elapsed, 1)})
            return written

        backfill_module._store_batch = measured_batch
        sandbox_rss = sandbox.rss_mib()
        baseline = rss_mib()
        sampler = PeakRss()
        sampler.start()
        started, cpu = time.perf_counter(), time.process_time()
        result = connection_sync(connection_id=connection.pk)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = sampler.stop()
        backfill_module._store_batch = real_store_batch
        assert result.backfilled and not result.error, result
        stored = Order.objects.filter(seller_account=connection.seller_account).count()
        return {
            "sandbox_generated_s": round(sandbox.generate_seconds, 1),
            "create_report_s": round(ask_seconds, 1),
            "orders_stored": stored,
            "wall_s": round(wall, 1),
            "desk_cpu_s": round(cpu, 1),
            "orders_per_s": round(stored / wall),
            "desk_rss_baseline_mib": round(baseline, 1),
            "desk_rss_peak_mib": round(peak, 1),
            "desk_rss_checkpoints": checkpoints,
            "sandbox_process_rss_mib": {"before": round(sandbox_rss, 1), "after": round(sandbox.rss_mib(), 1)},
        }
    finally:
        sandbox.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200_000, help="orders in the seller's 90-day history")
    parser.add_argument("--changed", type=int, default=1000, help="orders changed before the incremental sync")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sandbox-process", action="store_true", help="the backfill alone, the sandbox in a process")
    args = parser.parse_args()
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().strip()
    if args.sandbox_process:
        print(f"load before: {load}", flush=True)
        print("backfill (sandbox in its own process):", backfill_separate_process(args.orders, args.seed), flush=True)
        with open("/proc/loadavg") as loadavg:
            print(f"load after: {loadavg.read().strip()}")
        return 0
    bench = Bench(args.orders, args.seed)
    token_buckets().reset()
    connection = bench.connect()
    print(f"load before: {load}; sandbox generated in {bench.generate_seconds:.1f} s", flush=True)
    print("backfill:", backfill(bench, connection), flush=True)
    print("incremental:", incremental(bench, connection, args.changed), flush=True)
    for row in odr_comparison(bench, connection):
        print("odr:", row, flush=True)
    with open("/proc/loadavg") as loadavg:
        print(f"load after: {loadavg.read().strip()}")
    bench.travel.stop()
    bench.running.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
