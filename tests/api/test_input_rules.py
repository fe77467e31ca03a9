"""The desk's input rules applied by the API (tickets.validators through api.fields):
dates in a sane range, ISO 4217 currencies, plain-text display names. Each is a 400 with a
field message that writes nothing, never a 500."""

import pytest

from tests.api.payloads import claim_payload, message_payload, order_payload, orders_payload
from tests.factories import OrderFactory
from tickets.models import AtoZClaim, Message, Order, SellerAccount

pytestmark = pytest.mark.django_db

RANGE = ["Dates must lie between 2000-01-01 and 2099-12-31."]
PLAIN = ["Plain text only: no HTML tags or entities, no control characters or line breaks."]


def test_a_message_received_in_the_year_9999_is_a_400(ingest_api, account):
    payload = message_payload(account, amazon_order_id=None, received_at="9999-12-31T23:59:59Z")
    response = ingest_api.post("/api/v1/messages/", payload)
    assert (response.status_code, response.json()) == (400, {"received_at": RANGE})
    assert not Message.objects.exists()


def test_a_claim_filed_in_the_year_9999_is_a_400(ingest_api, account):
    OrderFactory(seller_account=account, amazon_order_id="113-4567890-1234567")
    response = ingest_api.post("/api/v1/claims/", claim_payload(filed_at="9999-12-31T23:59:59Z"))
    assert (response.status_code, response.json()) == (400, {"filed_at": RANGE})
    assert not AtoZClaim.objects.exists()


def test_an_order_purchased_in_the_year_9999_is_a_400(ingest_api, account):
    response = ingest_api.post("/api/v1/orders/", order_payload(account, purchased_at="9999-12-31T23:59:59Z"))
    assert response.json() == {"purchased_at": RANGE}


def test_one_order_of_a_bulk_purchased_in_the_year_1_is_a_400_naming_it(ingest_api, account):
    payload = orders_payload(account, 3)
    payload[1]["purchased_at"] = "0001-01-01T00:00:00Z"
    response = ingest_api.post("/api/v1/orders/", payload)
    assert response.json() == {"orders": [{"index": 1, "errors": {"purchased_at": RANGE}}]}
    assert not Order.objects.exists()


def test_an_order_event_in_the_year_9999_is_a_400(ingest_api, account):
    order = OrderFactory(seller_account=account)
    response = ingest_api.post(
        f"/api/v1/orders/{order.amazon_order_id}/events/",
        {"type": "delivered", "occurred_at": "9999-12-31T23:59:59+14:00"},
    )
    assert response.json() == {"occurred_at": RANGE}


def test_a_review_written_in_the_year_9999_is_a_400(ingest_api, account):
    payload = {
        "seller_account": account.pk,
        "amazon_review_id": "R1",
        "asin": "B0ESPRESS1",
        "rating": 2,
        "reviewed_at": "9999-12-31T23:59:59Z",
    }
    assert ingest_api.post("/api/v1/reviews/", payload).json() == {"reviewed_at": RANGE}


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("endpoint", ["/api/v1/metrics/odr/", "/api/v1/metrics/fulfillment/"])
def test_a_metrics_as_of_outside_the_range_is_a_400(alice_api, account, endpoint, as_of):
    response = alice_api.get(endpoint, {"seller_account": account.pk, "as_of": as_of})
    assert (response.status_code, response.json()) == (400, {"as_of": RANGE})


def test_a_currency_that_is_not_iso_4217_is_a_400(ingest_api, account):
    payload = order_payload(account, order_total={"amount": "299.99", "currency": "ZZZ"})
    response = ingest_api.post("/api/v1/orders/", payload)
    assert response.json() == {"order_total": {"currency": ["'ZZZ' is not an ISO 4217 currency code."]}}


def test_a_bulk_order_in_a_made_up_currency_is_a_400(ingest_api, account):
    payload = orders_payload(account, 2)
    payload[1]["order_total"]["currency"] = "ZZZ"
    payload[1]["items"][0]["unit_price"]["currency"] = "ZZZ"
    response = ingest_api.post("/api/v1/orders/", payload)
    assert (response.status_code, Order.objects.count()) == (400, 0)


def test_an_iso_4217_currency_other_than_usd_is_accepted(ingest_api, account):
    money = {"amount": "49.00", "currency": "JPY"}
    payload = order_payload(
        account, order_total=money, items=[{"asin": "B0ESPRESS1", "quantity": 1, "unit_price": money}]
    )
    assert ingest_api.post("/api/v1/orders/", payload).status_code == 201


def test_a_seller_account_named_in_html_is_a_400(ingest_api, account):
    response = ingest_api.post(
        "/api/v1/seller-accounts/",
        {"name": "<b>x</b>", "merchant_id": account.merchant_id, "marketplace_id": account.marketplace_id},
    )
    assert (response.status_code, response.json()) == (400, {"name": PLAIN})
    account.refresh_from_db()
    assert account.name == "Espresso Co."


def test_a_seller_account_name_with_an_ampersand_and_a_heart_is_plain_text(ingest_api, account):
    response = ingest_api.post(
        "/api/v1/seller-accounts/",
        {"name": "Tom & Jerry <3", "merchant_id": account.merchant_id, "marketplace_id": account.marketplace_id},
    )
    assert response.status_code == 200
    assert SellerAccount.objects.get(pk=account.pk).name == "Tom & Jerry <3"


def test_a_product_title_with_an_entity_is_a_400(ingest_api, account):
    response = ingest_api.put(
        f"/api/v1/products/B0ESPRESS1/?seller_account={account.pk}", {"title": "Grinder &amp; Co"}
    )
    assert response.json() == {"title": PLAIN}


def test_a_buyer_name_with_a_tag_in_a_bulk_is_a_400(ingest_api, account):
    payload = orders_payload(account, 2)
    payload[0]["buyer"]["name"] = "<script>x</script>"
    response = ingest_api.post("/api/v1/orders/", payload)
    assert response.json() == {"orders": [{"index": 0, "errors": {"buyer": {"name": PLAIN}}}]}


def test_a_carrier_with_a_line_break_is_a_400(ingest_api, account):
    order = OrderFactory(seller_account=account)
    response = ingest_api.post(
        f"/api/v1/orders/{order.amazon_order_id}/events/",
        {
            "type": "shipped",
            "occurred_at": "2026-11-20T10:00:00Z",
            "carrier": "UPS\nclick here",
            "tracking_number": "1Z",
        },
    )
    assert response.json() == {"carrier": PLAIN}
