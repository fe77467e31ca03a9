"""Amazon's ids are unique per seller account: another account naming one gets a row of
its own (or a field error), never the first account's row (issue #14, findings 1, 2, 4, 9)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from metrics.odr import odr_compute
from tests.api.conftest import KeyClient, make_key
from tests.api.payloads import chargeback_payload, claim_payload, message_payload, order_payload
from tests.factories import (
    AtoZClaimFactory,
    BuyerFactory,
    ChargebackFactory,
    OrderFactory,
    SellerAccountFactory,
)
from tickets.intake.messages import inbound_message_receive
from tickets.models import AtoZClaim, Buyer, Chargeback, Message, Order

pytestmark = pytest.mark.django_db

ORDER_ID = "113-4567890-1234567"


def test_a_claim_id_of_another_account_never_moves_that_accounts_claim(ingest_api, charlie_api, account, other_account):
    now = timezone.now()
    alices_order = OrderFactory(
        seller_account=account, purchased_at=now - timedelta(days=10), fulfillment_channel="FBM"
    )
    alices = AtoZClaimFactory(
        order=alices_order, claim_id="AZ-00001234", status="action_required", filed_at=now - timedelta(days=5)
    )
    OrderFactory(seller_account=other_account, amazon_order_id=ORDER_ID)
    odr_before = odr_compute(seller_account=account, channel="FBM", as_of=date.today()).defective_orders

    response = charlie_api.post("/api/v1/claims/", claim_payload("AZ-00001234", status="denied"))

    assert response.status_code == 201
    assert response.json()["amazon_order_id"] == ORDER_ID
    alices.refresh_from_db()
    assert (alices.order_id, alices.status, alices.seller_account_id) == (
        alices_order.pk,
        "action_required",
        account.pk,
    )
    assert odr_compute(seller_account=account, channel="FBM", as_of=date.today()).defective_orders == odr_before == 1
    assert AtoZClaim.objects.filter(claim_id="AZ-00001234").count() == 2


def test_a_chargeback_id_of_another_account_never_moves_that_accounts_chargeback(charlie_api, account, other_account):
    alices = ChargebackFactory(order__seller_account=account, chargeback_id="CB-00001234", status="open")
    OrderFactory(seller_account=other_account, amazon_order_id=ORDER_ID)

    response = charlie_api.post("/api/v1/chargebacks/", chargeback_payload("CB-00001234", status="decided_for_seller"))

    assert response.status_code == 201
    alices.refresh_from_db()
    assert (alices.status, alices.seller_account_id) == ("open", account.pk)
    assert Chargeback.objects.filter(seller_account=other_account, chargeback_id="CB-00001234").exists()


def test_a_message_id_of_another_account_reveals_nothing_of_that_account(charlie_api, account, other_account):
    alices_buyer = BuyerFactory(seller_account=account, amazon_buyer_id="AMZBUYER000123", name="Alice's buyer")
    inbound_message_receive(
        seller_account=account,
        buyer=alices_buyer,
        external_id="amzn-msg-0001",
        body="Alice's private message",
        received_at=timezone.now(),
        actor="test",
    )
    hook = WebhookSubscription.objects.create(
        name="charlie", url="https://hooks.example.com/", events=["ticket.created"]
    )
    hook.seller_accounts.set([other_account])

    response = charlie_api.post(
        "/api/v1/messages/", message_payload(other_account, "amzn-msg-0001", amazon_order_id=None)
    )

    assert response.status_code == 201
    assert response.json()["ticket_created"] is True
    assert "Alice" not in response.content.decode()
    (delivery,) = WebhookDelivery.objects.filter(subscription=hook)
    assert "Alice" not in delivery.body
    charlies = Message.objects.get(seller_account=other_account, external_id="amzn-msg-0001")
    assert charlies.ticket.seller_account_id == other_account.pk
    assert Buyer.objects.get(seller_account=other_account).name == ""


def test_the_same_message_twice_in_one_account_is_one_message(ingest_api, account):
    first = ingest_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=None))
    again = ingest_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=None))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_an_order_id_of_another_account_is_a_new_order_of_the_callers_own(charlie_api, account, other_account):
    alices = OrderFactory(seller_account=account, amazon_order_id=ORDER_ID)
    response = charlie_api.post("/api/v1/orders/", order_payload(other_account))
    assert response.status_code == 201
    assert "another seller account" not in response.content.decode()
    assert set(Order.objects.filter(amazon_order_id=ORDER_ID).values_list("seller_account", flat=True)) == {
        account.pk,
        other_account.pk,
    }
    alices.refresh_from_db()
    assert alices.seller_account_id == account.pk


def test_a_key_of_two_accounts_holding_the_same_order_id_names_the_account(account, other_account):
    api = KeyClient(make_key(accounts=[account, other_account], scope="agent")[1])
    OrderFactory(seller_account=account, amazon_order_id=ORDER_ID)
    OrderFactory(seller_account=other_account, amazon_order_id=ORDER_ID)

    ambiguous = api.get(f"/api/v1/orders/{ORDER_ID}/")
    named = api.get(f"/api/v1/orders/{ORDER_ID}/?seller_account={other_account.pk}")
    claim = api.post("/api/v1/claims/", claim_payload())
    claim_named = api.post("/api/v1/claims/", claim_payload(seller_account=account.pk))

    assert ambiguous.status_code == 400 and list(ambiguous.json()) == ["seller_account"]
    assert (named.status_code, named.json()["seller_account"]) == (200, other_account.pk)
    assert claim.status_code == 400 and list(claim.json()) == ["seller_account"]
    assert claim_named.status_code == 201
    assert AtoZClaim.objects.get().seller_account_id == account.pk


def test_a_seller_account_id_too_large_for_the_database_is_a_field_error(alice_api):
    response = alice_api.get(f"/api/v1/orders/{ORDER_ID}/?seller_account={2**70}")
    assert response.status_code == 400 and "seller_account" in response.json()


def test_the_same_event_id_on_two_accounts_orders_is_two_events(charlie_api, ingest_api, account, other_account):
    OrderFactory(seller_account=account, amazon_order_id=ORDER_ID)
    OrderFactory(seller_account=other_account, amazon_order_id="113-0000000-0000001")
    event = {"event_id": "evt-1", "type": "shipped", "occurred_at": "2026-11-25T10:00:00Z"}
    assert ingest_api.post(f"/api/v1/orders/{ORDER_ID}/events/", event).status_code == 201
    assert charlie_api.post("/api/v1/orders/113-0000000-0000001/events/", event).status_code == 201


def test_feedback_on_another_accounts_order_is_a_field_error(charlie_api, account, other_account):
    SellerAccountFactory()  # a third account, to be sure no lookup is global
    OrderFactory(seller_account=account, amazon_order_id=ORDER_ID)
    response = charlie_api.post(
        "/api/v1/feedback/", {"amazon_order_id": ORDER_ID, "rating": 1, "left_at": "2026-11-26T11:00:00Z"}
    )
    assert response.status_code == 400
    assert response.json() == {"amazon_order_id": ["No such order in your seller accounts."]}


def test_a_claim_already_decided_opens_no_defence_ticket_until_it_is_open_again(ingest_api, account):
    order = OrderFactory(seller_account=account, amazon_order_id=ORDER_ID)
    denied = ingest_api.post("/api/v1/claims/", claim_payload(status="denied")).json()
    appealed = ingest_api.post("/api/v1/claims/", claim_payload(status="appealed")).json()
    assert denied["ticket"] is None
    assert appealed["ticket"] is not None
    assert order.tickets.get().kind == "a_to_z_defence"
