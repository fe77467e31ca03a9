"""Upkeep of the per-day order counts (``OrderDayCount``) the database triggers append to.

The triggers (migration ``metrics.0002``) keep the counts exact on every write; what is
left to do here is folding the appended changes into one row per (account, channel, day)
so the ODR reads few rows, and checking or rebuilding the counts after something wrote
orders with the triggers off (a restore with ``--disable-triggers``, a replica role).
"""

from collections import Counter
from datetime import UTC, date

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from tickets.models import Order

from .models import OrderDayCount

Key = tuple[int, str, date]
_KEY = ("seller_account_id", "fulfillment_channel", "day")


def order_day_counts_compact() -> int:
    """Fold each key's appended rows into one (dropping keys that sum to zero); the rows
    removed. The deleted rows are exactly the ones summed (``DELETE … RETURNING``), so a
    change appended meanwhile by a concurrent ingest is never lost: it is either folded in
    or left for the next run."""
    table = OrderDayCount._meta.db_table
    key = ", ".join(_KEY)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE ({key}) IN "
            f"(SELECT {key} FROM {table} GROUP BY {key} HAVING COUNT(*) > 1 OR SUM(orders) = 0) "
            f"RETURNING {key}, orders"
        )
        removed = cursor.fetchall()
        totals: Counter[Key] = Counter()
        for account_id, channel, day, orders in removed:
            totals[(account_id, channel, day)] += orders
        OrderDayCount.objects.bulk_create(
            OrderDayCount(seller_account_id=a, fulfillment_channel=c, day=d, orders=n)
            for (a, c, d), n in totals.items()
            if n
        )
    return len(removed)


def _counted_orders() -> dict[Key, int]:
    days = (
        Order.objects.order_by()
        .values_list("seller_account_id", "fulfillment_channel", TruncDate("purchased_at", tzinfo=UTC))
        .annotate(n=Count("*"))
    )
    return {(a, c, d): n for a, c, d, n in days}


def _kept_counts() -> dict[Key, int]:
    kept = OrderDayCount.objects.order_by().values_list(*_KEY).annotate(n=Sum("orders"))
    return {(a, c, d): n for a, c, d, n in kept if n}


def order_day_counts_drift() -> dict[Key, tuple[int, int]]:
    """The keys whose kept count differs from the orders table: key → (kept, counted).
    Empty when the triggers did their job (it counts every order: an audit, not a read path)."""
    counted, kept = _counted_orders(), _kept_counts()
    return {
        k: (kept.get(k, 0), counted.get(k, 0))
        for k in counted.keys() | kept.keys()
        if kept.get(k, 0) != counted.get(k, 0)
    }


def order_day_counts_rebuild() -> int:
    """Recount every key from the orders table; the rows written. Writes to orders wait
    meanwhile (PostgreSQL: a SHARE lock), so nothing slips between the count and the swap."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Order._meta.db_table} IN SHARE MODE")
        OrderDayCount.objects.all().delete()
        rows = OrderDayCount.objects.bulk_create(
            (
                OrderDayCount(seller_account_id=a, fulfillment_channel=c, day=d, orders=n)
                for (a, c, d), n in _counted_orders().items()
            ),
            batch_size=5000,
        )
    return len(rows)
