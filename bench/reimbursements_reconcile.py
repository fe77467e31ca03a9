"""Bench: the FBA reimbursement reconciliation over one year of a 1M-order account.

Generates, set-based in PostgreSQL (``generate_series``, one INSERT … SELECT per table), the
FBA rows such an account accumulates in a year — 60 % of orders FBA; 6 % of those refunded
(half returned, most of the rest reimbursed automatically, a tenth of those reversed); 1 %
replaced; a warehouse loss or damage per 200 FBA orders (a quarter found again, most
reimbursed) — for a fresh seller account, then times ``reconcile`` twice: the first run
(finds the cases), and a second at the same moment (the steady state: nothing changes).
Per run: wall time, SQL statements, peak Python memory (tracemalloc) and the process's RSS.

    createdb -h 127.0.0.1 -U postgres csmdesk_fba_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/csmdesk_fba_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/reimbursements_reconcile.py --orders 1000000

The account's orders are not written (the rules read the orders table only to exclude a
seller-fulfilled order and for an item's price: index lookups per candidate); ``--keep``
keeps the rows for a look afterwards.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from reimbursements.models import ReimbursementCase  # noqa: E402
from reimbursements.rules import reconcile  # noqa: E402
from tickets.models import SellerAccount  # noqa: E402

NOW = datetime(2026, 12, 1, tzinfo=UTC)

# One INSERT … SELECT per table; %(a)s the account id, %(n)s the orders, %(now)s the moment.
# Order i is placed at {order_at} (its refund, return and payments follow it), warehouse loss i
# at {loss_at}; an order is FBA when i % 5 < 3; hashtext() of i makes the other picks.
ORDER_AT = "%(now)s - interval '90 days' - (365.0 * i / %(n)s) * interval '1 day'"
LOSS_AT = "%(now)s - interval '30 days' - (365.0 * i / %(n)s) * interval '1 day'"
GENERATE = {
    "refunds": """
        INSERT INTO reimbursements_fbarefund
            (seller_account_id, amazon_order_id, order_adjustment_item_id, posted_at, sku, quantity, currency, amount)
        SELECT %(a)s, 'B01-' || lpad(i::text, 7, '0'), 'ADJ' || i, {order_at}
               + interval '10 days', 'SKU-' || (i %% 400), 1 + (i %% 7 = 0)::int, 'USD', 20 + (i %% 400) / 4.0
        FROM generate_series(1::bigint, %(n)s::bigint) AS i
        WHERE i %% 5 < 3 AND abs(hashtext('o' || i)) %% 100 < 6
    """,
    "returns": """
        INSERT INTO reimbursements_fbacustomerreturn
            (seller_account_id, amazon_order_id, license_plate_number, return_date, sku, asin, fnsku, quantity,
             fulfillment_center_id, detailed_disposition, reason, status)
        SELECT %(a)s, 'B01-' || lpad(i::text, 7, '0'), 'LPN' || i,
               {order_at} + interval '20 days', 'SKU-' || (i %% 400),
               'B0' || lpad((i %% 400)::text, 8, '0'), 'X00' || lpad((i %% 400)::text, 7, '0'), 1, 'PHX7',
               (ARRAY['SELLABLE','SELLABLE','SELLABLE','SELLABLE','SELLABLE','SELLABLE','SELLABLE',
                      'CUSTOMER_DAMAGED','CARRIER_DAMAGED','DAMAGED'])[1 + abs(hashtext('d' || i)) %% 10],
               'DEFECTIVE', 'Returned'
        FROM generate_series(1::bigint, %(n)s::bigint) AS i
        WHERE i %% 5 < 3 AND abs(hashtext('o' || i)) %% 100 < 3
    """,
    "replacements": """
        INSERT INTO reimbursements_fbareplacement
            (seller_account_id, replacement_amazon_order_id, original_amazon_order_id, shipment_date, sku, asin,
             quantity, fulfillment_center_id, replacement_reason_code)
        SELECT %(a)s, 'R01-' || lpad(i::text, 7, '0'), 'B01-' || lpad(i::text, 7, '0'),
               {order_at} + interval '5 days', 'SKU-' || (i %% 400),
               'B0' || lpad((i %% 400)::text, 8, '0'), 1, 'ONT8', '1'
        FROM generate_series(1::bigint, %(n)s::bigint) AS i
        WHERE i %% 5 < 3 AND abs(hashtext('o' || i)) %% 100 = 6
    """,
    # Refunds not returned: 70 % reimbursed 60 days after the refund, a tenth of those reversed.
    "refund reimbursements": """
        INSERT INTO reimbursements_fbareimbursement
            (seller_account_id, reimbursement_id, approval_date, case_id, amazon_order_id, reason, sku, fnsku, asin,
             condition, currency, amount_per_unit, amount_total, quantity_cash, quantity_inventory, quantity_total,
             original_reimbursement_id, original_reimbursement_type)
        SELECT %(a)s, 'RB' || i || v.k, {order_at} + interval '70 days'
               + v.k * interval '15 days', '', 'B01-' || lpad(i::text, 7, '0'),
               CASE v.k WHEN 0 THEN 'CustomerReturn' ELSE 'Reimbursement_Reversal' END, 'SKU-' || (i %% 400),
               'X00' || lpad((i %% 400)::text, 7, '0'), 'B0' || lpad((i %% 400)::text, 8, '0'), 'NewItem', 'USD',
               17, 17 * v.sign, v.sign, 0, v.sign, CASE v.k WHEN 1 THEN 'RB' || i || '0' ELSE '' END,
               CASE v.k WHEN 1 THEN 'CustomerReturn' ELSE '' END
        FROM generate_series(1::bigint, %(n)s::bigint) AS i
        CROSS JOIN (VALUES (0, 1), (1, -1)) AS v(k, sign)
        WHERE i %% 5 < 3 AND abs(hashtext('o' || i)) %% 100 BETWEEN 3 AND 5 AND (i %% 10) < 7
          AND (v.k = 0 OR i %% 10 = 0)
    """,
    # Warehouse: a loss (or damage) per 200 FBA orders; 25 % found again, 60 % reimbursed.
    "ledger losses": """
        INSERT INTO reimbursements_fbaledgeradjustment
            (seller_account_id, reference_id, fnsku, reason, adjusted_at, asin, sku, title, quantity,
             fulfillment_center, disposition, country)
        SELECT %(a)s, 'L' || i, 'X00' || lpad((i %% 400)::text, 7, '0'), (ARRAY['M','M','M','E','6'])[1 + i %% 5],
               {loss_at}, 'B0' || lpad((i %% 400)::text, 8, '0'),
               'SKU-' || (i %% 400), 'Product', -(1 + i %% 3), 'PHX7', 'SELLABLE', 'US'
        FROM generate_series(1::bigint, %(n)s::bigint) AS i
        WHERE i %% 333 = 0
    """,
    "ledger found": """
        INSERT INTO reimbursements_fbaledgeradjustment
            (seller_account_id, reference_id, fnsku, reason, adjusted_at, asin, sku, title, quantity,
             fulfillment_center, disposition, country)
        SELECT %(a)s, 'F' || i, 'X00' || lpad((i %% 400)::text, 7, '0'), 'F',
               {loss_at} + interval '12 days',
               'B0' || lpad((i %% 400)::text, 8, '0'), 'SKU-' || (i %% 400), 'Product', 1, 'PHX7', 'SELLABLE', 'US'
        FROM generate_series(1::bigint, %(n)s::bigint) AS i
        WHERE i %% 333 = 0 AND (i / 333) %% 4 = 0
    """,
    "warehouse reimbursements": """
        INSERT INTO reimbursements_fbareimbursement
            (seller_account_id, reimbursement_id, approval_date, case_id, amazon_order_id, reason, sku, fnsku, asin,
             condition, currency, amount_per_unit, amount_total, quantity_cash, quantity_inventory, quantity_total,
             original_reimbursement_id, original_reimbursement_type)
        SELECT %(a)s, 'RW' || i, {loss_at} + interval '20 days', '', '',
               'Lost_Warehouse', 'SKU-' || (i %% 400), 'X00' || lpad((i %% 400)::text, 7, '0'),
               'B0' || lpad((i %% 400)::text, 8, '0'), 'NewItem', 'USD', 15, 15 * (1 + i %% 3), 1 + i %% 3, 0,
               1 + i %% 3, '', ''
        FROM generate_series(1::bigint, %(n)s::bigint) AS i
        WHERE i %% 333 = 0 AND (i / 333) %% 4 IN (1, 2)
    """,
}
GENERATE = {name: sql.replace("{order_at}", ORDER_AT).replace("{loss_at}", LOSS_AT) for name, sql in GENERATE.items()}


class Counter:
    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(account: SellerAccount) -> dict:
    counter = Counter()
    tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = reconcile(seller_account=account, now=NOW)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "statements": counter.statements,
        "peak_mb": peak / 1e6,
        "rss_mb": rss_mb(),
        "candidates": result.candidates,
        "found": len(result.found),
        "changed": sum(result.changed.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The bench generates its rows with PostgreSQL's generate_series: set DATABASE_URL.")
    account = SellerAccount.objects.create(
        name=f"FBA bench {int(time.time())}", merchant_id=f"AFBA{int(time.time())}", marketplace_id="ATVPDKIKX0DER"
    )
    started = time.perf_counter()
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for name, sql in GENERATE.items():
            cursor.execute(sql, {"a": account.pk, "n": args.orders, "now": NOW})
            counts[name] = cursor.rowcount
        cursor.execute(
            "ANALYZE reimbursements_fbarefund, reimbursements_fbacustomerreturn, "
            "reimbursements_fbareplacement, reimbursements_fbareimbursement, "
            "reimbursements_fbaledgeradjustment"
        )
    print(f"generated in {time.perf_counter() - started:.1f} s: {counts}")
    print(f"load before: {Path('/proc/loadavg').read_text().split()[:3]}")
    first = measure(account)
    second = measure(account)
    print(f"load after: {Path('/proc/loadavg').read_text().split()[:3]}")
    by_rule = {
        rule: ReimbursementCase.objects.filter(seller_account=account, rule=rule).count()
        for rule in ReimbursementCase.Rule.values
    }
    print(f"first run:  {first}")
    print(f"second run: {second}")
    print(f"cases by rule: {by_rule}")
    if not args.keep:
        account.delete()


if __name__ == "__main__":
    main()
