"""A sync worker process killed with SIGKILL in the middle of a transaction (orders written,
not committed): the next worker stores every order once, nothing lost, nothing twice.

The worker (``killable_worker.py``) is a process of its own on the test's database and the
test's sandbox; PostgreSQL, not Python, undoes what it had not committed. Needs a server
database, which the worker process shares with the test."""

import os
import select
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection as db_connection

from amazon.spapi.backfill import ORDERS_REPORT
from amazon.spapi.models import ReportRun
from amazon.spapi.services import connection_sync
from tickets.models import Order, OrderEvent, OrderItem

from .conftest import connect
from .test_backfill import backfill_window, expected_ids, stored_ids

BASE_DIR = Path(__file__).resolve().parents[3]
BATCH = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(db_connection.vendor != "postgresql", reason="the worker process needs a server database"),
]


def _database_url() -> str:
    db = db_connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def items_by_order(account) -> dict[str, list[tuple[str, int]]]:
    """Each stored order's lines (ASIN, quantity): a batch or page stored twice would double them."""
    lines: dict[str, list[tuple[str, int]]] = {}
    rows = OrderItem.objects.filter(order__seller_account=account)
    for order_id, asin, quantity in rows.values_list("order__amazon_order_id", "product__asin", "quantity"):
        lines.setdefault(order_id, []).append((asin, quantity))
    return {order_id: sorted(items) for order_id, items in lines.items()}


def amazons_items(marketplace, order_ids) -> dict[str, list[tuple[str, int]]]:
    sources = {o.order_id: o for o in marketplace.orders}
    return {i: sorted((item.product.asin, item.quantity) for item in sources[i].items) for i in order_ids}


def kill_worker_in_transaction(connection, sandbox_url, clock, *, stage: str, pause_at: int) -> None:
    """Start a worker on ``connection`` and SIGKILL it inside its ``pause_at``-th transaction."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SPAPI_BACKFILL_BATCH": str(BATCH),
        "SPAPI_SYNC_PAGE_SIZE": str(BATCH),
    }
    command = [sys.executable, "-m", "tests.amazon.spapi.killable_worker", str(connection.pk), sandbox_url]
    command += [clock.now().isoformat(), stage, str(pause_at)]
    worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True)
    said = []
    try:
        # Another process's progress: real time has to pass here, no clock to move.
        deadline = time.monotonic() + 120
        while "paused" not in said and time.monotonic() < deadline:
            ready, _, _ = select.select([worker.stdout], [], [], deadline - time.monotonic())
            line = worker.stdout.readline() if ready else ""
            if not line:
                break
            said.append(line.strip())
    finally:
        worker.kill()
        worker.wait(timeout=30)
    assert "paused" in said, f"the worker did not reach transaction {pause_at}: {said}"
    assert worker.returncode == -9


def test_a_worker_process_killed_inside_a_backfill_batch_loses_and_duplicates_nothing(
    sandbox, sandbox_url, seller_account, marketplace, clock, advance, settings
):
    connection = connect(sandbox, sandbox_url, seller_account, backfilled=False)
    start, end = backfill_window(clock)
    connection_sync(connection_id=connection.pk)  # the order report is requested
    advance(seconds=60)
    kill_worker_in_transaction(connection, sandbox_url, clock, stage="backfill", pause_at=4)
    # Three batches committed; the fourth's written orders died with the worker's transaction.
    assert (Order.objects.count(), ReportRun.objects.get(report_type=ORDERS_REPORT).rows_done > 0) == (
        3 * BATCH,
        True,
    )
    advance(minutes=16)  # the dead worker's claim lapses
    connection_sync(connection_id=connection.pk)
    ids = stored_ids(seller_account)
    assert ids == expected_ids(marketplace, start=start, end=end, now=clock.now())
    assert items_by_order(seller_account) == amazons_items(marketplace, ids)


def test_a_worker_process_killed_inside_a_search_page_loses_and_duplicates_nothing(
    sandbox, sandbox_url, seller_account, marketplace, clock, advance, settings
):
    settings.SPAPI_SYNC_PAGE_SIZE = BATCH
    connection = connect(sandbox, sandbox_url, seller_account)
    kill_worker_in_transaction(connection, sandbox_url, clock, stage="sync", pause_at=2)
    connection.refresh_from_db()
    assert (Order.objects.count(), connection.orders_synced) == (BATCH, BATCH)
    advance(minutes=16)
    result = connection_sync(connection_id=connection.pk)
    now = clock.now()
    expected = {
        o.order_id
        for o in marketplace.visible(now)
        if now - timedelta(days=30, minutes=16, seconds=10) <= o.last_updated(now) <= now - timedelta(minutes=2)
    }
    events = list(OrderEvent.objects.values_list("order__amazon_order_id", "event_id"))
    ids = stored_ids(seller_account)
    assert result.complete and ids >= expected
    assert items_by_order(seller_account) == amazons_items(marketplace, ids)
    assert len(events) == len(set(events))
