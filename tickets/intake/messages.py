"""Buyer messages in: the one intake every channel calls (the REST API, the e-mail relay,
the demo), which threads a message into its conversation and starts its 24 h clock."""

from datetime import datetime
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When

from ..attachments import AttachmentIn, attachments_store
from ..audit import Actor, audit_record, iso
from ..models import Buyer, Message, Order, SellerAccount, Ticket
from ..models.tickets import DEFENCE_KINDS
from ..services import ticket_open, ticket_update
from ..sla.clock import sla_due_at_for

Status = Ticket.Status


def buyer_thread_for(*, seller_account: SellerAccount, buyer: Buyer, order: Order | None) -> Ticket | None:
    """The conversation a buyer message (or a proactive guide) belongs to: the buyer's
    newest active ticket about that order (or without an order), else a solved one, which
    the message reopens. Closed is final; defence tickets are the CSM's own work."""
    candidates = (
        Ticket.objects.select_for_update()
        .filter(seller_account=seller_account, buyer=buyer)
        .exclude(status=Status.CLOSED)
        .exclude(kind__in=DEFENCE_KINDS)
    )
    candidates = candidates.filter(order=order) if order is not None else candidates.filter(order__isnull=True)
    # The newest active one, else the newest solved one: one query.
    solved_last = Case(When(status=Status.SOLVED, then=Value(1)), default=Value(0))
    return candidates.order_by(solved_last, "-created_at", "-pk").first()


def _followed_thread(
    thread: Ticket | None, *, seller_account: SellerAccount, buyer: Buyer, order: Order | None
) -> Ticket | None:
    if thread is not None and thread.merged_into_id:
        # A reply to a conversation merged since (tickets.merge) joins the survivor.
        thread = Ticket.objects.filter(pk=thread.merged_into_id).first()
    if thread is None or (order is not None and thread.order_id != order.pk):
        return None
    return (
        Ticket.objects.select_for_update()
        .filter(pk=thread.pk, seller_account=seller_account, buyer=buyer)
        .exclude(status=Status.CLOSED)
        .exclude(kind__in=DEFENCE_KINDS)
        .first()
    )


class InboundReceipt(NamedTuple):
    """What receiving a buyer message did: the message (new, or the stored one for a
    replay), whether it was new, and whether it opened a ticket."""

    message: Message
    created: bool
    ticket_created: bool


def inbound_message_receive(
    *,
    seller_account: SellerAccount,
    buyer: Buyer,
    body: str,
    received_at: datetime,
    external_id: str | None = None,
    order: Order | None = None,
    subject: str = "",
    thread: Ticket | None = None,
    written_by_amazon: bool = False,
    attachments: list[AttachmentIn] | tuple = (),
    actor: Actor,
) -> "InboundReceipt":
    """Store a buyer message and start its 24 h clock (notes/amazon.md §3).

    Idempotent by ``external_id`` (Amazon's message id): the same message twice returns
    the stored one and changes nothing. The message opens a ticket or joins the buyer's
    thread about the order (see ``buyer_thread_for``); a waiting or solved ticket opens again.
    ``thread`` is the conversation the channel read from the message itself (the e-mail
    relay's In-Reply-To, notes/amazon.md §9): it is followed when it is this buyer's, open to
    messages by the same rule, and about the same order (a second order is a second ticket).
    The earliest unanswered message of the ticket keeps the clock, else this one starts it.
    ``written_by_amazon``: Amazon wrote it on the buyer's behalf; it is on the clock all the same.
    ``attachments``: the buyer's files, kept with the message by the attachment rules
    (``tickets.attachments``: a file too large or of a forbidden type is recorded as refused).
    """
    if buyer.seller_account_id != seller_account.pk or (order and order.seller_account_id != seller_account.pk):
        raise ValueError("The buyer and the order must belong to the message's seller account.")
    body = body.strip()
    # Inside a caller's transaction no savepoint of its own (a round trip per message in the
    # relay mail's batches): a failure here undoes the caller's block, which decides.
    with transaction.atomic(savepoint=False):
        # One ingest per buyer at a time: two messages arriving together must not open two tickets.
        Buyer.objects.select_for_update().filter(pk=buyer.pk).first()
        # Amazon's message ids are unique per seller account: another account's message
        # with the same id is neither returned nor touched.
        same = Message.objects.filter(seller_account=seller_account, external_id=external_id)
        if external_id:
            existing = same.first()
            if existing is not None:
                return InboundReceipt(message=existing, created=False, ticket_created=False)
        ticket = _followed_thread(thread, seller_account=seller_account, buyer=buyer, order=order)
        ticket = ticket or buyer_thread_for(seller_account=seller_account, buyer=buyer, order=order)
        ticket_created = ticket is None
        if ticket is None:
            ticket = ticket_open(
                seller_account=seller_account,
                buyer=buyer,
                order=order,
                subject=subject or (body.splitlines()[0] if body else "") or "Buyer message",
                status=Status.NEW,
                created_at=received_at,
                # Set now so that the ticket.created webhook carries the running clock.
                sla_due_at=sla_due_at_for(
                    received_at=received_at, seller_account=seller_account, ticket_kind=Ticket.Kind.INQUIRY
                ),
                last_message_at=received_at,
                actor=actor,
                source="inbound",
            )
        due = sla_due_at_for(received_at=received_at, seller_account=seller_account, ticket_kind=ticket.kind)
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    ticket=ticket,
                    direction=Message.Direction.INBOUND,
                    body=body,
                    external_id=external_id,
                    seller_account=seller_account if external_id else None,
                    created_at=received_at,
                    sent_at=received_at,
                    response_due_at=due,
                    written_by_amazon=written_by_amazon,
                )
        except IntegrityError:
            # The same external id stored by another process meanwhile (no buyer lock on SQLite).
            return InboundReceipt(message=same.get(), created=False, ticket_created=False)
        attachments_store(message=message, files=attachments)

        before = ticket.sla_due_at
        if ticket.status in (Status.PENDING, Status.SOLVED):
            ticket_update(ticket=ticket, actor=actor, status=Status.OPEN)
        # The earliest unanswered message keeps the clock, also on a ticket parked or solved
        # with one still waiting; otherwise this message starts a new one.
        ticket.sla_due_at = min(before, due) if before else due
        ticket.no_response_needed = False
        ticket.last_message_at = max(ticket.last_message_at or received_at, received_at)
        ticket.save(update_fields=["sla_due_at", "no_response_needed", "last_message_at", "updated_at"])
        audit_record(
            subject=ticket,
            action="message.received",
            actor=actor,
            changes={"message": message.pk, "sla_due_at": [iso(before), iso(ticket.sla_due_at)]},
        )
    return InboundReceipt(message=message, created=True, ticket_created=ticket_created)
