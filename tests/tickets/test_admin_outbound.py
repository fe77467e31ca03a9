"""Managers see dead messages with their error and can send them again."""

import pytest

from tests.factories import OrderFactory, TicketFactory
from tickets.models import OutboundMessage
from tickets.outbound.services import message_send

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/tickets/outboundmessage/"


@pytest.fixture
def dead_message(account, alice):
    order = OrderFactory(seller_account=account)
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order)
    outbound = message_send(ticket=ticket, body="A replacement ships today.", actor=alice, channel="ui")
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        status="dead", attempts=8, last_error="SMTPServerDisconnected: Connection unexpectedly closed"
    )
    return outbound


def test_a_dead_message_shows_its_error_in_the_outbox(client, manager, dead_message):
    client.force_login(manager)
    response = client.get(CHANGELIST, {"status__exact": "dead"})
    assert response.status_code == 200
    assert "Connection unexpectedly closed" in response.content.decode()


def test_retry_now_sends_a_dead_message_again(client, manager, dead_message, django_capture_on_commit_callbacks):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "retry_now", "_selected_action": [dead_message.pk], "index": 0}, follow=True
        )
    assert response.status_code == 200
    dead_message.refresh_from_db()
    assert dead_message.status == "sent"
    assert "1 message(s) queued again." in response.content.decode()


def test_the_large_table_paginator_counts_small_and_filtered_lists_exactly(account):
    from tests.factories import OrderFactory as Orders
    from tickets.admin.base import LargeTablePaginator
    from tickets.models import Order

    Orders.create_batch(3, seller_account=account)
    assert LargeTablePaginator(Order.objects.order_by("pk"), 50).count == 3
    assert LargeTablePaginator(Order.objects.filter(seller_account=account).order_by("pk"), 50).count == 3
