"""The live queue: an open queue polls, and new tickets, reassignments and delivery states
show without a reload; a poll with nothing new costs no query of tickets. Also the page
title's count, the seller-account badge and the view a manager lands on."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import SellerAccountFactory, TicketFactory
from tickets.counts import SETTLE_SECONDS
from tickets.models import OutboundMessage, Ticket
from tickets.outbound.services import outbound_deliver
from tickets.replies import ticket_reply
from tickets.services import ticket_update

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "queue-results"}


def live_url(response) -> str:
    match = re.search(r'id="queue-live"[^>]*hx-get="([^"]+)"', response.content.decode())
    assert match, "the queue has no live poll"
    return match.group(1).replace("&amp;", "&")


def ticket_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-ticket="(\d+)"', response.content.decode())]


def settled():
    """Later than a write's settling time, with the clock standing still."""
    return time_machine.travel(timezone.now() + timedelta(seconds=SETTLE_SECONDS + 1), tick=False)


def test_a_poll_with_nothing_new_is_answered_without_reading_tickets(alice_client, account, buyer_writes):
    buyer_writes(account)
    with settled():
        page = alice_client.get("/queue/open/")
        with CaptureQueriesContext(connection) as queries:
            poll = alice_client.get(live_url(page), **HTMX)
    assert poll.status_code == 204
    assert not [q for q in queries if "tickets_ticket" in q["sql"]]


def test_a_new_ticket_appears_at_the_next_poll(alice_client, account, buyer_writes):
    first = buyer_writes(account)
    with settled():
        page = alice_client.get("/queue/open/")
    second = buyer_writes(account, "Another question", hours_ago=5)
    poll = alice_client.get(live_url(page), **HTMX)
    assert poll.status_code == 200
    assert set(ticket_ids(poll)) == {first.pk, second.pk}


def test_a_reassignment_appears_at_the_next_poll(alice_client, alice, bob, account, buyer_writes):
    ticket = buyer_writes(account)
    ticket_update(ticket=ticket, actor=alice, assignee=alice)
    with settled():
        page = alice_client.get("/queue/mine/")
        assert ticket_ids(page) == [ticket.pk]
        ticket_update(ticket=ticket, actor=bob, assignee=bob)
        poll = alice_client.get(live_url(page), **HTMX)
    assert poll.status_code == 200
    assert ticket_ids(poll) == []


def test_a_replys_delivery_state_appears_at_the_next_poll(alice_client, alice, account, buyer_writes):
    ticket = buyer_writes(account)
    outbound = ticket_reply(ticket=ticket, body="It ships today.", actor=alice, channel="ui", status_after="")
    with settled():
        page = alice_client.get("/queue/open/")
        assert '<span class="delivery queued">Queued</span>' in page.content.decode()
        assert outbound_deliver(outbound_id=outbound.pk) == OutboundMessage.Status.SENT
        poll = alice_client.get(live_url(page), **HTMX)
    assert poll.status_code == 200
    assert '<span class="delivery sent">Sent</span>' in poll.content.decode()


def test_a_write_on_another_account_leaves_the_agents_queue_alone(alice_client, account, other_account, buyer_writes):
    buyer_writes(account)
    with settled():
        page = alice_client.get("/queue/open/")
        TicketFactory(seller_account=other_account, status=Ticket.Status.OPEN)
        assert alice_client.get(live_url(page), **HTMX).status_code == 204


def test_a_poll_brings_the_counts_and_the_title_but_leaves_the_address(alice_client, account, buyer_writes):
    buyer_writes(account)
    page = alice_client.get("/queue/open/")
    assert "<title>All open (1) · CSM Desk</title>" in page.content.decode()
    buyer_writes(account, "Second", hours_ago=3)
    poll = alice_client.get(live_url(page), **HTMX)
    html = poll.content.decode()
    assert "<title>All open (2) · CSM Desk</title>" in html
    assert re.search(r'<span id="count-open" class="count" hx-swap-oob="true">2</span>', html)
    assert "HX-Push-Url" not in poll


def test_the_poll_keeps_the_search_and_filters_of_the_page(alice_client, account, buyer_writes):
    buyer_writes(account, "The steam wand drips")
    page = alice_client.get("/queue/open/", {"q": "wand"})
    assert "q=wand" in live_url(page)


def test_rows_name_their_seller_account_for_someone_who_sees_several(client, manager, account, other_account):
    TicketFactory(seller_account=account, status=Ticket.Status.OPEN)
    client.force_login(manager)
    html = client.get("/queue/open/").content.decode()
    assert f'<span class="badge account" title="Seller account">{account}</span>' in html


def test_an_agent_of_one_account_sees_no_account_badge(alice_client, account, buyer_writes):
    buyer_writes(account)
    assert 'class="badge account"' not in alice_client.get("/queue/open/").content.decode()


def test_a_manager_lands_on_the_breached_tickets_rather_than_an_empty_mine(client, manager, account, buyer_writes):
    buyer_writes(account, hours_ago=30)  # past Amazon's 24 hours
    client.force_login(manager)
    html = client.get("/").content.decode()
    assert "<h1>Breached</h1>" in html


def test_a_manager_with_nothing_pressing_lands_on_all_open(client, manager, db):
    SellerAccountFactory()
    client.force_login(manager)
    assert "<h1>All open</h1>" in client.get("/").content.decode()


def test_an_agent_lands_on_their_own_tickets(alice_client, alice, account, buyer_writes):
    ticket_update(ticket=buyer_writes(account), actor=alice, assignee=alice)
    assert "<h1>Mine</h1>" in alice_client.get("/").content.decode()


def test_an_agent_with_none_of_their_own_lands_on_the_unassigned(alice_client, account, buyer_writes):
    buyer_writes(account)
    assert "<h1>Unassigned</h1>" in alice_client.get("/").content.decode()
