"""Writes to tickets. Every channel (agent UI, admin, API, tasks) changes a ticket
through these functions, so that validation and the audit trail live in one place."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .audit import Actor, audit_record, field_changes, iso
from .models import Buyer, Message, MessagePurpose, MessageTemplate, Order, OrderEvent, OutboundMessage, Ticket
from .models.orders import FulfillmentChannel
from .models.tickets import InvalidTransition
from .sla.clock import sla_defence_clock_follow, sla_park_check, ticket_mark_no_response_needed

User = get_user_model()


class InvalidAssignment(Exception):
    """The assignee is not an agent on the ticket's seller account (they could not see it)."""


def ticket_open(
    *, seller_account, buyer, actor: Actor, source: str, subject: str, details: dict | None = None, **fields
) -> Ticket:
    """Open a ticket, whichever channel found the work (a buyer message, a claim, a
    chargeback, negative feedback, a proactive guide, the admin): the one place that saves
    it, records ``ticket.created`` in the audit trail with its ``source``, and announces it
    to the account's ``ticket.created`` webhooks, so every channel gives the same rows and
    events. ``fields`` are the ticket's other columns (order, kind, status, priority,
    sla_due_at, created_at, last_message_at); ``details`` go into the audit record."""
    ticket = Ticket.objects.create(seller_account=seller_account, buyer=buyer, subject=subject[:300], **fields)
    audit_record(subject=ticket, action="ticket.created", actor=actor, changes={"source": source, **(details or {})})
    ticket_created_emit(ticket=ticket)
    return ticket


def ticket_created_emit(*, ticket: Ticket) -> None:
    # The webhook carries the ticket as the API shows it; imported here because the API's
    # serializers sit above the domain.
    from api.webhooks import webhook_emit

    from .api.tickets import ticket_payload

    webhook_emit(event="ticket.created", seller_account=ticket.seller_account, payload=ticket_payload(ticket))


def buyer_upsert(*, seller_account, amazon_buyer_id: str, name: str = "", email: str = "") -> tuple[Buyer, bool]:
    """The account's buyer with this Amazon buyer id (ids are per seller), created or
    completed: a name or relay address that is given replaces the stored one, an empty one
    never erases it (the same rule as the bulk order ingest)."""
    buyer, created = Buyer.objects.get_or_create(
        seller_account=seller_account, amazon_buyer_id=amazon_buyer_id, defaults={"name": name, "email": email}
    )
    changed = {f: v for f, v in (("name", name), ("email", email)) if v and getattr(buyer, f) != v}
    if not created and changed:
        for field_name, value in changed.items():
            setattr(buyer, field_name, value)
        buyer.save(update_fields=list(changed))
    return buyer, created


def _tracked(ticket: Ticket) -> dict:
    # Usernames, not ids, so that the audit trail reads well years later.
    assignee = ticket.assignee.get_username() if ticket.assignee else None
    return {"status": ticket.status, "priority": ticket.priority, "assignee": assignee}


@transaction.atomic
def ticket_update(
    *,
    ticket: Ticket,
    actor: Actor,
    status: str | None = None,
    priority: int | None = None,
    assignee: User | None = None,
    unassign: bool = False,
    no_response_needed: bool = False,
    force: bool = False,
) -> Ticket:
    """Change a ticket's status, priority or assignee and record who did it; with
    ``no_response_needed``, Amazon's mark first (tickets.sla.clock), so that the change
    may then park or solve the ticket.

    Status changes follow ``Ticket.TRANSITIONS``: a closed ticket stays closed. Parking,
    solving or closing a ticket with unanswered buyer messages raises
    ``UnansweredMessages`` unless ``force``; forced, the clock keeps running and the audit
    event says how many messages were left waiting (tickets.sla.clock.sla_park_check).
    Passing only unchanged values writes nothing.
    """
    if no_response_needed:
        ticket = ticket_mark_no_response_needed(ticket=ticket, actor=actor)
    before = _tracked(ticket)
    extra, clock_before = {}, ticket.sla_due_at
    if status is not None:
        if not ticket.can_transition_to(status):
            raise InvalidTransition(f"A ticket cannot go from {ticket.status} to {status}.")
        if unanswered := sla_park_check(ticket=ticket, status=status, force=force):
            extra["unanswered_messages"] = unanswered
        if sla_defence_clock_follow(ticket=ticket, status=status):
            extra["sla_due_at"] = [iso(clock_before), iso(ticket.sla_due_at)]
        ticket.status = status
    if priority is not None:
        ticket.priority = priority
    if assignee is not None:
        if assignee.pk != ticket.assignee_id and not ticket.seller_account.has_agent(assignee):
            raise InvalidAssignment(f"{assignee.get_username()} is not an agent on {ticket.seller_account.name}.")
        ticket.assignee = assignee
    elif unassign:
        ticket.assignee = None
    after = _tracked(ticket)
    changes = field_changes(before, after)
    if changes:
        clock = ["sla_due_at"] if "sla_due_at" in extra else []
        ticket.save(update_fields=[*changes.keys(), *clock, "updated_at"])
        audit_record(subject=ticket, action="ticket.updated", actor=actor, changes={**changes, **extra})
    return ticket


# --- Added for the REST API (issue 4) ---------------------------------------------------

# Which order fields each event type sets, and the order status it implies (if any).
_ORDER_EVENT_EFFECTS = {
    OrderEvent.Type.SHIPPED: ("shipped_at", Order.Status.SHIPPED),
    OrderEvent.Type.DELIVERED: ("delivered_at", Order.Status.DELIVERED),
    OrderEvent.Type.RETURNED: ("returned_at", None),
    OrderEvent.Type.REFUNDED: ("refunded_at", None),
    OrderEvent.Type.CANCELLED: ("cancelled_at", Order.Status.CANCELLED),
}


def order_events_same(*, order: Order, type: str, occurred_at, event_id: str | None) -> QuerySet[OrderEvent]:
    """The stored events a new one would repeat: the same sender's id on this order, or
    without an id the same type at the same time."""
    if event_id:
        return OrderEvent.objects.filter(order=order, event_id=event_id)
    return OrderEvent.objects.filter(order=order, type=type, occurred_at=occurred_at, event_id__isnull=True)


@transaction.atomic
def order_event_record(
    *,
    order: Order,
    type: str,
    occurred_at,
    event_id: str | None = None,
    carrier: str = "",
    tracking_number: str = "",
    source: str = "api",
    actor: Actor = None,
) -> tuple[OrderEvent, bool]:
    """Record something that happened to an order and apply it to the order's dates.

    De-duplicated by the sender's ``event_id`` (unique per order), or else by (order, type,
    time): a replay returns the stored event and changes nothing. Events of one order are
    recorded one at a time (the order's row is locked), and the database's unique
    constraints catch what a database without row locks lets through.
    """
    Order.objects.select_for_update().filter(pk=order.pk).first()
    same = order_events_same(order=order, type=type, occurred_at=occurred_at, event_id=event_id)
    existing = same.first()
    if existing is not None:
        return existing, False
    if type == OrderEvent.Type.DELIVERED:
        # Delivery is what schedules the proactive guide: the automation's one entry point
        # records the event and the delivery itself.
        from .automation import order_mark_delivered

        order_mark_delivered(order=order, delivered_at=occurred_at, actor=actor, source=source, event_id=event_id)
        return same.get(), True
    try:
        with transaction.atomic():
            event = OrderEvent.objects.create(
                order=order,
                event_id=event_id,
                type=type,
                occurred_at=occurred_at,
                carrier=carrier,
                tracking_number=tracking_number,
                source=source,
            )
    except IntegrityError:
        return same.get(), False  # the same event stored concurrently
    field, status = _ORDER_EVENT_EFFECTS[OrderEvent.Type(type)]
    changed = [field]
    setattr(order, field, occurred_at)
    if status is not None:
        order.status = status
        changed.append("status")
    if type == OrderEvent.Type.SHIPPED:
        order.carrier, order.tracking_number = carrier or order.carrier, tracking_number or order.tracking_number
        changed += ["carrier", "tracking_number"]
    order.save(update_fields=[*changed, "updated_at"])
    return event, True


def ticket_note_add(*, ticket: Ticket, body: str, actor: Actor) -> Message:
    """An internal note: never sent to a buyer, never touches the SLA clock."""
    author = None if isinstance(actor, str) or actor is None else actor
    note = Message.objects.create(ticket=ticket, direction=Message.Direction.NOTE, author=author, body=body)
    audit_record(subject=ticket, action="note.added", actor=actor, changes={"message": note.pk})
    return note


# --- The agent desk (issue 5): replies with actions, bulk changes ------------------------------


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
) -> OutboundMessage:
    """A CSM's reply to the buyer, through the one outbound path (guard, outbox, SLA
    clock), with the action it reports (refund, replacement…) and the ticket's next
    status, all or nothing. Refused by the guard: ``ComplianceRefused``, and nothing but
    the ``BlockedMessage`` managers review is written."""
    from .outbound.services import ComplianceRefused, message_send

    if action is not None:
        reply_action_check(ticket=ticket, action=action)
    if status_after and not ticket.can_transition_to(status_after):
        raise InvalidTransition(f"A ticket cannot go from {ticket.status} to {status_after}.")
    refused = None
    with transaction.atomic():
        try:
            outbound = message_send(
                body=body,
                actor=actor,
                channel=channel,
                ticket=ticket,
                template=template,
                purpose=reply_purpose(template),
            )
        except ComplianceRefused as exc:
            refused = exc  # leave the block so the BlockedMessage row commits
        else:
            if action is not None:
                _reply_action_record(ticket=ticket, action=action, actor=actor, outbound=outbound)
            if status_after:
                ticket_update(ticket=ticket, actor=actor, status=status_after)
    if refused is not None:
        raise refused
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


@transaction.atomic
def ticket_resolve_without_reply(*, ticket: Ticket, actor: Actor) -> Ticket:
    """The desk's "No response needed": Amazon's mark (the clock stops, the buyer's
    messages leave the response-time metric), and the ticket is solved, since nothing
    is left to do. A new buyer message reopens it with a new clock."""
    ticket = ticket_mark_no_response_needed(ticket=ticket, actor=actor)
    if ticket.status != Ticket.Status.SOLVED and ticket.can_transition_to(Ticket.Status.SOLVED):
        ticket_update(ticket=ticket, actor=actor, status=Ticket.Status.SOLVED)
    return ticket


@dataclass
class BulkResult:
    changed: int = 0
    skipped: list[str] = field(default_factory=list)  # why, per ticket, for the agent


def tickets_bulk_update(
    *,
    tickets: list[Ticket],
    actor: Actor,
    status: str | None = None,
    assignee: User | None = None,
    no_response_needed: bool = False,
) -> BulkResult:
    """The queue's bulk actions: the single-ticket services in a loop, so a bulk change
    follows exactly the rules (and leaves the audit trail) of one change."""
    result = BulkResult()
    for ticket in tickets:
        try:
            if no_response_needed:
                ticket_resolve_without_reply(ticket=ticket, actor=actor)
            else:
                ticket_update(ticket=ticket, actor=actor, status=status, assignee=assignee)
        except (InvalidTransition, InvalidAssignment) as exc:
            result.skipped.append(f"#{ticket.pk}: {exc}")
        else:
            result.changed += 1
    return result
