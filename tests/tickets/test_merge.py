"""Merging a buyer's duplicate tickets (tickets.merge): what moves, the clock, the refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from tests.factories import AtoZClaimFactory, BuyerFactory, OrderFactory, TicketFactory
from tickets.audit import audit_trail
from tickets.intake.messages import inbound_message_receive
from tickets.merge import MergeConflict, MergeRefused, ticket_merge, ticket_merge_preview
from tickets.models import Message, Ticket
from tickets.replies import ticket_reply
from tickets.services import ticket_note_add, ticket_update

pytestmark = pytest.mark.django_db


def buyer_writes(account, body="Where is my package?", *, hours_ago=1.0, buyer=None, order=None):
    buyer = buyer or (order.buyer if order else BuyerFactory(seller_account=account))
    return inbound_message_receive(
        seller_account=account,
        buyer=buyer,
        body=body,
        received_at=timezone.now() - timedelta(hours=hours_ago),
        order=order,
        actor="test",
    ).message.ticket


@pytest.fixture
def split_thread(account):
    """One buyer's question about one order in two tickets (a relay thread split in two):
    the first one answered and waiting, the second one new and unanswered."""
    order = OrderFactory(seller_account=account)
    first = buyer_writes(account, "My grinder is jammed.", hours_ago=10, order=order)
    ticket_reply(ticket=first, body="Sorry! Remove the top burr.", actor="test", channel="api")
    ticket_update(ticket=first, actor="test", status=Ticket.Status.PENDING)
    second = TicketFactory(seller_account=account, buyer=order.buyer, order=order, subject="Re: jammed")
    inbound_message_receive(
        seller_account=account,
        buyer=order.buyer,
        body="Still jammed after that.",
        received_at=timezone.now() - timedelta(hours=2),
        thread=second,
        order=order,
        actor="test",
    )
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def test_the_conversation_moves_to_the_survivor(split_thread):
    first, second = split_thread
    ticket_merge(survivor=first, duplicates=[second], actor="test")
    assert list(first.messages.values_list("body", flat=True)) == [
        "My grinder is jammed.",
        "Still jammed after that.",  # in time order: received before the reply was written
        "Sorry! Remove the top burr.",
    ]


def test_the_survivors_clock_runs_from_the_waiting_message_and_it_opens_again(split_thread):
    first, second = split_thread
    due = second.sla_due_at
    ticket_merge(survivor=first, duplicates=[second], actor="test")
    first.refresh_from_db()
    assert (first.sla_due_at, first.status) == (due, Ticket.Status.OPEN)


def test_the_merged_ticket_is_closed_without_a_clock_and_points_at_the_survivor(split_thread):
    first, second = split_thread
    ticket_merge(survivor=first, duplicates=[second], actor="test")
    second.refresh_from_db()
    assert (second.status, second.sla_due_at, second.merged_into_id) == ("closed", None, first.pk)


def test_the_preview_counts_what_would_move_and_changes_nothing(split_thread):
    first, second = split_thread
    preview = ticket_merge_preview(survivor=first, duplicates=[second])
    assert (preview.buyer_messages, preview.unanswered, preview.clock_after, preview.status_after) == (
        1,
        1,
        second.sla_due_at,
        "open",
    )
    assert Message.objects.filter(ticket=second).count() == 1


def test_claims_move_with_the_conversation(split_thread):
    first, second = split_thread
    claim = AtoZClaimFactory(order=first.order, ticket=second)
    ticket_merge(survivor=first, duplicates=[second], actor="test")
    claim.refresh_from_db()
    assert claim.ticket_id == first.pk


def test_the_survivors_audit_trail_holds_the_duplicates_history(split_thread, alice):
    first, second = split_thread
    ticket_note_add(ticket=second, body="Asked on the phone too.", actor=alice)
    ticket_merge(survivor=first, duplicates=[second], actor=alice)
    actions = {e.action for e in audit_trail(first)}
    assert {"note.added", "ticket.merged", "ticket.merged_into"} <= actions


def test_the_merge_is_audited_with_who_and_what(split_thread, alice):
    first, second = split_thread
    ticket_merge(survivor=first, duplicates=[second], actor=alice)
    event = audit_trail(first).get(action="ticket.merged")
    expected = (alice, [second.pk], ["pending", "open"])
    assert (event.actor, event.changes["merged_from"], event.changes["status"]) == expected


def test_subscribers_hear_ticket_merged(split_thread, account):
    first, second = split_thread
    subscription = WebhookSubscription.objects.create(name="CRM", url="http://127.0.0.1:9/", events=["ticket.merged"])
    subscription.seller_accounts.add(account)
    ticket_merge(survivor=first, duplicates=[second], actor="test")
    delivery = WebhookDelivery.objects.get(event="ticket.merged")
    assert f'"merged_tickets":[{second.pk}]' in delivery.body


def test_a_buyer_reply_to_the_merged_conversation_joins_the_survivor(split_thread, account):
    first, second = split_thread
    ticket_merge(survivor=first, duplicates=[second], actor="test")
    receipt = inbound_message_receive(
        seller_account=account,
        buyer=first.buyer,
        body="Any news?",
        received_at=timezone.now(),
        thread=second,
        order=first.order,
        actor="test",
    )
    assert receipt.message.ticket_id == first.pk


def test_another_buyers_ticket_is_refused_with_the_reason(account):
    one, other = buyer_writes(account), buyer_writes(account)
    with pytest.raises(MergeRefused, match="another buyer's"):
        ticket_merge(survivor=one, duplicates=[other], actor="test")


def test_another_seller_accounts_ticket_is_refused(account, other_account):
    one, other = buyer_writes(account), buyer_writes(other_account)
    with pytest.raises(MergeRefused, match="another seller account"):
        ticket_merge_preview(survivor=one, duplicates=[other])


def test_a_ticket_about_another_order_is_refused(account):
    buyer = BuyerFactory(seller_account=account)
    one = buyer_writes(account, order=OrderFactory(seller_account=account, buyer=buyer))
    other = buyer_writes(account, order=OrderFactory(seller_account=account, buyer=buyer))
    with pytest.raises(MergeRefused, match="another order"):
        ticket_merge_preview(survivor=one, duplicates=[other])


def test_a_closed_survivor_is_refused(split_thread):
    first, second = split_thread
    Ticket.objects.filter(pk=first.pk).update(status="closed")
    first.refresh_from_db()
    with pytest.raises(MergeRefused, match="closed"):
        ticket_merge_preview(survivor=first, duplicates=[second])


def test_a_ticket_merged_already_cannot_be_merged_again(split_thread, account):
    first, second = split_thread
    ticket_merge(survivor=first, duplicates=[second], actor="test")
    third = buyer_writes(account, buyer=first.buyer)
    with pytest.raises(MergeConflict):
        ticket_merge(survivor=third, duplicates=[second], actor="test")


def test_a_refused_merge_writes_nothing(account):
    one, other = buyer_writes(account), buyer_writes(account)
    with pytest.raises(MergeRefused):
        ticket_merge(survivor=one, duplicates=[other], actor="test")
    assert not Ticket.objects.filter(merged_into__isnull=False).exists()
    assert other.messages.count() == 1
