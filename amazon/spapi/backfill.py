"""The first sync of an account: its order history from Amazon's All Orders report, stored
through the same order intake as every other channel, before the incremental searchOrders
sync takes over from the report's end.

Why a report: searchOrders allows 0.0056 requests a second (100 orders a page), so 90 days
of a busy account would take days; one report carries them all.

Rules:
- The range is ``SPAPI_BACKFILL_DAYS`` (default 90: the ODR's 60-day window + 30) of order
  dates, ending two minutes before the first attempt; a resumed backfill reuses its open
  ``ReportRun`` (same report, same range), never a new one.
- Rows are stored ``SPAPI_BACKFILL_BATCH`` orders per transaction, and the report's cursor
  (``ReportRun.rows_done``) moves in the same transaction: a worker killed mid-file loses
  nothing and stores nothing twice; the next run skips the rows already stored. Amazon writes
  an order's item rows next to each other; a batch ends only between orders.
- Once every row is stored, the connection's high-water mark becomes the report's end, so
  searchOrders reads only what changed since (with its overlap).
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets.intake.orders import orders_stored
from tickets.models import Buyer

from .intake import orders_take
from .models import SpApiConnection
from .orders import KeptFields, report_order_payload
from .reports import (
    report_processed,
    report_progress,
    report_ready,
    report_rows,
    report_runs_open,
    request_report,
)

ORDERS_REPORT = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"
# Amazon refuses a dataEndTime in the future; two minutes keeps clear of clock skew.
END_MARGIN = timedelta(minutes=2)


def backfill_range(connection: SpApiConnection, *, now: datetime) -> tuple[datetime, datetime]:
    """The open backfill's range, else a new one ending now."""
    for run in report_runs_open(connection, ORDERS_REPORT):
        if run.data_start and run.data_end:
            return run.data_start, run.data_end
    end = (now - END_MARGIN).replace(microsecond=0)
    return end - timedelta(days=settings.SPAPI_BACKFILL_DAYS), end


def orders_backfill(connection: SpApiConnection, *, now: datetime, skipped: list[str]) -> int:
    """Store the account's order history; returns the orders created or changed.

    Raises ``ReportNotReady`` while Amazon prepares the report (come back then) and
    ``ReportFailed`` if Amazon could not make it (the next run asks again)."""
    start, end = backfill_range(connection, now=now)
    report_id = request_report(connection, ORDERS_REPORT, start=start, end=end)
    run = report_ready(connection, report_id)
    written = 0
    rows = report_rows(connection, report_id, skip=run.rows_done)
    for orders, rows_done in _batches(rows, start=run.rows_done):
        written += _store_batch(connection, report_id, orders, rows_done=rows_done, skipped=skipped)
    with transaction.atomic():
        report_processed(connection, report_id)
        mark = connection.orders_updated_after
        mark = end if mark is None or mark < end else mark
        SpApiConnection.objects.filter(pk=connection.pk).update(backfilled_at=now, orders_updated_after=mark)
        connection.backfilled_at, connection.orders_updated_after = now, mark
    return written


def _batches(rows: Iterator[dict], *, start: int) -> Iterator[tuple[list[list[dict]], int]]:
    """Orders (their item rows) in batches, each with the row position after its last order."""
    size = settings.SPAPI_BACKFILL_BATCH
    batch: list[list[dict]] = []
    current: list[dict] = []
    position = start
    for row in rows:
        if current and row.get("amazon-order-id") != current[0].get("amazon-order-id"):
            batch.append(current)
            current = []
            if len(batch) >= size:
                yield batch, position
                batch = []
        current.append(row)
        position += 1
    if current:
        batch.append(current)
    if batch:
        yield batch, position


def _store_batch(
    connection: SpApiConnection, report_id: str, orders: list[list[dict]], *, rows_done: int, skipped: list[str]
) -> int:
    account_id = connection.seller_account_id
    orders = [rows for rows in orders if rows[0].get("amazon-order-id")]
    with transaction.atomic():
        stored = orders_stored(keys=[(account_id, rows[0]["amazon-order-id"]) for rows in orders])
        buyer_ids = dict(
            Buyer.objects.filter(pk__in={s.buyer_id for s in stored.values() if s.buyer_id}).values_list(
                "pk", "amazon_buyer_id"
            )
        )
        payload = []
        for rows in orders:
            known = stored.get((account_id, rows[0]["amazon-order-id"]))
            kept = None
            if known is not None:
                buyer = {"amazon_buyer_id": buyer_ids[known.buyer_id]} if known.buyer_id in buyer_ids else None
                kept = KeptFields(
                    known.status,
                    buyer,
                    known.latest_ship_date,
                    known.earliest_delivery_date,
                    known.latest_delivery_date,
                )
            payload.append(report_order_payload(rows, seller_account_id=account_id, kept=kept))
        _taken, written = orders_take(account_id=account_id, payload=payload, stored=stored, skipped=skipped)
        report_progress(connection, report_id, rows_done=rows_done)
        # The claim's lease runs from its last sign of life: a long backfill keeps it.
        SpApiConnection.objects.filter(pk=connection.pk).update(
            orders_synced=F("orders_synced") + written, sync_started_at=timezone.now()
        )
    return written
