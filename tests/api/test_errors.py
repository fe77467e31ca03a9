"""Bad input never answers 500: 400 field messages, 409, 413, 415, 422, 429."""

import base64
import json

import pytest
from django.test import Client

from tests.api.payloads import order_payload, orders_payload
from tests.factories import TicketFactory
from tickets.models import BlockedMessage, Order, OutboundMessage

pytestmark = pytest.mark.django_db


def test_malformed_json_is_a_400(ingest_api):
    response = ingest_api.post("/api/v1/orders/", "{not json")
    assert response.status_code == 400


def test_a_missing_field_is_named(ingest_api, account):
    payload = order_payload(account)
    del payload["purchased_at"]
    assert ingest_api.post("/api/v1/orders/", payload).json() == {"purchased_at": ["This field is required."]}


def test_a_form_body_is_a_415(ingest_api, account):
    response = ingest_api.post("/api/v1/orders/", "a=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_a_body_over_the_limit_is_a_413_and_writes_nothing(ingest_api, account, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = ingest_api.post("/api/v1/orders/", orders_payload(account, 50))
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than the limit."}
    assert not Order.objects.exists()


def test_a_chunked_body_over_the_limit_is_a_413(ingest_api, account, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps(orders_payload(account, 50))
    # No Content-Length: the parser counts what it reads.
    response = ingest_api.generic("POST", "/api/v1/orders/", body, content_type="application/json", CONTENT_LENGTH="")
    assert response.status_code in (400, 413)


def test_reopening_a_closed_ticket_is_a_409(alice_api, account):
    ticket = TicketFactory(seller_account=account, status="closed")
    response = alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"status": "open"})
    assert response.status_code == 409
    assert response.json() == {"detail": "A ticket cannot go from closed to open."}


def test_a_conflicting_patch_writes_nothing(alice_api, account, alice):
    ticket = TicketFactory(seller_account=account, status="closed", priority=2)
    alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"priority": 4, "status": "open"})
    ticket.refresh_from_db()
    assert ticket.priority == 2


def test_a_refused_reply_is_a_422_with_violations(alice_api, account):
    ticket = TicketFactory(seller_account=account)
    response = alice_api.post(
        f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Would you consider updating your review?"}
    )
    assert response.status_code == 422
    assert response.json()["violations"][0]["rule"] == "review_change_request"


def test_a_refused_reply_queues_nothing_but_is_logged_for_managers(alice_api, account):
    ticket = TicketFactory(seller_account=account)
    alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Would you consider updating your review?"})
    assert (OutboundMessage.objects.count(), BlockedMessage.objects.get().channel) == (0, "api")


def test_too_many_requests_is_a_429_with_retry_after(alice_api, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    statuses = [alice_api.get("/api/v1/tickets/").status_code for _ in range(3)]
    response = alice_api.get("/api/v1/tickets/")
    assert statuses == [200, 200, 429]
    assert int(response["Retry-After"]) > 0


def test_throttling_counts_per_key(alice_api, charlie_api, settings):
    settings.API_THROTTLE_RATE = "1/minute"
    alice_api.get("/api/v1/tickets/")
    assert charlie_api.get("/api/v1/tickets/").status_code == 200


def test_an_unknown_ticket_is_a_404(alice_api):
    assert alice_api.get("/api/v1/tickets/999999/").status_code == 404


def test_a_bad_cursor_is_a_404_not_a_500(alice_api):
    assert alice_api.get("/api/v1/tickets/?cursor=%%%").status_code == 404


def test_a_list_body_on_a_single_object_endpoint_is_a_400(ingest_api):
    assert ingest_api.post("/api/v1/messages/", [1, 2]).status_code == 400


def test_errors_are_json(client):
    response = Client().get("/api/v1/tickets/")
    assert response["Content-Type"] == "application/json"


def test_a_null_body_is_an_object_of_field_messages(ingest_api):
    response = ingest_api.post("/api/v1/orders/", "null")
    assert (response.status_code, list(response.json())) == (400, ["non_field_errors"])


def test_a_forged_cursor_with_an_odd_offset_is_never_a_500(alice_api):
    cursor = base64.urlsafe_b64encode(b'["2026-01-01T00:00:00+20:56", 1]').decode()
    assert alice_api.get(f"/api/v1/tickets/?cursor={cursor}").status_code == 200


def test_a_cursor_nested_a_thousand_deep_is_a_404_not_a_500(alice_api):
    import base64

    cursor = base64.urlsafe_b64encode(b"[" * 1000 + b"]" * 1000).decode()
    assert alice_api.get("/api/v1/tickets/", {"cursor": cursor}).status_code == 404
