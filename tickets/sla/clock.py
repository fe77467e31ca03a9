"""The SLA clock: the one place that knows when a buyer message must be answered.

Amazon: "Respond to buyer messages within 24 hours, including weekends and holidays.
Auto-responders are not considered a valid response." A message marked "no response
needed" leaves the metric (Seller Central help 202152030, 200549770; notes/amazon.md §3).
So the clock runs on the wall clock, in UTC, per buyer message:

- a buyer message gets ``response_due_at`` = received + the policy's hours, and the
  ticket's ``sla_due_at`` is the earliest due time of its unanswered messages;
- a real reply stamps ``responded_at`` on every unanswered message and stops the clock
  (automated messages never do);
- "no response needed" stops it too and is stored per message;
- a new buyer message after either starts a new clock;
- the clock belongs to the buyer's messages, not to the ticket's status: Amazon counts a
  message until it is answered or marked, so solving, parking or closing a ticket does
  not stop it (``sla_park_check`` asks first; a forced change keeps the clock running).

A defence ticket's clock is its claim's or chargeback's deadline (``tickets.intake.claims``);
it stops when the defence is done (the ticket solved or closed).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Min

from ..audit import Actor, audit_record, iso
from ..models import AtoZClaim, Chargeback, Message, SellerAccount, SlaPolicy, Ticket
from ..models.tickets import (
    DEFAULT_AT_RISK_HOURS,
    PARKED_STATUSES,
    SLA_POLICIES_READ,
    UNANSWERED,
    InvalidTransition,
)


@dataclass(frozen=True)
class SlaTerms:
    response_hours: int
    at_risk_hours: int


def sla_terms_for(*, seller_account: SellerAccount, ticket_kind: str = "") -> SlaTerms:
    """The policy for a kind of ticket: (account, kind), else (account, all kinds),
    else the account's ``sla_hours`` with the default 4 h warning."""
    policy = SlaPolicy.applying(seller_account_id=seller_account.pk, ticket_kind=ticket_kind)
    if policy is None:
        return SlaTerms(response_hours=seller_account.sla_hours, at_risk_hours=DEFAULT_AT_RISK_HOURS)
    return SlaTerms(response_hours=policy.response_hours, at_risk_hours=policy.at_risk_hours)


@contextmanager
def sla_policies_read_once() -> Iterator[None]:
    """Within this block each account's SLA policies are read once (a batch of intake: the
    relay mail of one poll), not for every message and ticket save. A policy changed during
    the block applies from the next one."""
    if SLA_POLICIES_READ.get() is not None:  # an outer block already reads once
        yield
        return
    token = SLA_POLICIES_READ.set({})
    try:
        yield
    finally:
        SLA_POLICIES_READ.reset(token)


def sla_at_risk_refresh(*, seller_account: SellerAccount) -> int:
    """A policy of the account changed: move the at-risk moment of its running clocks
    (``Ticket.sla_at_risk_moment``, the one definition), one UPDATE per ticket kind.
    Returns the number of tickets updated."""
    running = Ticket.objects.filter(seller_account=seller_account, sla_due_at__isnull=False)
    updated = 0
    for kind in Ticket.Kind.values:
        hours = SlaPolicy.at_risk_hours_for(seller_account_id=seller_account.pk, ticket_kind=kind)
        updated += running.filter(kind=kind).update(sla_at_risk_at=F("sla_due_at") - timedelta(hours=hours))
    return updated


def sla_due_at_for(*, received_at: datetime, seller_account: SellerAccount, ticket_kind: str = "") -> datetime:
    """When a buyer message received at ``received_at`` must have been answered:
    wall-clock hours, weekends and holidays included."""
    terms = sla_terms_for(seller_account=seller_account, ticket_kind=ticket_kind)
    return received_at + timedelta(hours=terms.response_hours)


def sla_record_response(*, ticket: Ticket, at: datetime) -> list[str]:
    """A real reply was sent: stop the clock, stamp ``responded_at`` on every unanswered
    buyer message of the ticket, and remember the first response time.

    Returns the changed ticket field names for ``save(update_fields=…)``. Automated
    messages (proactive guides, auto-acknowledgements) must not call this: Amazon does
    not count auto-responders as a response.
    """
    Message.objects.filter(UNANSWERED, ticket=ticket).update(responded_at=at)
    changed = []
    if ticket.first_response_at is None:
        ticket.first_response_at = at
        changed.append("first_response_at")
    if ticket.sla_due_at is not None:
        ticket.sla_due_at = None
        changed.append("sla_due_at")
    return changed


@transaction.atomic
def sla_response_withdrawn(*, ticket: Ticket, answered_at: datetime) -> list[str]:
    """Amazon refused to deliver a reply (a delivery-failure notice): the buyer never got
    it, and Amazon counts the messages it answered as unanswered again. They wait again
    with their own due times (those stamped ``answered_at`` by that reply; a later reply's
    stamp stands), the ticket's clock is the earliest of them, and a refused first response
    is no first response. Returns the changed
    ticket field names for ``save(update_fields=…)``."""
    reopened = Message.objects.filter(
        ticket=ticket, direction=Message.Direction.INBOUND, responded_at=answered_at, no_response_needed=False
    ).update(responded_at=None)
    if not reopened:
        return []
    changed = []
    if ticket.first_response_at == answered_at:
        # The first response never reached the buyer: the first one that did (if any) counts.
        first = Message.objects.filter(
            ticket=ticket, direction=Message.Direction.INBOUND, responded_at__isnull=False
        ).aggregate(first=Min("responded_at"))["first"]
        ticket.first_response_at = first
        changed.append("first_response_at")
    due = Message.objects.filter(UNANSWERED, ticket=ticket).aggregate(due=Min("response_due_at"))["due"]
    if due is None or (ticket.sla_due_at is not None and ticket.sla_due_at <= due):
        return changed
    ticket.sla_due_at = due
    return [*changed, "sla_due_at"]


@transaction.atomic
def ticket_mark_no_response_needed(*, ticket: Ticket, actor: Actor) -> Ticket:
    """Amazon's "Mark as no response needed": the unanswered buyer messages leave the
    response-time metric and the clock stops; the next buyer message starts a new one."""
    marked = Message.objects.filter(UNANSWERED, ticket=ticket).update(no_response_needed=True)
    before = ticket.sla_due_at
    ticket.sla_due_at = None
    ticket.no_response_needed = True
    ticket.save(update_fields=["sla_due_at", "no_response_needed", "updated_at"])
    audit_record(
        subject=ticket,
        action="ticket.no_response_needed",
        actor=actor,
        changes={"sla_due_at": [iso(before), None], "messages": marked},
    )
    return ticket


# --- Parking a ticket does not stop the clock ------------------------------------------


class UnansweredMessages(InvalidTransition):
    """Parking, solving or closing a ticket whose buyer messages are unanswered: Amazon
    still counts them, so the caller must choose (reply, mark, or force the change)."""

    # What the refused change was, as the desk's button offers to do it anyway.
    ACTIONS = {"pending": "Wait on buyer", "solved": "Solve", "closed": "Close"}

    def __init__(self, *, ticket: Ticket, status: str, count: int):
        self.count, self.due_at, self.status = count, ticket.sla_due_at, status
        self.action = self.ACTIONS[status]
        self.verb = {"pending": "set it waiting on the buyer", "solved": "solve it", "closed": "close it"}[status]
        messages = "1 buyer message is" if count == 1 else f"{count} buyer messages are"
        super().__init__(
            f"{messages} still unanswered (reply due {ticket.sla_due_at:%a %d %b %H:%M} UTC). Reply, mark it "
            f"“no response needed”, or {self.verb} anyway: Amazon still counts the message, so its clock keeps "
            "running."
        )


def sla_park_check(*, ticket: Ticket, status: str, force: bool = False) -> int:
    """Amazon counts a buyer message until it is answered or marked "no response needed",
    whatever the ticket's status (notes/amazon.md §3). Setting a ticket waiting on the
    buyer, solved or closed while such messages wait therefore needs the caller's word
    (``force``), and the forced change keeps the clock running: the ticket stays At risk
    or Breached and the sweep still warns. Returns how many messages wait (0 when the
    change parks nothing); raises ``UnansweredMessages`` unless forced."""
    if status == ticket.status or status not in PARKED_STATUSES or ticket.sla_due_at is None or ticket.is_defence:
        return 0
    count = Message.objects.filter(UNANSWERED, ticket=ticket).count()
    if count and not force:
        raise UnansweredMessages(ticket=ticket, status=status, count=count)
    return count


DEFENCE_DONE = (Ticket.Status.SOLVED, Ticket.Status.CLOSED)


def sla_defence_clock_follow(*, ticket: Ticket, status: str) -> bool:
    """A defence ticket's clock is Amazon's deadline for the defence: it stops when the
    defence is done (the ticket solved or closed) and runs again, from the earliest
    deadline of its open claims and chargebacks, if the ticket is reopened. Sets
    ``ticket.sla_due_at``; returns whether it changed."""
    if not ticket.is_defence or status == ticket.status:
        return False
    if status in DEFENCE_DONE:
        due = None
    elif ticket.status in DEFENCE_DONE:
        due = _defence_deadline(ticket_ids=[ticket.pk])
    else:
        return False
    changed = due != ticket.sla_due_at
    ticket.sla_due_at = due
    return changed


def _defence_deadline(*, ticket_ids: list[int]) -> datetime | None:
    """The earliest deadline of the open claims and chargebacks of these tickets."""
    deadlines = [
        *AtoZClaim.objects.filter(ticket__in=ticket_ids, status__in=AtoZClaim.OPEN_STATUSES).values_list(
            "respond_by", flat=True
        ),
        *Chargeback.objects.filter(ticket__in=ticket_ids, status__in=Chargeback.OPEN_STATUSES).values_list(
            "respond_by", flat=True
        ),
    ]
    return min((d for d in deadlines if d is not None), default=None)


def sla_clock_of(*, ticket: Ticket, with_tickets: list[int] = ()) -> datetime | None:
    """What ``ticket``'s clock reads from its own rows (and, for a merge preview, from those
    of ``with_tickets`` as if they were already its): the earliest due time of its unanswered
    buyer messages; for a defence ticket not yet done, the earliest deadline of its open
    claims and chargebacks."""
    ids = [ticket.pk, *with_tickets]
    if ticket.is_defence:
        return None if ticket.status in DEFENCE_DONE else _defence_deadline(ticket_ids=ids)
    return Message.objects.filter(UNANSWERED, ticket__in=ids).aggregate(due=Min("response_due_at"))["due"]


def sla_clock_recompute(*, ticket: Ticket) -> list[str]:
    """Set the clock again from the ticket's rows (``sla_clock_of``), after rows moved to it
    (a merge, tickets.merge). Returns the changed field names for ``save(update_fields=…)``."""
    due = sla_clock_of(ticket=ticket)
    changed = []
    if due != ticket.sla_due_at:
        ticket.sla_due_at = due
        changed.append("sla_due_at")
    if due is not None and ticket.no_response_needed and not ticket.is_defence:
        ticket.no_response_needed = False
        changed.append("no_response_needed")
    return changed
