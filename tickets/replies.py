"""Replies to the buyer from a ticket, with the action they report (a refund, a
replacement, a return label, warranty): through the one outbound path (the compliance
guard, the outbox, the SLA clock), all or nothing."""

from dataclasses import dataclass

from django.db import transaction

from .audit import Actor, audit_record
from .intake.orders import order_event_record
from .models import HeldMessage, MessagePurpose, MessageTemplate, OrderEvent, OutboundMessage, Ticket
from .models.orders import FulfillmentChannel
from .models.tickets import InvalidTransition
from .outbound.services import ComplianceRefused, MessageHeld, message_send
from .services import ticket_update


class ActionNotAllowed(Exception):
    """A CSM action that does not fit the ticket (e.g. a return label for an FBA order)."""


@dataclass(frozen=True)
class ReplyAction:
    """Something the CSM did for the buyer, recorded with the reply that tells them so."""

    slug: str
    label: str
    template_slug: str
    fbm_only: bool = False
    order_event: str | None = None  # what it does to the order's dates, if anything


REPLY_ACTIONS = {
    action.slug: action
    for action in (
        ReplyAction("refund", "Issue refund", "refund_issued", order_event=OrderEvent.Type.REFUNDED),
        ReplyAction("replacement", "Send replacement / part", "replacement_part"),
        # Under FBA, Amazon issues return labels itself (notes/amazon.md §2).
        ReplyAction("return_label", "Send return label", "return_label", fbm_only=True),
        ReplyAction("warranty", "Warranty", "warranty"),
    )
}


def reply_action_check(*, ticket: Ticket, action: ReplyAction) -> None:
    if ticket.order is None:
        raise ActionNotAllowed(f"“{action.label}” needs an order; this ticket has none.")
    if action.fbm_only and ticket.order.fulfillment_channel != FulfillmentChannel.FBM:
        raise ActionNotAllowed(f"“{action.label}” is for seller-fulfilled (FBM) orders: Amazon handles FBA returns.")


def reply_purpose(template: MessageTemplate | None) -> str:
    """What the guard judges a CSM's reply as: a reply, or warranty information when written
    from a warranty template. A proactive-guide template used in a reply is still a reply
    (it answers the buyer, so it stops the clock and the one-guide-per-order rule is moot)."""
    return MessagePurpose.WARRANTY if template and template.purpose == MessagePurpose.WARRANTY else MessagePurpose.REPLY


def ticket_reply(
    *,
    ticket: Ticket,
    body: str,
    actor: Actor,
    channel: str,
    template: MessageTemplate | None = None,
    action: ReplyAction | None = None,
    status_after: str | None = None,
    purpose: str | None = None,
    approval: HeldMessage | None = None,
    attachments: tuple = (),
) -> OutboundMessage:
    """A CSM's reply to the buyer, through the one outbound path (guard, outbox, SLA
    clock), with the action it reports (refund, replacement…) and the ticket's next
    status, all or nothing. Refused by the guard: ``ComplianceRefused``, and nothing but
    the ``BlockedMessage`` managers review is written. Held (the guard is unsure):
    ``MessageHeld``, and nothing but the ``HeldMessage`` is written — it keeps the action
    and the next status, which happen only when a manager approves it (tickets.held,
    which sends it through here again with ``approval``). ``purpose``: the guard's purpose
    when the caller fixed it (the API), else ``reply_purpose``."""
    if action is not None:
        reply_action_check(ticket=ticket, action=action)
    if status_after and not ticket.can_transition_to(status_after):
        raise InvalidTransition(f"A ticket cannot go from {ticket.status} to {status_after}.")
    stopped = None
    with transaction.atomic():
        try:
            outbound = message_send(
                body=body,
                actor=actor,
                channel=channel,
                ticket=ticket,
                template=template,
                purpose=purpose or reply_purpose(template),
                status_after=status_after or "",
                reply_action=action.slug if action else "",
                approval=approval,
                attachments=attachments,
            )
        except (ComplianceRefused, MessageHeld) as exc:
            stopped = exc  # leave the block so the BlockedMessage or HeldMessage row commits
        else:
            if action is not None:
                _reply_action_record(ticket=ticket, action=action, actor=actor, outbound=outbound)
            if status_after:
                ticket_update(ticket=ticket, actor=actor, status=status_after)
    if stopped is not None:
        raise stopped
    return outbound


def _reply_action_record(*, ticket: Ticket, action: ReplyAction, actor: Actor, outbound: OutboundMessage) -> None:
    if action.order_event:
        order_event_record(
            order=ticket.order,
            type=action.order_event,
            occurred_at=outbound.created_at,
            source="agent",
            actor=actor,
        )
    audit_record(subject=ticket, action=f"action.{action.slug}", actor=actor, changes={"outbound": outbound.pk})
