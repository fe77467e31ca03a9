"""Bulk order ingest: PostgreSQL's set-based statements and the portable path (SQLite,
bulk_create) store the same rows, and a replay writes nothing on either."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from tests.api.payloads import order_payload, orders_payload
from tests.factories import OrderFactory
from tickets.intake import orders as ingest
from tickets.lookups import AnyOf
from tickets.models import Buyer, Order, OrderItem

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/orders/"
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statements")


@pytest.fixture(
    params=[
        pytest.param("set-based", marks=postgresql_only),
        "portable",
    ]
)
def write_path(request, monkeypatch):
    """Each test runs on PostgreSQL's set-based statements and on the portable path."""
    if request.param == "portable":
        monkeypatch.setattr(ingest, "_postgresql", lambda: False)
    return request.param


def _stored() -> list[tuple]:
    return list(
        Order.objects.order_by("amazon_order_id").values_list(
            "amazon_order_id",
            "buyer__amazon_buyer_id",
            "buyer__name",
            "buyer__email",
            "purchased_at",
            "fulfillment_channel",
            "status",
            "order_total",
            "currency",
            "latest_ship_date",
            "earliest_delivery_date",
            "latest_delivery_date",
            "carrier",
            "tracking_number",
            "cancelled_by_buyer",
        )
    )


def _items() -> list[tuple]:
    return list(
        OrderItem.objects.order_by("order__amazon_order_id", "product__asin").values_list(
            "order__amazon_order_id", "product__asin", "quantity", "unit_price"
        )
    )


def _rows_changed() -> int:
    """PostgreSQL: rows inserted, updated or deleted so far by this transaction (the test)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_xact_user_tables")
        return cursor.fetchone()[0]


def test_new_orders_are_stored_with_their_buyers_and_items(ingest_api, account, write_path):
    response = ingest_api.post(ORDERS, orders_payload(account, 3))
    assert response.status_code == 201
    ids = {r["amazon_order_id"]: r["id"] for r in response.json()["results"]}
    assert dict(Order.objects.values_list("amazon_order_id", "pk")) == ids
    assert (Buyer.objects.count(), OrderItem.objects.count()) == (1, 3)


def test_values_are_stored_exactly(ingest_api, account, write_path):
    buyer = {"amazon_buyer_id": "AMZBUYER000123", "name": 'José "Pepe" O\'Brien \\ 北京', "email": ""}
    items = [{"asin": "B0ESPRESS1", "quantity": 3, "unit_price": {"amount": "1234567890.99", "currency": "EUR"}}]
    payload = order_payload(
        account,
        buyer=buyer,
        items=items,
        order_total={"amount": "3703703672.97", "currency": "EUR"},
        purchased_at="2026-11-20T14:03:00.123456+05:30",
        latest_ship_date=None,
        earliest_delivery_date="2026-11-21T00:00:00-08:00",
    )
    ingest_api.post(ORDERS, [payload])
    order = Order.objects.select_related("buyer").get()
    assert (order.buyer.name, order.order_total, order.currency) == (buyer["name"], Decimal("3703703672.97"), "EUR")
    assert order.purchased_at == datetime.fromisoformat("2026-11-20T14:03:00.123456+05:30")
    assert order.earliest_delivery_date == datetime.fromisoformat("2026-11-21T00:00:00-08:00")
    assert order.latest_ship_date is None
    assert _items() == [(order.amazon_order_id, "B0ESPRESS1", 3, Decimal("1234567890.99"))]


def test_both_paths_store_the_same_rows(ingest_api, account, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("one path only without PostgreSQL")
    payload = orders_payload(account, 4)
    payload[1]["buyer"] = None
    payload[2]["items"] = []
    ingest_api.post(ORDERS, payload)
    set_based = (_stored(), _items())
    Order.objects.all().delete()
    Buyer.objects.all().delete()
    monkeypatch.setattr(ingest, "_postgresql", lambda: False)
    ingest_api.post(ORDERS, payload)
    assert (_stored(), _items()) == set_based


@postgresql_only
def test_a_replay_changes_no_row(ingest_api, account, write_path):
    payload = orders_payload(account, 5)
    ingest_api.post(ORDERS, payload)
    before = _rows_changed()
    response = ingest_api.post(ORDERS, payload)
    assert (response.json()["updated"], _rows_changed()) == (5, before)


def test_a_replay_runs_no_write_statement_on_the_portable_path(ingest_api, account, monkeypatch):
    monkeypatch.setattr(ingest, "_postgresql", lambda: False)
    payload = orders_payload(account, 5)
    ingest_api.post(ORDERS, payload)
    with CaptureQueriesContext(connection) as queries:
        ingest_api.post(ORDERS, payload)
    assert [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")] == []


def test_a_buyer_without_name_or_email_keeps_the_stored_ones(ingest_api, account, write_path):
    ingest_api.post(ORDERS, [order_payload(account)])
    ingest_api.post(ORDERS, [order_payload(account, buyer={"amazon_buyer_id": "AMZBUYER000123"})])
    assert Buyer.objects.values_list("name", "email").get() == ("Jordan Lee", "x7k2@marketplace.amazon.com")


def test_a_buyer_with_a_new_name_is_updated(ingest_api, account, write_path):
    ingest_api.post(ORDERS, [order_payload(account)])
    ingest_api.post(ORDERS, [order_payload(account, buyer={"amazon_buyer_id": "AMZBUYER000123", "name": "J. Lee"})])
    assert Buyer.objects.values_list("name", "email").get() == ("J. Lee", "x7k2@marketplace.amazon.com")


def test_a_changed_order_in_a_list_gets_its_new_items_and_the_others_keep_theirs(ingest_api, account, write_path):
    payload = orders_payload(account, 3)
    ingest_api.post(ORDERS, payload)
    payload[1]["items"] = [{"asin": "B0GRINDER1", "quantity": 2, "unit_price": {"amount": "50.00", "currency": "USD"}}]
    response = ingest_api.post(ORDERS, payload)
    assert [r["status"] for r in response.json()["results"]] == [200, 200, 200]
    assert [(order_id, asin) for order_id, asin, *_ in _items()] == [
        ("113-0000000-0000000", "B0ESPRESS1"),
        ("113-0000000-0000001", "B0GRINDER1"),
        ("113-0000000-0000002", "B0ESPRESS1"),
    ]


def test_a_buyer_committed_by_another_request_meanwhile_is_read_back(account, monkeypatch):
    # PostgreSQL: a buyer inserted and committed by another transaction after the upsert
    # statement began is neither returned by it nor visible to its snapshot.
    buyer = Buyer.objects.create(seller_account=account, amazon_buyer_id="AMZBUYER000123")
    monkeypatch.setattr(ingest, "_postgresql", lambda: True)
    monkeypatch.setattr(ingest, "_buyers_upsert_postgresql", lambda rows: {})
    ids = ingest._buyers_upsert([{"seller_account_id": account.pk, "amazon_buyer_id": "AMZBUYER000123"}])
    assert ids == {(account.pk, "AMZBUYER000123"): buyer.pk}


def test_any_of_finds_what_in_finds(account):
    orders = OrderFactory.create_batch(3, seller_account=account)
    wanted = [orders[0].amazon_order_id, orders[2].amazon_order_id, "999-0000000-0000000"]
    found = Order.objects.filter(AnyOf(F("amazon_order_id"), wanted))
    assert set(found) == set(Order.objects.filter(amazon_order_id__in=wanted))
