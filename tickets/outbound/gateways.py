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

from ..models import Gateway, Message, OutboundMessage

logger = logging.getLogger(__name__)


class TransientGatewayError(Exception):
    pass


class PermanentGatewayError(Exception):
    pass


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
    Seller Central and delivers it into the buyer's message centre. In-Reply-To and
    References point at the buyer's latest message so the reply threads.
    """

    def send(self, outbound: OutboundMessage) -> str:
        buyer = outbound.buyer
        if not buyer.email:
            raise PermanentGatewayError("The buyer has no relay email address.")
        headers = {"Message-ID": outbound.email_message_id()}
        thread = _thread_message_ids(outbound)
        if thread:
            headers["In-Reply-To"] = thread[-1]
            headers["References"] = " ".join(thread)
        email = EmailMessage(
            subject=outbound.subject or _default_subject(outbound),
            body=outbound.body,
            from_email=outbound.seller_account.registered_email or settings.DEFAULT_FROM_EMAIL,
            to=[buyer.email],
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
    """The SP-API Messaging gateway: the interface is here, the client is a later issue.

    It refuses rather than pretending to send, so nothing is lost silently.
    """

    def send(self, outbound: OutboundMessage) -> str:
        raise PermanentGatewayError("The SP-API Messaging gateway is not available yet; choose console or email.")


GATEWAYS: dict[str, MessageGateway] = {
    Gateway.CONSOLE: ConsoleGateway(),
    Gateway.EMAIL: EmailGateway(),
    Gateway.SP_API: SpApiGateway(),
}


def gateway_for(name: str) -> MessageGateway:
    return GATEWAYS[name]


def _default_subject(outbound: OutboundMessage) -> str:
    if outbound.order_id:
        return f"Your order {outbound.order.amazon_order_id}"
    return f"Message from {outbound.seller_account.name}"


def _thread_message_ids(outbound: OutboundMessage) -> list[str]:
    """The buyer's earlier message ids on this ticket (email Message-IDs), oldest first."""
    if not outbound.ticket_id:
        return []
    ids = (
        Message.objects.filter(
            ticket_id=outbound.ticket_id, direction=Message.Direction.INBOUND, external_id__isnull=False
        )
        .order_by("created_at", "pk")
        .values_list("external_id", flat=True)
    )
    return [i if i.startswith("<") else f"<{i}>" for i in ids][-10:]
