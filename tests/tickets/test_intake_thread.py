"""``inbound_message_receive(thread=…)``: the conversation a channel read from the message
itself (the e-mail relay's In-Reply-To) is followed only when it is the buyer's, open to
messages, and about the same order; otherwise the intake's own thread rule decides."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BuyerFactory, OrderFactory, TicketFactory
from tickets.intake.messages import inbound_message_receive
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(account):
    return OrderFactory(seller_account=account)


def receive(account, buyer, *, thread, order=None):
    return inbound_message_receive(
        seller_account=account,
        buyer=buyer,
        body="Any news?",
        received_at=timezone.now() - timedelta(minutes=1),
        order=order,
        thread=thread,
        actor="test",
    )


def test_a_solved_thread_the_message_answers_is_followed_before_another_open_ticket(account, order):
    solved = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="solved")
    TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    receipt = receive(account, order.buyer, thread=solved, order=order)
    assert receipt.message.ticket == solved and Ticket.objects.get(pk=solved.pk).status == "open"


def test_a_thread_without_the_order_is_followed_by_a_message_that_names_none(account, order):
    thread = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    assert receive(account, order.buyer, thread=thread).message.ticket == thread


def test_another_buyer_s_thread_is_not_followed(account, order):
    thread = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    stranger = BuyerFactory(seller_account=account)
    assert receive(account, stranger, thread=thread).message.ticket != thread


def test_a_thread_about_another_order_is_not_followed(account, order):
    thread = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    second = OrderFactory(seller_account=account, buyer=order.buyer)
    assert receive(account, order.buyer, thread=thread, order=second).message.ticket.order == second


def test_a_closed_thread_is_not_followed(account, order):
    thread = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="closed")
    assert receive(account, order.buyer, thread=thread, order=order).ticket_created is True


def test_another_account_s_thread_is_not_followed(account, other_account, order):
    foreign = TicketFactory(seller_account=other_account, status="open")
    assert receive(account, order.buyer, thread=foreign, order=order).message.ticket.seller_account == account
