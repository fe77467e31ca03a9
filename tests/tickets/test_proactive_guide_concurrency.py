"""Two workers racing for the same guide, for real: threads with their own database
connections. PostgreSQL only (SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import OrderItemFactory, SellerAccountFactory
from tickets.models import MessageTemplate, OutboundMessage
from tickets.outbound.defaults import DEFAULT_TEMPLATES
from tickets.proactive.services import order_mark_delivered, proactive_guide_send

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database"),
]


def test_four_workers_sending_the_same_guide_queue_it_once(monkeypatch):
    spec = next(t for t in DEFAULT_TEMPLATES if t["slug"] == "quick_start_guide")
    MessageTemplate.objects.get_or_create(slug=spec["slug"], seller_account=None, defaults=spec)
    account = SellerAccountFactory(proactive_guides_enabled=True, allowed_link_domains="guides.example.com")
    order = OrderItemFactory(order__seller_account=account).order
    # Keep the guide scheduled for the race, and the outbox rows undispatched.
    monkeypatch.setattr("tickets.proactive.services.proactive_guide_enqueue", lambda **kwargs: True)
    monkeypatch.setattr("tickets.outbound.services.outbound_enqueue", lambda **kwargs: True)
    guide = order_mark_delivered(order=order, delivered_at=timezone.now(), actor="api-key:test", source="api")

    outcomes = []
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        try:
            outcomes.append(proactive_guide_send(guide_id=guide.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["not_claimed"] * 3 + ["queued"]
    assert OutboundMessage.objects.filter(order=order, purpose="proactive_guide").count() == 1
