"""The email gateway sends a real message through an SMTP server started by the test."""

import pytest

from tests.factories import MessageFactory, OrderFactory, TicketFactory
from tickets.models import OutboundMessage
from tickets.outbound.services import message_send, outbound_deliver

pytestmark = pytest.mark.django_db


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
