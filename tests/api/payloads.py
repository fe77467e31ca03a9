"""Payload builders shared by the API tests."""


def order_payload(account, amazon_order_id: str = "113-4567890-1234567", **overrides) -> dict:
    payload = {
        "seller_account": account.pk,
        "amazon_order_id": amazon_order_id,
        "buyer": {"amazon_buyer_id": "AMZBUYER000123", "name": "Jordan Lee", "email": "x7k2@marketplace.amazon.com"},
        "purchased_at": "2026-11-20T14:03:00Z",
        "fulfillment_channel": "FBM",
        "status": "shipped",
        "order_total": {"amount": "299.99", "currency": "USD"},
        "items": [{"asin": "B0ESPRESS1", "quantity": 1, "unit_price": {"amount": "299.99", "currency": "USD"}}],
        "latest_ship_date": "2026-11-22T23:59:59Z",
        "latest_delivery_date": "2026-11-27T23:59:59Z",
    }
    return {**payload, **overrides}


def orders_payload(account, count: int, *, start: int = 0) -> list[dict]:
    return [order_payload(account, f"113-0000000-{start + n:07d}") for n in range(count)]


def message_payload(account, external_id: str = "amzn-msg-0001", **overrides) -> dict:
    payload = {
        "external_id": external_id,
        "seller_account": account.pk,
        "amazon_buyer_id": "AMZBUYER000123",
        "amazon_order_id": "113-4567890-1234567",
        "subject": "Where is my order?",
        "body": "Hi, my espresso machine has not arrived yet. Can you check?",
        "received_at": "2026-11-26T08:15:00Z",
    }
    return {**payload, **overrides}


def claim_payload(claim_id: str = "AZ-00001234", **overrides) -> dict:
    payload = {
        "claim_id": claim_id,
        "amazon_order_id": "113-4567890-1234567",
        "filed_at": "2026-11-26T09:00:00Z",
        "reason": "Item not received",
        "amount": {"amount": "299.99", "currency": "USD"},
        "status": "action_required",
    }
    return {**payload, **overrides}


def chargeback_payload(chargeback_id: str = "CB-00001234", **overrides) -> dict:
    payload = {
        "chargeback_id": chargeback_id,
        "amazon_order_id": "113-4567890-1234567",
        "filed_at": "2026-11-26T09:00:00Z",
        "amount": {"amount": "299.99", "currency": "USD"},
        "status": "open",
        "kind": "service",
    }
    return {**payload, **overrides}
