"""Files in the API: kept with messages (``attachments: [{name, size, content_type, url}]``),
sent by the ingest in base64, attached to a reply as base64 or multipart, and served only
to keys that see the ticket."""

import base64

import pytest
from django.test import Client

from tests.api.payloads import message_payload
from tests.factories import OrderFactory
from tickets.models import Attachment, Message, OutboundMessage, Ticket

pytestmark = pytest.mark.django_db

PHOTO = b"\xff\xd8\xff\xe0 cracked tank"
PDF = b"%PDF-1.7 guide"


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


@pytest.fixture
def order(account):
    return OrderFactory(seller_account=account, amazon_order_id="113-4567890-1234567")


@pytest.fixture
def photo_message(ingest_api, account, order):
    files = [
        {"name": "tank.jpg", "content_type": "image/jpeg", "content_base64": b64(PHOTO)},
        {"name": "clip.mov", "content_type": "video/quicktime", "content_base64": b64(b"moov")},
    ]
    response = ingest_api.post("/api/v1/messages/", message_payload(account, attachments=files))
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_ingest_keeps_the_buyer_s_files_and_lists_them_on_the_message(photo_message):
    kept, refused = photo_message["attachments"]
    assert {k: kept[k] for k in ("name", "size", "content_type")} == {
        "name": "tank.jpg",
        "size": len(PHOTO),
        "content_type": "image/jpeg",
    }
    assert kept["url"].endswith(f"/api/v1/attachments/{kept['id']}/")
    assert refused["url"] is None and "video/quicktime" in refused["refused_reason"]


def test_the_file_s_url_serves_it_to_a_key_of_the_account(photo_message, bob_read_api):
    response = bob_read_api.get(photo_message["attachments"][0]["url"])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PHOTO


def test_another_account_s_key_gets_a_404(photo_message, charlie_api):
    assert charlie_api.get(photo_message["attachments"][0]["url"]).status_code == 404


def test_without_a_key_the_file_is_refused(photo_message):
    assert Client().get(photo_message["attachments"][0]["url"]).status_code in (401, 403)


def test_not_base64_is_a_field_error_and_writes_nothing(ingest_api, account, order):
    files = [{"name": "tank.jpg", "content_type": "image/jpeg", "content_base64": "not base64!"}]
    response = ingest_api.post("/api/v1/messages/", message_payload(account, attachments=files))
    assert response.status_code == 400
    assert "Not valid base64." in str(response.json()["attachments"]), response.json()
    assert not Message.objects.exists()


def test_the_message_list_shows_files_in_the_same_number_of_queries_for_many(
    ingest_api, bob_read_api, account, order, django_assert_max_num_queries
):
    file = {"name": "tank.jpg", "content_type": "image/jpeg", "content_base64": b64(PHOTO)}
    ingest_api.post("/api/v1/messages/", message_payload(account, "m0", attachments=[file]))
    with django_assert_max_num_queries(50) as one:
        response = bob_read_api.get("/api/v1/messages/")
    assert response.status_code == 200
    baseline = len(one)  # now: the next request clears the connection's query log
    for n in range(8):
        ingest_api.post("/api/v1/messages/", message_payload(account, f"m{n + 1}", attachments=[file] * 3))
    with django_assert_max_num_queries(baseline):
        response = bob_read_api.get("/api/v1/messages/")
    assert sum(len(m["attachments"]) for m in response.json()["results"]) == 25


@pytest.fixture
def ticket(photo_message):
    return Ticket.objects.get(pk=photo_message["ticket"])


def test_a_reply_carries_files_in_base64(alice_api, ticket):
    files = [{"name": "guide.pdf", "content_type": "application/pdf", "content_base64": b64(PDF)}]
    response = alice_api.post(
        f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Here is the guide.", "attachments": files}
    )
    assert response.status_code == 201, response.json()
    outbound = OutboundMessage.objects.get(pk=response.json()["id"])
    assert list(outbound.attachments.values_list("name", "content_type")) == [("guide.pdf", "application/pdf")]


def test_a_reply_carries_files_as_multipart_uploads(alice_key, ticket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(headers={"Authorization": f"Token {alice_key[1]}"})
    upload = SimpleUploadedFile("guide.pdf", PDF, "application/pdf")
    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Here is the guide.", "attachments": [upload]}
    )
    assert response.status_code == 201, response.json()
    assert Attachment.objects.get(outbound_id=response.json()["id"]).size == len(PDF)


def test_a_reply_with_a_forbidden_file_is_a_400_and_writes_nothing(alice_api, ticket):
    files = [{"name": "run.exe", "content_type": "application/x-msdownload", "content_base64": b64(b"MZ")}]
    response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Here it is.", "attachments": files})
    assert response.status_code == 400
    assert "run.exe" in response.json()["attachments"][0]
    assert not OutboundMessage.objects.exists()


def test_a_reply_with_six_files_is_a_400(alice_api, ticket):
    files = [{"name": "guide.pdf", "content_type": "application/pdf", "content_base64": b64(PDF)}] * 6
    response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Here it is.", "attachments": files})
    assert response.status_code == 400 and "attachments" in response.json()
