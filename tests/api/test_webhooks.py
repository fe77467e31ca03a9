"""Webhooks out: an outbox row per subscription, posted by Celery after commit, signed
with HMAC-SHA256, retried with back-off, dead after MAX_ATTEMPTS."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine

from api.models import WebhookDelivery, WebhookSubscription
from api.webhooks import MAX_ATTEMPTS, webhook_deliver, webhook_emit, webhook_retry_now
from tests.api.payloads import message_payload

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-tests"


class Receiver:
    """A local HTTP server that checks each POST's signature and answers ``status``."""

    def __init__(self, status: int = 204):
        self.status = status
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                receiver.received.append(
                    {
                        "signed": hmac.compare_digest(expected, self.headers["X-CSMDesk-Signature"]),
                        "timestamp": self.headers["X-CSMDesk-Timestamp"],
                        "event": self.headers["X-CSMDesk-Event"],
                        "body": json.loads(body),
                    }
                )
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def subscribe(account, url: str, events=("ticket.created",)) -> WebhookSubscription:
    subscription = WebhookSubscription.objects.create(name="CRM", url=url, secret=SECRET, events=list(events))
    subscription.seller_accounts.add(account)
    return subscription


def test_a_new_ticket_from_ingest_is_posted_signed_after_commit(
    ingest_api, account, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        subscribe(account, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            ingest_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=None))
    [post] = receiver.received
    assert (post["signed"], post["event"], post["body"]["data"]["subject"]) == (
        True,
        "ticket.created",
        "Where is my order?",
    )
    assert WebhookDelivery.objects.get().status == "delivered"


def test_nothing_is_posted_before_commit(ingest_api, account, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        subscribe(account, receiver.url)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ingest_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=None))
        assert (len(callbacks), receiver.received) == (1, [])


def test_a_replayed_message_emits_no_second_event(ingest_api, account, django_capture_on_commit_callbacks):
    subscribe(account, "http://127.0.0.1:9/unused")
    ingest_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=None))
    ingest_api.post("/api/v1/messages/", message_payload(account, amazon_order_id=None))
    assert WebhookDelivery.objects.count() == 1


def test_other_accounts_subscribers_hear_nothing(account, other_account):
    subscribe(other_account, "http://127.0.0.1:9/unused")
    assert webhook_emit(event="ticket.created", seller_account=account, payload={}) == []


def test_a_subscriber_only_gets_the_events_it_chose(account):
    subscribe(account, "http://127.0.0.1:9/unused", events=["odr.status_changed"])
    assert webhook_emit(event="ticket.created", seller_account=account, payload={}) == []


def test_a_failed_post_is_retried_with_back_off(account):
    with Receiver(status=500) as receiver:
        subscribe(account, receiver.url)
        with time_machine.travel("2026-11-26 10:00:00Z", tick=False):
            [delivery] = webhook_emit(event="ticket.created", seller_account=account, payload={"id": 1})
            assert webhook_deliver(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.last_status_code, delivery.next_attempt_at.isoformat()) == (500, "2026-11-26T10:00:30+00:00")


def test_a_delivery_is_not_posted_twice_when_two_workers_race(account):
    with Receiver() as receiver:
        subscribe(account, receiver.url)
        [delivery] = webhook_emit(event="ticket.created", seller_account=account, payload={})
        results = [webhook_deliver(delivery_id=delivery.pk), webhook_deliver(delivery_id=delivery.pk)]
    assert (results, len(receiver.received)) == (["delivered", "not_claimed"], 1)


def test_an_unreachable_subscriber_is_dead_after_max_attempts(account):
    subscribe(account, "http://127.0.0.1:9/nobody-listens")
    [delivery] = webhook_emit(event="ticket.created", seller_account=account, payload={})
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert webhook_deliver(delivery_id=delivery.pk) == "dead"


def test_retry_now_gives_a_dead_delivery_a_fresh_round(account, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        subscribe(account, receiver.url)
        [delivery] = webhook_emit(event="ticket.created", seller_account=account, payload={})
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status="dead", attempts=MAX_ATTEMPTS)
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_retry_now(delivery=delivery)
    assert WebhookDelivery.objects.get().status == "delivered"
