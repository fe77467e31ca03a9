"""Writes to tickets and buyers. Every channel (agent UI, admin, API, tasks, the intake)
opens and changes a ticket through these functions, so that the workflow's rules and the
audit trail live in one place. Replies to the buyer: ``tickets.replies``; data arriving
from Amazon: ``tickets.intake``."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from api.webhooks import webhook_emit

from .api.serializers import ticket_payload
from .audit import Actor, audit_record, field_changes, iso
from .models import Buyer, Message, Ticket
from .models.tickets import DEFENCE_KINDS, InvalidTransition
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
    # The webhook carries the ticket as the API shows it.
    webhook_emit(event="ticket.created", seller_account=ticket.seller_account, payload=lambda: ticket_payload(ticket))


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


def buyer_opt_out_record(*, buyer: Buyer, actor: Actor) -> bool:
    """Amazon says the buyer opted out of unsolicited messages (notes/amazon.md §3): no
    proactive message goes to them any more (tickets.proactive); replies in the buyer's own
    conversation still do (§9). Returns whether it changed anything; audited when it did."""
    updated = Buyer.objects.filter(pk=buyer.pk, opted_out_of_proactive_messages=False).update(
        opted_out_of_proactive_messages=True
    )
    buyer.opted_out_of_proactive_messages = True
    if updated:
        audit_record(
            subject=buyer,
            action="buyer.opted_out",
            actor=actor,
            changes={"opted_out_of_proactive_messages": [False, True]},
        )
    return bool(updated)


def _tracked(ticket: Ticket) -> dict:
    # Usernames, not ids, so that the audit trail reads well years later.
    assignee = ticket.assignee.get_username() if ticket.assignee else None
    return {"status": ticket.status, "priority": ticket.priority, "kind": ticket.kind, "assignee": assignee}


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
    kind: str | None = None,
) -> Ticket:
    """Change a ticket's status, priority, kind or assignee and record who did it; with
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
    if kind is not None and kind != ticket.kind:
        if ticket.is_defence or kind in DEFENCE_KINDS:
            # A defence's clock is Amazon's deadline (tickets.intake.claims), not a buyer message's.
            raise InvalidTransition("A claim or chargeback defence keeps its kind.")
        ticket.kind = kind
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


def ticket_note_add(*, ticket: Ticket, body: str, actor: Actor) -> Message:
    """An internal note: never sent to a buyer, never touches the SLA clock."""
    author = None if isinstance(actor, str) or actor is None else actor
    note = Message.objects.create(ticket=ticket, direction=Message.Direction.NOTE, author=author, body=body)
    audit_record(subject=ticket, action="note.added", actor=actor, changes={"message": note.pk})
    return note


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
