"""Writes to tickets. Every channel (agent UI, admin, API, tasks) changes a ticket
through these functions, so that validation and the audit trail live in one place."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .audit import Actor, audit_record, field_changes
from .models import Message, Order, OrderEvent, Ticket

User = get_user_model()


class InvalidTransition(Exception):
    """A status change the ticket workflow does not allow (the API answers 409)."""


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
) -> Ticket:
    """Change a ticket's status, priority or assignee and record who did it.

    Status changes follow ``Ticket.TRANSITIONS``: a closed ticket stays closed.
    Passing only unchanged values writes nothing.
    """
    before = _tracked(ticket)
    if status is not None:
        if not ticket.can_transition_to(status):
            raise InvalidTransition(f"A ticket cannot go from {ticket.status} to {status}.")
        ticket.status = status
    if priority is not None:
        ticket.priority = priority
    if assignee is not None:
        ticket.assignee = assignee
    elif unassign:
        ticket.assignee = None
    after = _tracked(ticket)
    changes = field_changes(before, after)
    if changes:
        ticket.save(update_fields=[*changes.keys(), "updated_at"])
        audit_record(subject=ticket, action="ticket.updated", actor=actor, changes=changes)
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

    De-duplicated by the sender's ``event_id``, or else by (order, type, time): a replay
    returns the stored event and changes nothing.
    """
    same = (
        OrderEvent.objects.filter(event_id=event_id)
        if event_id
        else OrderEvent.objects.filter(order=order, type=type, occurred_at=occurred_at)
    )
    existing = same.first()
    if existing is not None:
        return existing, False
    if type == OrderEvent.Type.DELIVERED:
        # Delivery is what schedules the proactive guide: the automation's one entry point
        # records the event and the delivery itself.
        from .automation import order_mark_delivered

        order_mark_delivered(order=order, delivered_at=occurred_at, actor=actor, source=source, event_id=event_id)
        return same.get(), True
    event = OrderEvent.objects.create(
        order=order,
        event_id=event_id,
        type=type,
        occurred_at=occurred_at,
        carrier=carrier,
        tracking_number=tracking_number,
        source=source,
    )
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
