"""Two managers approving the same held reply at once, for real: threads with their own
database connections. PostgreSQL only (SQLite serialises writers anyway)."""

import threading
import time

import pytest
from django.db import connection

from tests.factories import OrderFactory, TicketFactory
from tickets import held as held_module
from tickets.held import held_message_approve
from tickets.models import ForbiddenPhrase, HeldMessage, Message, OutboundMessage, PhraseAction
from tickets.outbound.services import MessageHeld, message_send

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database"),
]


def test_two_managers_approving_at_once_send_it_once(account, alice, manager, monkeypatch):
    ForbiddenPhrase.objects.create(seller_account=account, phrase="lifetime guarantee", action=PhraseAction.HOLD)
    order = OrderFactory(seller_account=account)
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    with pytest.raises(MessageHeld) as raised:
        message_send(ticket=ticket, body="A lifetime guarantee, of course.", actor=alice, channel="ui")
    held_id = raised.value.held.pk
    # Keep the rows queued (no broker in this test), and make each send slow enough for
    # the other manager's claim to arrive while the first transaction is still open.
    monkeypatch.setattr("tickets.outbound.services.outbound_enqueue", lambda **kwargs: True)
    send = held_module._send

    def slow_send(**kwargs):
        time.sleep(0.3)
        return send(**kwargs)

    monkeypatch.setattr(held_module, "_send", slow_send)

    outcomes = []
    barrier = threading.Barrier(3)

    def approve():
        barrier.wait()
        try:
            outcomes.append(held_message_approve(held=HeldMessage.objects.get(pk=held_id), actor=manager))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False, False, True]
    assert OutboundMessage.objects.count() == 1
    assert Message.objects.filter(ticket=ticket, direction="outbound").count() == 1
