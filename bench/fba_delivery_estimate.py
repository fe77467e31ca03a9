"""The FBA delivery estimate (amazon/spapi/deliveries.py) inside a sync: the cost of one run
that marks ``--orders`` shipped FBA orders past Amazon's promise (the per-sync cap is 1,000),
and of the run after it, which finds nothing. Half the orders have a quick-start product and
proactive guides on, so the guide's row is written too (its send is a worker's, stubbed out).

    DATABASE_URL=postgres://… .venv/bin/python bench/fba_delivery_estimate.py [--orders 1000]

On a migrated database; everything runs in one transaction that is rolled back. Prints the
desk's CPU time (``time.process_time``), the wall time and the SQL statements.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from amazon.spapi import deliveries
    from tickets.models import Order, OrderItem, Product, SellerAccount
    from tickets.proactive import services as proactive

    proactive.proactive_guide_enqueue = lambda *, guide_id: True  # the worker's part, not the sweep's
    now = timezone.now()
    with transaction.atomic():
        account = SellerAccount.objects.create(
            name="FBA bench", merchant_id="BENCHFBA01", marketplace_id="ATVPDKIKX0DER", proactive_guides_enabled=True
        )
        product = Product.objects.create(
            seller_account=account, asin="B0BENCH001", sku="B-1", title="Grinder", guide_url="https://x.example/g"
        )
        orders = Order.objects.bulk_create(
            Order(
                seller_account=account,
                amazon_order_id=f"113-{i // 10_000_000:07d}-{i % 10_000_000:07d}",
                purchased_at=now - timedelta(days=9),
                fulfillment_channel="FBA",
                status=Order.Status.SHIPPED,
                order_total=10,
                latest_delivery_date=now - timedelta(days=1, minutes=i),
            )
            for i in range(args.orders)
        )
        OrderItem.objects.bulk_create(
            OrderItem(order=o, product=product, quantity=1, unit_price=10) for o in orders[::2]
        )
        for label in ("first run", "run after"):
            cpu, wall = time.process_time(), time.perf_counter()
            statements = []

            def count(execute, sql, params, many, context, statements=statements):
                statements.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                marked = deliveries.fba_deliveries_estimate(seller_account_id=account.pk, now=now, actor="bench")
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(
                f"| {label} | {args.orders:,} | {marked:,} | {cpu:.2f} s | {wall:.2f} s | {len(statements):,} |",
                flush=True,
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
