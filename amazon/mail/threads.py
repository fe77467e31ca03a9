"""Which conversation a relay mail belongs to, in the order that works with Amazon's relay
(notes/amazon.md §9): In-Reply-To / References against our own Message-IDs → the reply
token in our Reply-To address → the relay address + order id → the commMgrTok → a new
ticket. Every lookup is scoped to the mailbox's seller account.

The relay address + order id step is the intake's own thread rule
(``tickets.intake.messages.buyer_thread_for``) when the order is known to the desk; here it
only covers an order id the desk has not imported yet, through earlier mail.
"""

import re

from django.utils.crypto import constant_time_compare, salted_hmac

from tickets.models import Message, OutboundMessage, SellerAccount, Ticket

from ..models import RawEmail
from .relay import RelayEmail

# tickets.models.OutboundMessage.email_message_id
OUTBOUND_ID = re.compile(r"^<outbound-([0-9]{1,18})@csmdesk>$")
REPLY_TOKEN = re.compile(r"\+csm-([0-9]{1,18})-([0-9a-f]{12})@", re.IGNORECASE)
_SALT = "amazon.mail.reply-token"


def reply_token_for(ticket: Ticket) -> str:
    """The token that makes ``support+csm-<ticket>-<mac>@seller.example`` lead back to the
    ticket: signed, so no one can steer mail into a ticket by guessing its number."""
    mac = salted_hmac(_SALT, str(ticket.pk), algorithm="sha256").hexdigest()[:12]
    return f"csm-{ticket.pk}-{mac}"


def _ticket_of_reply_token(addresses: list[str]) -> int | None:
    for address in addresses:
        match = REPLY_TOKEN.search(address)
        if match:
            expected = salted_hmac(_SALT, match.group(1), algorithm="sha256").hexdigest()[:12]
            if constant_time_compare(expected, match.group(2).lower()):
                return int(match.group(1))
    return None


def _ticket_of_thread_ids(seller_account: SellerAccount, ids: list[str]) -> int | None:
    """The newest of our own messages the mail answers: an outbound reply of ours, or an
    earlier buyer message of the same conversation."""
    outbound = [int(m.group(1)) for i in ids if (m := OUTBOUND_ID.match(i))]
    candidates = list(
        OutboundMessage.objects.filter(seller_account=seller_account, pk__in=outbound, ticket__isnull=False)
        .order_by("-created_at")
        .values_list("ticket_id", flat=True)[:1]
    )
    if candidates:
        return candidates[0]
    return (
        Message.objects.filter(seller_account=seller_account, external_id__in=ids)
        .order_by("-created_at", "-pk")
        .values_list("ticket_id", flat=True)
        .first()
    )


def _ticket_of_earlier_mail(seller_account: SellerAccount, **match: str) -> int | None:
    return (
        RawEmail.objects.filter(seller_account=seller_account, state=RawEmail.State.PROCESSED, **match)
        .exclude(buyer_message=None)
        .order_by("-received_at", "-pk")
        .values_list("buyer_message__ticket_id", flat=True)
        .first()
    )


def thread_hint(*, seller_account: SellerAccount, relay: RelayEmail, order_known: bool) -> Ticket | None:
    """The ticket this mail continues, if the mail says so, else None (the intake's thread
    rule then decides: the buyer's conversation about the order, or a new ticket)."""
    ticket_id = _ticket_of_thread_ids(seller_account, relay.thread_ids) if relay.thread_ids else None
    ticket_id = ticket_id or _ticket_of_reply_token(relay.recipients)
    if ticket_id is None and relay.amazon_order_id and not order_known:
        ticket_id = _ticket_of_earlier_mail(
            seller_account, relay_address=relay.relay_address, amazon_order_id=relay.amazon_order_id
        )
    if ticket_id is None and relay.comm_mgr_token and not order_known:
        ticket_id = _ticket_of_earlier_mail(seller_account, comm_mgr_token=relay.comm_mgr_token)
    if ticket_id is None:
        return None
    return Ticket.objects.filter(seller_account=seller_account, pk=ticket_id).select_related("order").first()
