"""A key never reads or writes outside its seller accounts: foreign ids are 404 (or a
field error when named in a body), and lists leave foreign rows out."""

import pytest

from tests.api.payloads import claim_payload, message_payload, order_payload
from tests.factories import AtoZClaimFactory, ChargebackFactory, MessageFactory, OrderFactory, TicketFactory
from tickets.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_ticket(account):
    return TicketFactory(seller_account=account)


def test_charlie_cannot_read_alices_ticket(charlie_api, alices_ticket):
    assert charlie_api.get(f"/api/v1/tickets/{alices_ticket.pk}/").status_code == 404


def test_charlies_ticket_list_leaves_alices_tickets_out(charlie_api, alices_ticket, other_account):
    own = TicketFactory(seller_account=other_account)
    ids = [t["id"] for t in charlie_api.get("/api/v1/tickets/").json()["results"]]
    assert ids == [own.pk]


def test_charlie_cannot_change_alices_ticket(charlie_api, alices_ticket):
    assert charlie_api.patch(f"/api/v1/tickets/{alices_ticket.pk}/", {"status": "open"}).status_code == 404


def test_charlie_cannot_reply_on_alices_ticket(charlie_api, alices_ticket):
    response = charlie_api.post(f"/api/v1/tickets/{alices_ticket.pk}/replies/", {"body": "Hello"})
    assert response.status_code == 404


def test_charlie_cannot_add_a_note_to_alices_ticket(charlie_api, alices_ticket):
    assert charlie_api.post(f"/api/v1/tickets/{alices_ticket.pk}/notes/", {"body": "x"}).status_code == 404


def test_charlie_cannot_push_orders_into_alices_account(charlie_api, account):
    response = charlie_api.post("/api/v1/orders/", order_payload(account))
    assert response.status_code == 400
    assert "seller_account" in response.json()


def test_charlie_cannot_overwrite_an_order_of_alices_account(charlie_api, account, other_account):
    alices = OrderFactory(seller_account=account, amazon_order_id="113-4567890-1234567")
    before = Order.objects.values().get(pk=alices.pk)
    response = charlie_api.post("/api/v1/orders/", order_payload(other_account))
    # Charlie's account gets an order of its own: Amazon's ids are unique per seller account.
    assert response.status_code == 201
    assert response.json()["id"] != alices.pk
    assert Order.objects.values().get(pk=alices.pk) == before


def test_charlie_cannot_read_alices_order(charlie_api, account):
    order = OrderFactory(seller_account=account)
    assert charlie_api.get(f"/api/v1/orders/{order.amazon_order_id}/").status_code == 404


def test_charlie_cannot_record_events_on_alices_order(charlie_api, account):
    order = OrderFactory(seller_account=account)
    response = charlie_api.post(
        f"/api/v1/orders/{order.amazon_order_id}/events/", {"type": "delivered", "occurred_at": "2026-11-25T10:00:00Z"}
    )
    assert response.status_code == 404


def test_charlie_cannot_file_a_claim_on_alices_order(charlie_api, account):
    OrderFactory(seller_account=account, amazon_order_id="113-4567890-1234567")
    response = charlie_api.post("/api/v1/claims/", claim_payload())
    assert response.status_code == 400
    assert "amazon_order_id" in response.json()


def test_charlie_cannot_post_messages_into_alices_account(charlie_api, account):
    response = charlie_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=None))
    assert response.status_code == 400


def test_charlie_cannot_put_products_into_alices_account(charlie_api, account):
    response = charlie_api.put(f"/api/v1/products/B0ESPRESS1/?seller_account={account.pk}", {"title": "x"})
    assert response.status_code == 404


def test_charlie_cannot_update_alices_seller_account(charlie_api, account):
    body = {"name": "Hijacked", "merchant_id": account.merchant_id, "marketplace_id": account.marketplace_id}
    assert charlie_api.post("/api/v1/seller-accounts/", body).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/orders/", "/api/v1/messages/", "/api/v1/claims/", "/api/v1/chargebacks/"])
def test_charlies_lists_leave_alices_rows_out(charlie_api, account, path):
    order = OrderFactory(seller_account=account)
    MessageFactory(ticket=TicketFactory(seller_account=account, order=order))
    AtoZClaimFactory(order=order)
    ChargebackFactory(order=order)
    assert charlie_api.get(path).json()["results"] == []


def test_charlie_sees_only_his_seller_account(charlie_api, account, other_account):
    ids = [a["id"] for a in charlie_api.get("/api/v1/seller-accounts/").json()["results"]]
    assert ids == [other_account.pk]
