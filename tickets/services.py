"""Writes to tickets. Every channel (agent UI, admin, API, tasks) changes a ticket
through these functions, so that validation and the audit trail live in one place."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .audit import Actor, audit_record, field_changes
from .models import Ticket

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
