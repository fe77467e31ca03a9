"""End to end: relay mail appended to a real Dovecot → poll → ticket → the agent's reply
through the e-mail gateway → a real SMTP server receives it with the threading headers →
the buyer's answer, appended to Dovecot, lands in the same ticket (issue #17 part 2)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amazon.tasks import poll_mailboxes
from tests.amazon.mails import notice, relay_mail
from tests.factories import OrderFactory
from tickets.models import Message, OutboundMessage, Ticket
from tickets.outbound.services import message_send, outbound_deliver
from tickets.outbound.threading import reply_token_for

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 11, 3, 14, 22, 31, tzinfo=UTC)  # the Date of relay_mail()
ORDER = "113-4820193-5531207"


@pytest.fixture(autouse=True)
def _just_after_the_mail_arrived():
    with time_machine.travel(RECEIVED + timedelta(minutes=1), tick=True):
        yield


@pytest.fixture
def email_account(account):
    account.outbound_gateway = "email"
    account.registered_email = "support@brewline.example"
    account.save()
    OrderFactory(seller_account=account, amazon_order_id=ORDER, buyer__email="")
    return account


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            poll_mailboxes.delay()

    return run


@pytest.fixture
def replied(imap_server, mailbox, email_account, smtp_server, alice, poll, django_capture_on_commit_callbacks):
    """The buyer wrote, the agent answered by e-mail: (ticket, outbox row, the mail received)."""
    imap_server.append(relay_mail(message_id="<m1@amazonses.example>"))
    poll()
    ticket = Ticket.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        outbound = message_send(ticket=ticket, body="A new tank ships today.", actor=alice, channel="ui")
    outbound.refresh_from_db()
    [received] = smtp_server.messages
    return ticket, outbound, received


def test_the_reply_carries_our_message_id_recorded_on_the_outbox_row(replied):
    ticket, outbound, received = replied
    assert (outbound.status, received["Message-ID"]) == (OutboundMessage.Status.SENT, outbound.gateway_message_id)


def test_the_reply_answers_the_buyer_s_relay_message(replied):
    _, _, received = replied
    assert (received["In-Reply-To"], received["References"]) == ("<m1@amazonses.example>", "<m1@amazonses.example>")


def test_the_reply_to_carries_the_ticket_s_signed_token(replied):
    ticket, _, received = replied
    assert received["Reply-To"] == f"support+{reply_token_for(ticket)}@brewline.example"


def test_an_answer_to_our_message_id_lands_in_the_same_ticket(replied, imap_server, poll):
    ticket, _, received = replied
    # No order id in the answer: only the In-Reply-To can thread it.
    answer = relay_mail(
        message_id="<m2@amazonses.example>", order_id=None, token="B7Q2NEWTHREAD", in_reply_to=received["Message-ID"]
    )
    imap_server.append(answer)
    poll()
    assert list(Message.objects.filter(external_id="<m2@amazonses.example>").values_list("ticket", flat=True)) == [
        ticket.pk
    ]


def test_an_answer_whose_ids_amazon_rewrote_lands_in_the_same_ticket_by_the_token(replied, imap_server, poll):
    ticket, _, received = replied
    answer = relay_mail(
        message_id="<m2@amazonses.example>",
        order_id=None,
        token="B7Q2NEWTHREAD",
        in_reply_to="<0100018f-rewritten-by-amazon@email.amazonses.com>",
        to=received["Reply-To"],
    )
    imap_server.append(answer)
    poll()
    assert Message.objects.get(external_id="<m2@amazonses.example>").ticket_id == ticket.pk


def test_without_either_the_answer_opens_a_ticket_of_its_own(replied, imap_server, poll):
    # Nor the order id nor the first mail's commMgrTok, which would thread it too.
    imap_server.append(relay_mail(message_id="<m2@amazonses.example>", order_id=None, token="B7Q2NEWTHREAD"))
    poll()
    assert Ticket.objects.count() == 2


def test_a_second_reply_references_the_conversation_so_far(replied, imap_server, poll, alice, smtp_server):
    ticket, outbound, received = replied
    imap_server.append(relay_mail(message_id="<m2@amazonses.example>", in_reply_to=received["Message-ID"]))
    poll()
    second = message_send(ticket=ticket, body="It is on its way.", actor=alice, channel="ui")
    outbound_deliver(outbound_id=second.pk)
    later = smtp_server.messages[-1]
    assert (later["In-Reply-To"], later["References"].split()) == (
        "<m2@amazonses.example>",
        ["<m1@amazonses.example>", outbound.gateway_message_id, "<m2@amazonses.example>"],
    )


def test_amazon_s_delivery_failure_for_the_reply_marks_it_not_delivered(replied, imap_server, poll):
    _, outbound, _ = replied
    imap_server.append(notice("delivery_failure_en", outbound_id=outbound.pk))
    poll()
    outbound.refresh_from_db()
    assert outbound.status == OutboundMessage.Status.REJECTED
