"""Gateways deliver one outbox row to Amazon. Chosen per seller account.

A gateway returns the id the other side gave the message, raises
``TransientGatewayError`` when trying again later may work (the outbox retries with
back-off) or ``PermanentGatewayError`` when it never will (the row goes dead).
"""

import logging
import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from ..models import Gateway, OutboundMessage
from .threading import reply_address_for, thread_message_ids

logger = logging.getLogger(__name__)


class TransientGatewayError(Exception):
    pass


class PermanentGatewayError(Exception):
    pass


class RejectedByAmazon(PermanentGatewayError):
    """Amazon received the message and refused it, with its reason (shown on the message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MessageGateway(Protocol):
    def send(self, outbound: OutboundMessage) -> str: ...


class ConsoleGateway:
    """Development default: logs the message; the rendered text is kept on the row."""

    def send(self, outbound: OutboundMessage) -> str:
        logger.info(
            "console gateway: %s to %s (order %s)\n%s",
            outbound.get_purpose_display(),
            outbound.buyer.email or outbound.buyer,
            outbound.order.amazon_order_id if outbound.order_id else "none",
            outbound.body,
        )
        return f"console-{outbound.pk}"


class EmailGateway:
    """Mail to the buyer's anonymised relay address from the seller's registered address.

    Amazon's Buyer-Seller Messaging relay accepts email from the address registered in
    Seller Central and delivers it into the buyer's message centre. The headers make the
    buyer's answer find its ticket again (tickets.outbound.threading): our Message-ID
    (kept on the row as ``gateway_message_id``), In-Reply-To the buyer's latest mail and
    References the conversation, and a Reply-To carrying the ticket's signed token, which
    survives when Amazon rewrites Message-IDs.
    """

    def send(self, outbound: OutboundMessage) -> str:
        buyer = outbound.buyer
        if not buyer.email:
            raise PermanentGatewayError("The buyer has no relay email address.")
        sender = outbound.seller_account.registered_email or settings.DEFAULT_FROM_EMAIL
        headers = {"Message-ID": outbound.email_message_id()}
        in_reply_to, references = thread_message_ids(outbound)
        if in_reply_to:
            headers["In-Reply-To"] = in_reply_to
            headers["References"] = " ".join(references)
        email = EmailMessage(
            subject=outbound.subject or _default_subject(outbound),
            body=outbound.body,
            from_email=sender,
            to=[buyer.email],
            reply_to=[reply_address_for(ticket=outbound.ticket, address=sender)] if outbound.ticket_id else None,
            headers=headers,
        )
        try:
            email.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise PermanentGatewayError(f"The mail server refused the message: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientGatewayError(f"Mail server unreachable or failing: {exc}") from exc
        return headers["Message-ID"]


class SpApiGateway:
    """The Messaging API gateway's place until the Amazon channel registers its own
    (``amazon.spapi.messaging``, ``gateway_register``). It refuses rather than pretending
    to send, so nothing is lost silently."""

    def send(self, outbound: OutboundMessage) -> str:
        raise PermanentGatewayError("The Messaging API gateway is not registered (the amazon app is not installed).")


GATEWAYS: dict[str, MessageGateway] = {
    Gateway.CONSOLE: ConsoleGateway(),
    Gateway.EMAIL: EmailGateway(),
    Gateway.SP_API: SpApiGateway(),
}


def gateway_for(name: str) -> MessageGateway:
    return GATEWAYS[name]


def gateway_register(name: str, gateway: MessageGateway) -> None:
    """A channel app puts its gateway here at start-up (the domain never imports channels)."""
    GATEWAYS[name] = gateway


def _default_subject(outbound: OutboundMessage) -> str:
    if outbound.order_id:
        return f"Your order {outbound.order.amazon_order_id}"
    return f"Message from {outbound.seller_account.name}"
