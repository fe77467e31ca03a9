"""Which conversation a relay mail belongs to, in the order that works with Amazon's relay
(notes/amazon.md §9): In-Reply-To / References against our own Message-IDs → the reply
token in our Reply-To address (both written by the e-mail gateway:
tickets.outbound.threading) → the relay address + order id → the commMgrTok → a new ticket.
Every lookup is scoped to the mailbox's seller account.

The relay address + order id step is the intake's own thread rule
(``tickets.intake.messages.buyer_thread_for``) when the order is known to the desk; here it
only covers an order id the desk has not imported yet, through earlier mail.
"""

from tickets.models import Message, OutboundMessage, SellerAccount, Ticket
from tickets.outbound.threading import outbound_ids_in, reply_token_for, ticket_id_of_reply_token

from ..models import RawEmail
from .relay import RelayEmail

__all__ = ["reply_token_for", "thread_hint"]


def _ticket_of_thread_ids(seller_account: SellerAccount, ids: list[str]) -> int | None:
    """The newest of our own messages the mail answers: an outbound reply of ours, or an
    earlier buyer message of the same conversation."""
    outbound = outbound_ids_in(ids)
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
    ticket_id = ticket_id or ticket_id_of_reply_token(relay.recipients)
    if ticket_id is None and relay.amazon_order_id and not order_known:
        ticket_id = _ticket_of_earlier_mail(
            seller_account, relay_address=relay.relay_address, amazon_order_id=relay.amazon_order_id
        )
    if ticket_id is None and relay.comm_mgr_token and not order_known:
        ticket_id = _ticket_of_earlier_mail(seller_account, comm_mgr_token=relay.comm_mgr_token)
    if ticket_id is None:
        return None
    return Ticket.objects.filter(seller_account=seller_account, pk=ticket_id).select_related("order").first()
