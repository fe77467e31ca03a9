"""Amazon's order JSON in the desk's words (amazon.spapi.orders)."""

from amazon.spapi.orders import buyer_id_for_relay_address, order_payload, package_events

ORDER = {
    "orderId": "113-4567890-1234567",
    "createdTime": "2026-06-10T10:00:00Z",
    "lastUpdatedTime": "2026-06-14T09:00:00Z",
    "buyer": {"buyerName": "Jordan Lee", "buyerEmail": "X7K2+A1@Marketplace.Amazon.com"},
    "fulfillment": {"fulfillmentStatus": "SHIPPED", "fulfilledBy": "MERCHANT"},
    "orderItems": [
        {
            "quantityOrdered": 1,
            "product": {"asin": "B0ESPRESS1", "price": {"unitPrice": {"amount": "9.5", "currencyCode": "USD"}}},
        },
        {
            "quantityOrdered": 2,
            "product": {"asin": "B0ESPRESS1", "price": {"unitPrice": {"amount": "9.5", "currencyCode": "USD"}}},
        },
    ],
    "packages": [
        {
            "packageReferenceId": "7",
            "carrier": "UPS",
            "trackingNumber": "1Z1",
            "shipTime": "2026-06-11T08:00:00Z",
            "packageStatus": {"status": "DELIVERED"},
        }
    ],
}


def test_merchant_fulfilled_is_fbm_and_amazon_fulfilled_is_fba():
    assert order_payload(ORDER, seller_account_id=1)["fulfillment_channel"] == "FBM"
    afn = {**ORDER, "fulfillment": {"fulfillmentStatus": "SHIPPED", "fulfilledBy": "AFN"}}
    assert order_payload(afn, seller_account_id=1)["fulfillment_channel"] == "FBA"


def test_shipped_with_every_package_delivered_is_delivered():
    assert order_payload(ORDER, seller_account_id=1)["status"] == "delivered"


def test_shipped_never_takes_back_a_known_delivery():
    fba = {**ORDER, "packages": [], "fulfillment": {"fulfillmentStatus": "SHIPPED", "fulfilledBy": "AMAZON"}}
    assert order_payload(fba, seller_account_id=1, stored_status="delivered")["status"] == "delivered"


def test_lines_of_one_asin_are_added_up_and_the_total_follows():
    payload = order_payload(ORDER, seller_account_id=1)
    assert payload["items"] == [
        {"asin": "B0ESPRESS1", "quantity": 3, "unit_price": {"amount": "9.50", "currency": "USD"}}
    ]
    assert payload["order_total"] == {"amount": "28.50", "currency": "USD"}


def test_the_buyer_is_keyed_like_the_relay_mail_channel_keys_it():
    buyer = order_payload(ORDER, seller_account_id=1)["buyer"]
    assert buyer == {
        "amazon_buyer_id": buyer_id_for_relay_address("x7k2@marketplace.amazon.com"),
        "name": "Jordan Lee",
        "email": "x7k2@marketplace.amazon.com",
    }


def test_an_order_without_a_buyer_address_has_no_buyer():
    assert order_payload({**ORDER, "buyer": {"buyerName": "J."}}, seller_account_id=1)["buyer"] is None


def test_a_delivered_package_gives_shipped_then_delivered():
    events = package_events(ORDER)
    assert [(e.event_id, e.type, e.occurred_at.isoformat()) for e in events] == [
        ("spapi:7:shipped", "shipped", "2026-06-11T08:00:00+00:00"),
        ("spapi:7:delivered", "delivered", "2026-06-14T09:00:00+00:00"),
    ]
