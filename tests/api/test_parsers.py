"""The API's JSON parser: size (also of a chunked body), nesting depth and NUL characters
are 400/413 field errors, never a 500, and nothing is written."""

import io
import json

import pytest

from tests.api.payloads import message_payload, order_payload, orders_payload
from tests.factories import TicketFactory
from tickets.models import Message, Order

pytestmark = pytest.mark.django_db


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_a_thousand_deep_is_a_400(ingest_api):
    response = ingest_api.post("/api/v1/orders/", _nested(1000))
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON nested deeper than 32 levels."}


def test_json_nested_a_hundred_thousand_deep_is_a_400(ingest_api):
    response = ingest_api.post("/api/v1/orders/", _nested(100_000))
    assert response.status_code == 400


def test_json_at_the_depth_limit_is_parsed(ingest_api, settings):
    settings.API_JSON_MAX_DEPTH = 3
    # Three levels: the fields' own validation answers, not the depth limit.
    response = ingest_api.post("/api/v1/orders/", {"order_total": {"amount": ["x"]}})
    assert "purchased_at" in response.json()


def test_json_one_level_over_the_limit_is_a_400(ingest_api, settings):
    settings.API_JSON_MAX_DEPTH = 3
    response = ingest_api.post("/api/v1/orders/", {"order_total": {"amount": [["x"]]}})
    assert response.json() == {"detail": "JSON nested deeper than 3 levels."}


def test_a_bulk_of_orders_is_within_the_depth_limit(ingest_api, account):
    response = ingest_api.post("/api/v1/orders/", orders_payload(account, 3))
    assert response.status_code == 201


def test_a_nul_in_a_patch_field_is_a_400_naming_the_field(alice_api, account):
    ticket = TicketFactory(seller_account=account)
    response = alice_api.patch(f"/api/v1/tickets/{ticket.pk}/", {"assignee": "a\u0000b"})
    assert (response.status_code, response.json()) == (400, {"assignee": ["Null characters are not allowed."]})


def test_a_nul_deep_in_a_bulk_order_is_a_400_and_writes_nothing(ingest_api, account):
    payload = orders_payload(account, 3)
    payload[2]["buyer"]["name"] = "Jordan\u0000Lee"
    response = ingest_api.post("/api/v1/orders/", payload)
    assert (response.status_code, Order.objects.count()) == (400, 0)


def test_a_nul_in_a_message_body_is_a_400_naming_the_field(ingest_api, account):
    payload = message_payload(account, amazon_order_id=None, body="hello\u0000")
    response = ingest_api.post("/api/v1/messages/", payload)
    assert response.json() == {"body": ["Null characters are not allowed."]}
    assert not Message.objects.exists()


def test_an_escaped_backslash_before_u0000_is_not_a_nul(ingest_api, account):
    # The JSON text \\u0000 is a backslash followed by "u0000": plain text, accepted.
    payload = message_payload(account, amazon_order_id=None, body="C:\\u0000 folder")
    response = ingest_api.post("/api/v1/messages/", payload)
    assert response.status_code == 201


def _chunked(client, path: str, body: bytes):
    """A request as gunicorn hands over a chunked upload: no Content-Length, the de-chunked
    body in wsgi.input, marked terminated."""
    return client.generic(
        "POST",
        path,
        b"",
        CONTENT_TYPE="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_the_limit_is_a_413_not_a_400(ingest_api, account, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = _chunked(ingest_api, "/api/v1/orders/", json.dumps(orders_payload(account, 50)).encode())
    assert (response.status_code, Order.objects.count()) == (413, 0)


def test_a_chunked_body_within_the_limit_is_read(ingest_api, account):
    response = _chunked(ingest_api, "/api/v1/orders/", json.dumps(order_payload(account)).encode())
    assert (response.status_code, Order.objects.count()) == (201, 1)
