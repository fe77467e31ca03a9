"""Ingest: idempotent upserts keyed by Amazon ids, 201 created vs 200 updated, bulk
orders all-or-nothing."""

import pytest
from django.db import connection
from django.utils import timezone

from amazon.spapi.deliveries import fba_deliveries_estimate
from tests.api.payloads import chargeback_payload, claim_payload, message_payload, order_payload, orders_payload
from tests.factories import OrderFactory, ProductFactory
from tickets.models import (
    AtoZClaim,
    AuditEvent,
    Buyer,
    Chargeback,
    Message,
    Order,
    OrderEvent,
    OrderItem,
    Product,
    Ticket,
)

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/orders/"


@pytest.fixture
def order(account):
    return OrderFactory(seller_account=account, amazon_order_id="113-4567890-1234567")


# --- Orders ---------------------------------------------------------------------------


def test_a_new_order_is_created_with_its_buyer_and_items(ingest_api, account):
    response = ingest_api.post(ORDERS, order_payload(account))
    assert response.status_code == 201
    order = Order.objects.get(amazon_order_id="113-4567890-1234567")
    assert (order.buyer.amazon_buyer_id, order.items.get().product.asin) == ("AMZBUYER000123", "B0ESPRESS1")


def test_replaying_an_order_answers_200_and_writes_nothing(ingest_api, account):
    ingest_api.post(ORDERS, order_payload(account))
    before = Order.objects.values_list("updated_at", flat=True).get()
    response = ingest_api.post(ORDERS, order_payload(account))
    assert response.status_code == 200
    assert Order.objects.values_list("updated_at", flat=True).get() == before
    assert (Order.objects.count(), Buyer.objects.count(), OrderItem.objects.count()) == (1, 1, 1)


def test_a_concurrent_write_of_the_same_order_is_a_409_and_stores_nothing(ingest_api, account, monkeypatch):
    """Two integrations pushing the same new order at once: the loser's INSERT hits the
    unique constraint after validation passed. It gets a 409 to retry, never a 500."""
    from django.db import IntegrityError

    import tickets.api.ingest

    def collide(**kwargs):
        from tickets.models import Buyer

        Buyer.objects.create(seller_account=account, amazon_buyer_id="AMZBUYER000999")  # written, then rolled back
        raise IntegrityError('duplicate key value violates unique constraint "order_item_unique_product"')

    monkeypatch.setattr(tickets.api.ingest, "orders_upsert", collide)
    response = ingest_api.post(ORDERS, order_payload(account))
    assert response.status_code == 409
    assert "Retry" in response.json()["detail"]
    assert (Order.objects.count(), Buyer.objects.count()) == (0, 0)


def test_a_changed_order_is_updated_and_its_items_replaced(ingest_api, account):
    ingest_api.post(ORDERS, order_payload(account))
    items = [{"asin": "B0GRINDER1", "quantity": 2, "unit_price": {"amount": "50.00", "currency": "USD"}}]
    response = ingest_api.post(ORDERS, order_payload(account, status="delivered", items=items))
    assert response.status_code == 200
    order = Order.objects.get()
    assert order.status == "delivered"
    assert list(order.items.values_list("product__asin", "quantity")) == [("B0GRINDER1", 2)]


def test_an_unknown_asin_gets_a_stub_product_for_put_products_to_complete(ingest_api, account):
    ingest_api.post(ORDERS, order_payload(account))
    assert Product.objects.get(asin="B0ESPRESS1").title == "B0ESPRESS1"


def test_a_list_of_orders_reports_created_and_updated_per_item(ingest_api, account):
    ingest_api.post(ORDERS, orders_payload(account, 1))
    response = ingest_api.post(ORDERS, orders_payload(account, 3))
    assert response.status_code == 201
    assert [r["status"] for r in response.json()["results"]] == [200, 201, 201]


def test_a_list_with_one_bad_order_writes_nothing_and_names_its_index(ingest_api, account):
    payload = orders_payload(account, 5)
    payload[3]["purchased_at"] = "yesterday"
    response = ingest_api.post(ORDERS, payload)
    assert response.status_code == 400
    assert response.json()["orders"][0]["index"] == 3
    assert "purchased_at" in response.json()["orders"][0]["errors"]
    assert not Order.objects.exists()


def test_a_list_repeating_an_order_id_is_refused(ingest_api, account):
    payload = orders_payload(account, 2)
    payload[1]["amazon_order_id"] = payload[0]["amazon_order_id"]
    response = ingest_api.post(ORDERS, payload)
    assert response.json()["orders"] == [
        {"index": 1, "errors": {"amazon_order_id": ["This order appears twice in the request."]}}
    ]


def test_more_than_a_thousand_orders_are_refused(ingest_api, account):
    response = ingest_api.post(ORDERS, orders_payload(account, 1001))
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_thousand_orders_take_a_few_statements(ingest_api, account, django_assert_max_num_queries):
    payload = orders_payload(account, 1000)
    # SQLite caps a statement at 999 parameters, so Django splits each bulk insert in batches.
    with django_assert_max_num_queries(20 if connection.vendor == "postgresql" else 80):
        response = ingest_api.post(ORDERS, payload)
    assert response.json()["created"] == 1000


def test_an_order_with_mixed_currencies_is_a_field_error(ingest_api, account):
    items = [{"asin": "B0ESPRESS1", "quantity": 1, "unit_price": {"amount": "1.00", "currency": "EUR"}}]
    response = ingest_api.post(ORDERS, order_payload(account, items=items))
    assert response.status_code == 400
    assert "items" in response.json()


def test_a_malformed_order_id_is_a_field_error(ingest_api, account):
    response = ingest_api.post(ORDERS, order_payload(account, amazon_order_id="not-an-order"))
    assert "amazon_order_id" in response.json()


# --- Order events -----------------------------------------------------------------------


def test_a_delivered_event_sets_the_delivery_time(ingest_api, order):
    response = ingest_api.post(
        f"/api/v1/orders/{order.amazon_order_id}/events/",
        {"event_id": "evt-1", "type": "delivered", "occurred_at": "2026-11-25T16:40:00Z"},
    )
    assert response.status_code == 201
    order.refresh_from_db()
    assert (order.status, order.delivered_at.isoformat()) == ("delivered", "2026-11-25T16:40:00+00:00")


def test_a_delivered_event_replaces_an_estimated_fba_delivery(ingest_api, order):
    Order.objects.filter(pk=order.pk).update(fulfillment_channel="FBA", latest_delivery_date="2026-11-26T23:59:00Z")
    fba_deliveries_estimate(seller_account_id=order.seller_account_id, now=timezone.now(), actor="test")
    estimated = ingest_api.get(f"{ORDERS}{order.amazon_order_id}/").json()
    ingest_api.post(
        f"/api/v1/orders/{order.amazon_order_id}/events/",
        {"event_id": "evt-1", "type": "delivered", "occurred_at": "2026-11-25T16:40:00Z"},
    )
    known = ingest_api.get(f"{ORDERS}{order.amazon_order_id}/").json()
    assert (estimated["delivered_at"], estimated["delivery_estimated"]) == ("2026-11-26T23:59:00Z", True)
    assert (known["delivered_at"], known["delivery_estimated"]) == ("2026-11-25T16:40:00Z", False)


def test_a_replayed_event_is_recorded_once(ingest_api, order):
    url = f"/api/v1/orders/{order.amazon_order_id}/events/"
    body = {"event_id": "evt-1", "type": "shipped", "occurred_at": "2026-11-21T10:00:00Z", "carrier": "UPS"}
    ingest_api.post(url, body)
    assert ingest_api.post(url, body).status_code == 200
    assert OrderEvent.objects.count() == 1


def test_an_event_without_id_is_de_duplicated_by_type_and_time(ingest_api, order):
    url = f"/api/v1/orders/{order.amazon_order_id}/events/"
    body = {"type": "returned", "occurred_at": "2026-11-21T10:00:00Z"}
    ingest_api.post(url, body)
    ingest_api.post(url, body)
    assert OrderEvent.objects.count() == 1


def test_an_event_on_an_unknown_order_is_404(ingest_api, account):
    response = ingest_api.post(
        "/api/v1/orders/113-0000000-0000000/events/", {"type": "delivered", "occurred_at": "2026-11-25T16:40:00Z"}
    )
    assert response.status_code == 404


# --- Messages ---------------------------------------------------------------------------


def test_a_buyer_message_opens_a_ticket_with_a_running_clock(ingest_api, account, order):
    response = ingest_api.post("/api/v1/messages/", message_payload(account))
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.order, ticket.sla_due_at.isoformat()) == (order, "2026-11-27T08:15:00+00:00")


def test_a_replayed_message_creates_no_second_message_or_ticket(ingest_api, account, order):
    ingest_api.post("/api/v1/messages/", message_payload(account))
    response = ingest_api.post("/api/v1/messages/", message_payload(account))
    assert response.status_code == 200
    assert (Message.objects.count(), Ticket.objects.count()) == (1, 1)


def test_a_second_message_appends_to_the_open_ticket_about_the_order(ingest_api, account, order):
    ingest_api.post("/api/v1/messages/", message_payload(account))
    ingest_api.post("/api/v1/messages/", message_payload(account, "amzn-msg-0002", received_at="2026-11-26T09:00:00Z"))
    assert Ticket.objects.get().messages.count() == 2


def test_a_message_after_the_ticket_was_closed_opens_a_new_ticket(ingest_api, account, order):
    ingest_api.post("/api/v1/messages/", message_payload(account))
    Ticket.objects.update(status="closed")
    ingest_api.post("/api/v1/messages/", message_payload(account, "amzn-msg-0002"))
    assert Ticket.objects.count() == 2


def test_a_message_without_an_order_is_a_pre_sale_ticket(ingest_api, account):
    response = ingest_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=None))
    assert response.status_code == 201
    assert Ticket.objects.get().order is None


# --- Claims, chargebacks, products, accounts ------------------------------------------------


def test_a_claim_without_deadline_gets_amazons_three_days(ingest_api, order):
    response = ingest_api.post("/api/v1/claims/", claim_payload())
    assert response.status_code == 201
    assert response.json()["respond_by"] == "2026-11-29T09:00:00Z"


def test_a_replayed_claim_changes_nothing(ingest_api, order):
    ingest_api.post("/api/v1/claims/", claim_payload())
    assert ingest_api.post("/api/v1/claims/", claim_payload()).status_code == 200
    assert AtoZClaim.objects.count() == 1
    assert AuditEvent.objects.filter(action="a_to_z_claim.updated").count() == 0


def test_a_claim_status_change_is_audited(ingest_api, order):
    ingest_api.post("/api/v1/claims/", claim_payload())
    ingest_api.post("/api/v1/claims/", claim_payload(status="denied"))
    event = AuditEvent.objects.get(action="a_to_z_claim.updated")
    assert event.changes["status"] == ["action_required", "denied"]


def test_a_replayed_chargeback_changes_nothing(ingest_api, order):
    assert ingest_api.post("/api/v1/chargebacks/", chargeback_payload()).status_code == 201
    assert ingest_api.post("/api/v1/chargebacks/", chargeback_payload()).status_code == 200
    assert Chargeback.objects.get().respond_by.isoformat() == "2026-12-03T09:00:00+00:00"


def test_a_product_is_created_then_updated_by_asin(ingest_api, account):
    url = f"/api/v1/products/B0ESPRESS1/?seller_account={account.pk}"
    assert ingest_api.put(url, {"title": "Espresso Machine", "sku": "ESP-1"}).status_code == 201
    response = ingest_api.put(url, {"title": "Espresso Machine", "sku": "ESP-1"})
    assert response.status_code == 200
    assert Product.objects.get().sku == "ESP-1"


def test_a_product_needs_a_valid_asin(ingest_api, account):
    response = ingest_api.put(f"/api/v1/products/lowercase1/?seller_account={account.pk}", {"title": "x"})
    assert response.status_code == 400


def test_a_product_stub_from_an_order_is_completed_by_put(ingest_api, account):
    ProductFactory(seller_account=account, asin="B0ESPRESS1", title="B0ESPRESS1")
    ingest_api.put(f"/api/v1/products/B0ESPRESS1/?seller_account={account.pk}", {"title": "Espresso Machine"})
    assert Product.objects.get().title == "Espresso Machine"


def test_a_key_registers_a_seller_account_and_may_feed_it(ingest_api):
    body = {"name": "Kettle Co.", "merchant_id": "AKETTLE0000001", "marketplace_id": "A1F83G8C2ARO7P"}
    assert ingest_api.post("/api/v1/seller-accounts/", body).status_code == 201
    assert ingest_api.post("/api/v1/seller-accounts/", body).status_code == 200
    names = [a["name"] for a in ingest_api.get("/api/v1/seller-accounts/").json()["results"]]
    assert "Kettle Co." in names


def test_an_agent_cannot_register_a_seller_account_in_the_browser(client, alice):
    client.force_login(alice)
    body = {"name": "Kettle Co.", "merchant_id": "AKETTLE0000001", "marketplace_id": "A1F83G8C2ARO7P"}
    assert client.post("/api/v1/seller-accounts/", body, content_type="application/json").status_code == 403


def test_a_buyer_answer_reopens_a_ticket_waiting_on_the_buyer(ingest_api, account, order):
    ingest_api.post("/api/v1/messages/", message_payload(account))
    Ticket.objects.update(status="pending", sla_due_at=None)
    ingest_api.post("/api/v1/messages/", message_payload(account, "amzn-msg-0002", received_at="2026-11-26T12:00:00Z"))
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.sla_due_at.isoformat()) == ("open", "2026-11-27T12:00:00+00:00")
