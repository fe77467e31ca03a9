"""The REST API as integrations use it: bulk order ingest and the ticket list at scale.

The ingest cases post 1,000 orders per request (the API's maximum) and roll the request
back afterwards, so the scale database is left as it was; the time includes every
statement but not the final COMMIT. The foreign keys are DEFERRABLE INITIALLY DEFERRED
(Django's default), so PostgreSQL checks them at COMMIT, one look-up per row and key
(about 5,000 for 1,000 new orders): the "foreign keys checked" case runs those checks
before the rollback (``connection.check_constraints()``), which is the commit's work
except writing the WAL to disk.
"""

import json
from collections.abc import Callable
from itertools import count
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.db.models import Count

from tickets.models import Order, Product, SellerAccount, Ticket

from ..registry import Bench, CaseFailed, case

TICKETS = "/api/v1/tickets/"
ORDERS = "/api/v1/orders/"
BATCH = 1000
FRESH_BODIES = 64
# Fresh order ids for every timed run: 5xx-… never occurs in demo or scale data.
_run = count()


class _Rollback(Exception):
    pass


def _orders(account: SellerAccount, asins: list[str], *, prefix: str) -> list[dict]:
    return [
        {
            "seller_account": account.pk,
            "amazon_order_id": f"{prefix}-{n:07d}",
            "buyer": {"amazon_buyer_id": f"BENCHBUYER{n % 700:06d}", "name": f"Bench Buyer {n % 700}"},
            "purchased_at": "2026-11-20T14:03:00Z",
            "fulfillment_channel": "FBM" if n % 5 < 2 else "FBA",
            "status": "shipped",
            "order_total": {"amount": "59.98", "currency": "USD"},
            "items": [
                {
                    "asin": asins[(n + i) % len(asins)],
                    "quantity": 1,
                    "unit_price": {"amount": "29.99", "currency": "USD"},
                }
                for i in range(1 + n % 2)
            ],
        }
        for n in range(BATCH)
    ]


def _account_with_products(bench: Bench) -> tuple[SellerAccount, list[str]]:
    account = SellerAccount.objects.annotate(n=Count("products")).filter(n__gte=10).order_by("-n").first()
    if account is None:
        raise CaseFailed("No seller account with products: seed data first.")
    return account, list(Product.objects.filter(seller_account=account).values_list("asin", flat=True)[:60])


def _post_rolled_back(
    bench: Bench, body: str, *, expected: int, check_constraints: bool = False
) -> Callable[[], object]:
    def post() -> object:
        try:
            with transaction.atomic():
                response = bench.client.post(ORDERS, body, content_type="application/json")
                if response.status_code != expected:
                    raise CaseFailed(f"POST {ORDERS} answered {response.status_code}: {response.content[:200]!r}")
                if check_constraints:
                    connection.check_constraints()  # the deferred foreign key checks of COMMIT
                raise _Rollback
        except _Rollback:
            return response

    return post


def _orders_bulk_new(bench: Bench, *, check_constraints: bool) -> Callable[[], object]:
    account, asins = _account_with_products(bench)
    # Bodies with fresh order ids are built untimed (the client's work, not the API's):
    # enough for the warm-up, the captured and the timed runs, then built on demand.
    bodies = [_fresh_body(account, asins) for _ in range(FRESH_BODIES)]

    def fresh() -> object:
        body = bodies.pop() if bodies else _fresh_body(account, asins)
        return _post_rolled_back(bench, body, expected=201, check_constraints=check_constraints)()

    return fresh


@case("api: POST /orders/ 1,000 new orders (rolled back)")
def orders_bulk_new(bench: Bench) -> Callable[[], object]:
    return _orders_bulk_new(bench, check_constraints=False)


@case("api: POST /orders/ 1,000 new orders, foreign keys checked (rolled back)")
def orders_bulk_new_checked(bench: Bench) -> Callable[[], object]:
    return _orders_bulk_new(bench, check_constraints=True)


def _fresh_body(account: SellerAccount, asins: list[str]) -> str:
    run = next(_run)
    return json.dumps(_orders(account, asins, prefix=f"5{run // 10_000_000 % 100:02d}-{run % 10_000_000:07d}"))


@case("api: POST /orders/ 1,000 unchanged orders (a replay)")
def orders_bulk_replay(bench: Bench) -> Callable[[], object]:
    # Existing orders sent back as they are: the set-based comparison writes nothing.
    orders = list(
        Order.objects.filter(seller_account=bench.middle(Order.objects.all()).seller_account)
        .select_related("buyer")
        .prefetch_related("items__product")
        .order_by("pk")[:BATCH]
    )
    payload = [
        {
            "seller_account": o.seller_account_id,
            "amazon_order_id": o.amazon_order_id,
            "buyer": {"amazon_buyer_id": o.buyer.amazon_buyer_id, "name": o.buyer.name, "email": o.buyer.email}
            if o.buyer
            else None,
            "purchased_at": o.purchased_at.isoformat(),
            "fulfillment_channel": o.fulfillment_channel,
            "status": o.status,
            "order_total": {"amount": str(o.order_total), "currency": o.currency},
            "items": [
                {
                    "asin": i.product.asin,
                    "quantity": i.quantity,
                    "unit_price": {"amount": str(i.unit_price), "currency": o.currency},
                }
                for i in o.items.all()
            ],
            "latest_ship_date": o.latest_ship_date.isoformat() if o.latest_ship_date else None,
            "earliest_delivery_date": o.earliest_delivery_date.isoformat() if o.earliest_delivery_date else None,
            "latest_delivery_date": o.latest_delivery_date.isoformat() if o.latest_delivery_date else None,
        }
        for o in orders
    ]
    return _post_rolled_back(bench, json.dumps(payload), expected=200)


@case("api: GET /tickets/ first page (50, by SLA due time)")
def tickets_first_page(bench: Bench) -> Callable[[], object]:
    return bench.page(TICKETS)


@case("api: GET /tickets/ open and breached, one account")
def tickets_breached(bench: Bench) -> Callable[[], object]:
    account_id = bench.middle(Ticket.objects.all()).seller_account_id
    return bench.page(TICKETS, seller_account=account_id, status="open", sla="breached")


@case("api: GET /tickets/ q=amazon_order_id")
def tickets_by_order(bench: Bench) -> Callable[[], object]:
    ticket = bench.middle(Ticket.objects.filter(order__isnull=False))
    return bench.page(TICKETS, q=ticket.order.amazon_order_id)


@case("api: GET /tickets/ 10,000 rows deep via the cursor")
def tickets_deep_page(bench: Bench) -> Callable[[], object]:
    # Follow next links untimed to a deep page; the timed request is that page.
    url = f"{TICKETS}?page_size=200"
    for _ in range(50):
        url = bench.client.get(url).json()["next"]
        if url is None:
            raise CaseFailed("Fewer than 10,000 tickets.")
    parts = urlsplit(url)
    return bench.page(f"{parts.path}?{parts.query}")


@case("api: GET /orders/ first page, one account")
def orders_first_page(bench: Bench) -> Callable[[], object]:
    return bench.page(ORDERS, seller_account=bench.middle(Order.objects.all()).seller_account_id)
