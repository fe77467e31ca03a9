"""Macros: a reply template that also sets the ticket's status, priority, kind and assignee
and adds an internal note (``MessageTemplate.sets_*``, ``adds_note``), applied as one action
from the desk and the API. The reply takes the one outbound path (``tickets.replies``), the
changes the one ticket service (``ticket_update``), so a macro obeys every rule a person
doing the same by hand obeys."""

from django.db import transaction

from .audit import Actor, audit_record
from .models import MessageTemplate, OutboundMessage, Ticket
from .models.tickets import InvalidTransition
from .outbound.services import ComplianceRefused, MessageHeld
from .replies import ReplyAction, ticket_reply
from .services import InvalidAssignment, ticket_note_add, ticket_update


def macro_check(*, ticket: Ticket, template: MessageTemplate) -> None:
    """What would make the macro fail half-way, asked before anything is written: an
    assignee who is not an agent of the ticket's account, a status the workflow forbids."""
    assignee = template.sets_assignee
    if assignee and assignee.pk != ticket.assignee_id and not ticket.seller_account.has_agent(assignee):
        raise InvalidAssignment(
            f"The macro “{template.name}” assigns to {assignee.get_username()}, who is not an agent on "
            f"{ticket.seller_account.name}."
        )
    if template.sets_status and not ticket.can_transition_to(template.sets_status):
        raise InvalidTransition(
            f"The macro “{template.name}” cannot take a {ticket.status} ticket to {template.sets_status}."
        )


def macro_apply(
    *,
    ticket: Ticket,
    template: MessageTemplate,
    body: str,
    actor: Actor,
    channel: str,
    status_after: str | None = None,
    action: ReplyAction | None = None,
) -> OutboundMessage:
    """Send ``body`` (written from ``template``) and do what the template also says, as one
    action: the reply, then priority, kind and assignee, then the internal note, and one
    ``macro.applied`` audit event. The macro's status is the reply's next status (else the
    agent's ``status_after``): it follows the reply, so a held reply takes it on approval and
    the unanswered-message rule (``sla_park_check``) is met by the reply itself.

    Refused by the guard: nothing else happens (``ComplianceRefused``; only the
    ``BlockedMessage`` is kept). Held: the ticket's other changes and the note apply, since
    they concern the team, not the buyer, and ``MessageHeld`` is raised."""
    macro_check(ticket=ticket, template=template)
    stopped = None
    with transaction.atomic():
        try:
            outbound = ticket_reply(
                ticket=ticket,
                body=body,
                actor=actor,
                channel=channel,
                template=template,
                action=action,
                status_after=template.sets_status or status_after or None,
            )
        except ComplianceRefused as refused:
            stopped = refused  # leave the block so the BlockedMessage row commits
        except MessageHeld as held:
            stopped = held
        if not isinstance(stopped, ComplianceRefused):
            ticket_update(
                ticket=ticket,
                actor=actor,
                priority=template.sets_priority,
                kind=template.sets_kind or None,
                assignee=template.sets_assignee,
            )
            if template.adds_note:
                ticket_note_add(ticket=ticket, body=template.adds_note, actor=actor)
            audit_record(
                subject=ticket,
                action="macro.applied",
                actor=actor,
                changes={"template": template.slug, "reply": "held" if stopped else "queued"},
            )
    if stopped is not None:
        raise stopped
    return outbound
