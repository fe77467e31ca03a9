"""Two workers racing for the same outbox row, for real: threads with their own
database connections. PostgreSQL only (SQLite serialises writers anyway)."""

import threading
import time

import pytest
from django.db import connection

from tests.factories import OrderFactory, TicketFactory
from tickets.models import OutboundMessage
from tickets.outbound import gateways
from tickets.outbound.services import message_send, outbound_deliver

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database"),
]


class SlowGateway:
    def __init__(self):
        self.sent = []
        self.lock = threading.Lock()

    def send(self, outbound):
        time.sleep(0.2)  # long enough for the other worker to try its claim
        with self.lock:
            self.sent.append(outbound.pk)
        return f"slow-{outbound.pk}"


def test_two_workers_dispatching_the_same_row_send_it_once(account, alice, monkeypatch):
    gateway = SlowGateway()
    monkeypatch.setitem(gateways.GATEWAYS, "console", gateway)
    order = OrderFactory(seller_account=account)
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order)
    # Autocommit here would dispatch right away; keep the row queued for the race.
    monkeypatch.setattr("tickets.outbound.services.outbound_enqueue", lambda **kwargs: True)
    outbound = message_send(ticket=ticket, body="A replacement ships today.", actor=alice, channel="ui")

    outcomes = []
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        try:
            outcomes.append(outbound_deliver(outbound_id=outbound.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["not_claimed", "not_claimed", "not_claimed", "sent"]
    assert gateway.sent == [outbound.pk]
    assert OutboundMessage.objects.get(pk=outbound.pk).status == "sent"
