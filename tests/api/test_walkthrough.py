"""The README's "REST API" walkthrough, request by request, with the Django test client:
a manager creates a key in the admin, an integration pushes a day of data, reads tickets,
replies (and meets a compliance refusal), and reads back what it pushed."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(client, manager, account) -> str:
    """Step 1: the admin shows the new key once."""
    client.force_login(manager)
    response = client.post(
        "/admin/api/apikey/add/",
        {"name": "Espresso Co. integration", "scope": "agent", "seller_accounts": [account.pk]},
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"] if "The new key is" in str(m)]
    return message.split("The new key is ")[1].split(" ")[0]


@pytest.fixture
def api(token) -> Client:
    return Client(headers={"Authorization": f"Token {token}"})


def post(api: Client, path: str, body) -> dict:
    response = api.post(f"/api/v1{path}", body, content_type="application/json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def test_the_walkthrough_from_key_to_reply(api, account):
    # 2. The catalogue and a day of orders (a list: up to 1,000 per request).
    product = api.put(
        f"/api/v1/products/B0ESPRESS1/?seller_account={account.pk}",
        {"sku": "ESP-100", "title": "Programmable Espresso Machine", "guide_url": "https://guides.example.com/esp.pdf"},
        content_type="application/json",
    )
    assert product.status_code == 201
    orders = [
        {
            "seller_account": account.pk,
            "amazon_order_id": f"113-4567890-123456{n}",
            "buyer": {"amazon_buyer_id": f"AMZBUYER00012{n}", "name": "Jordan Lee"},
            "purchased_at": "2026-11-20T14:03:00Z",
            "fulfillment_channel": "FBM",
            "status": "shipped",
            "order_total": {"amount": "299.99", "currency": "USD"},
            "items": [{"asin": "B0ESPRESS1", "quantity": 1, "unit_price": {"amount": "299.99", "currency": "USD"}}],
        }
        for n in range(2)
    ]
    assert post(api, "/orders/", orders)["created"] == 2
    # 3. Delivery, a buyer message, a claim.
    post(
        api,
        "/orders/113-4567890-1234560/events/",
        {"event_id": "evt-1", "type": "delivered", "occurred_at": "2026-11-25T16:40:00Z"},
    )
    message = post(
        api,
        "/messages/",
        {
            "external_id": "amzn-msg-0001",
            "seller_account": account.pk,
            "amazon_buyer_id": "AMZBUYER000120",
            "amazon_order_id": "113-4567890-1234560",
            "subject": "Cracked reservoir",
            "body": "The water reservoir arrived cracked.",
            "received_at": "2026-11-26T08:15:00Z",
        },
    )
    claim = post(
        api,
        "/claims/",
        {
            "claim_id": "AZ-00001234",
            "amazon_order_id": "113-4567890-1234561",
            "filed_at": "2026-11-26T09:00:00Z",
            "reason": "Item not received",
            "amount": {"amount": "299.99", "currency": "USD"},
            "status": "action_required",
        },
    )
    # 4. Read the queue: the buyer's message, and the claim's defence ticket due at its deadline.
    tickets = api.get("/api/v1/tickets/?status=new").json()["results"]
    assert {t["id"] for t in tickets} == {message["ticket"], claim["ticket"]}
    defence = api.get(f"/api/v1/tickets/{claim['ticket']}/").json()
    assert (defence["kind"], defence["sla_due_at"]) == ("a_to_z_defence", "2026-11-29T09:00:00Z")
    # 5. A reply that asks for a review change is refused with the reason…
    refused = api.post(
        f"/api/v1/tickets/{message['ticket']}/replies/",
        {"body": "A replacement ships today. Would you consider updating your review?"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["violations"][0]["rule"] == "review_change_request"
    # …a plain one is queued.
    reply = post(api, f"/tickets/{message['ticket']}/replies/", {"body": "Sorry! A replacement reservoir ships today."})
    assert reply["status"] == "queued"
    # 6. Read back.
    order = api.get("/api/v1/orders/113-4567890-1234560/").json()
    assert (order["status"], order["delivered_at"]) == ("delivered", "2026-11-25T16:40:00Z")
    thread = api.get(f"/api/v1/messages/?ticket={message['ticket']}").json()["results"]
    assert sorted(m["direction"] for m in thread) == ["inbound", "outbound"]
    assert api.get("/api/v1/claims/").json()["results"][0]["respond_by"] == "2026-11-29T09:00:00Z"


def test_the_walkthrough_reviews_and_feedback(api, account):
    post(
        api,
        "/orders/",
        {
            "seller_account": account.pk,
            "amazon_order_id": "113-4567890-1234560",
            "buyer": {"amazon_buyer_id": "AMZBUYER000120"},
            "purchased_at": "2026-11-20T14:03:00Z",
            "fulfillment_channel": "FBM",
            "order_total": {"amount": "299.99", "currency": "USD"},
            "items": [{"asin": "B0ESPRESS1", "quantity": 1, "unit_price": {"amount": "299.99", "currency": "USD"}}],
        },
    )
    review = post(
        api,
        "/reviews/",
        {
            "amazon_review_id": "R000000000001",
            "asin": "B0ESPRESS1",
            "amazon_order_id": "113-4567890-1234560",
            "rating": 2,
            "title": "Leaks",
            "body": "The reservoir leaks.",
            "reviewed_at": "2026-11-26T10:00:00Z",
            "verified_purchase": True,
            "seller_account": account.pk,
        },
    )
    feedback = post(
        api,
        "/feedback/",
        {
            "amazon_order_id": "113-4567890-1234560",
            "rating": 1,
            "comment": "Arrived broken",
            "left_at": "2026-11-26T11:00:00Z",
            "removed": False,
        },
    )
    # The 2★ review opened an outreach case (never an ODR defect)…
    (case,) = api.get("/api/v1/outreach-cases/").json()["results"]
    assert (case["id"], case["review"], case["status"]) == (review["outreach_case"], "R000000000001", "new")
    # …the 1★ feedback opened a negative-feedback ticket and is the order's ODR defect.
    ticket = api.get(f"/api/v1/tickets/{feedback['ticket']}/").json()
    assert (feedback["is_negative"], ticket["kind"]) == (True, "negative_feedback")
    as_of = "2026-11-27"
    odr = api.get(f"/api/v1/metrics/odr/?seller_account={account.pk}&channel=FBM&as_of={as_of}").json()
    assert (odr["orders"], odr["defective_orders"], odr["negative_feedback"]["orders"]) == (1, 1, 1)
