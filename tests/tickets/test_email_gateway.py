"""The email gateway sends a real message through an SMTP server started by the test."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

from tests.factories import MessageFactory, OrderFactory, TicketFactory
from tickets.models import OutboundMessage
from tickets.outbound.services import message_send, outbound_deliver

pytestmark = pytest.mark.django_db


class Inbox(MessageHandler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


@pytest.fixture
def email_ticket(account):
    account.outbound_gateway = "email"
    account.registered_email = "support@brewline.example"
    account.save()
    order = OrderFactory(seller_account=account, buyer__email="x7k2m9@marketplace.amazon.com")
    ticket = TicketFactory(seller_account=account, buyer=order.buyer, order=order, status="open")
    MessageFactory(ticket=ticket, external_id="<buyer-1@marketplace.amazon.com>")
    MessageFactory(ticket=ticket, external_id="<buyer-2@marketplace.amazon.com>")
    return ticket


def test_a_reply_reaches_the_buyer_s_relay_address_from_the_registered_address(smtp_server, email_ticket, alice):
    outbound = message_send(ticket=email_ticket, body="A replacement ships today.", actor=alice, channel="ui")
    assert outbound_deliver(outbound_id=outbound.pk) == OutboundMessage.Status.SENT
    [received] = smtp_server.messages
    assert received["To"] == "x7k2m9@marketplace.amazon.com"
    assert received["From"] == "support@brewline.example"
    assert "A replacement ships today." in received.get_payload()


def test_a_reply_threads_under_the_buyer_s_latest_message(smtp_server, email_ticket, alice):
    outbound = message_send(ticket=email_ticket, body="A replacement ships today.", actor=alice, channel="ui")
    outbound_deliver(outbound_id=outbound.pk)
    [received] = smtp_server.messages
    assert received["In-Reply-To"] == "<buyer-2@marketplace.amazon.com>"
    assert received["References"] == "<buyer-1@marketplace.amazon.com> <buyer-2@marketplace.amazon.com>"
    assert received["Message-ID"] == f"<outbound-{outbound.pk}@csmdesk>"


def test_an_unreachable_mail_server_is_retried(settings, email_ticket, alice):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    outbound = message_send(ticket=email_ticket, body="A replacement ships today.", actor=alice, channel="ui")
    assert outbound_deliver(outbound_id=outbound.pk) == OutboundMessage.Status.FAILED
