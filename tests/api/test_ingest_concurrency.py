"""Concurrent ingest for real: threads with their own database connections posting
through the API. PostgreSQL only (SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection

from tests.api.conftest import KeyClient, make_key
from tests.api.payloads import order_payload
from tests.factories import OrderFactory, SellerAccountFactory
from tickets.models import Order, OrderEvent, OrderItem

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database"),
]


def _race(calls) -> list:
    """Run the calls at the same moment, each on its own connection; their results."""
    results = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_accounts_posting_the_same_new_order_at_once_each_keep_their_own():
    accounts = [SellerAccountFactory(), SellerAccountFactory()]
    clients = [KeyClient(make_key(accounts=[a], scope="ingest")[1]) for a in accounts]
    for round_ in range(10):
        order_id = f"113-0000000-{round_:07d}"
        payloads = [
            order_payload(
                a,
                order_id,
                items=[{"asin": f"B0ACCOUNT{i}", "quantity": 1, "unit_price": {"amount": "1.00", "currency": "USD"}}],
            )
            for i, a in enumerate(accounts)
        ]
        responses = _race(
            [lambda c=c, p=p: c.post("/api/v1/orders/", p) for c, p in zip(clients, payloads, strict=True)]
        )
        assert [r.status_code for r in responses] == [201, 201]
        for i, account in enumerate(accounts):
            order = Order.objects.get(seller_account=account, amazon_order_id=order_id)
            assert [item.product.asin for item in OrderItem.objects.filter(order=order)] == [f"B0ACCOUNT{i}"]


def test_five_concurrent_delivered_events_without_an_id_store_one():
    order = OrderFactory(status="shipped")
    client = KeyClient(make_key(accounts=[order.seller_account], scope="ingest")[1])
    event = {"type": "delivered", "occurred_at": "2026-11-25T16:40:00Z"}
    url = f"/api/v1/orders/{order.amazon_order_id}/events/"

    responses = _race([lambda: client.post(url, event)] * 5)

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert OrderEvent.objects.filter(order=order, type="delivered").count() == 1
    order.refresh_from_db()
    assert order.status == "delivered"
