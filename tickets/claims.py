"""A-to-z claims and chargebacks: their deadlines and the CSM's defence ticket.

- A-to-z: "If you fail to represent your side within three calendar days, we will grant
  the claim in favor of the customer" (Seller Central 27951). An older text says 48 h,
  so the default is a setting (``A_TO_Z_RESPOND_HOURS``, 72), and the deadline in
  Amazon's notice wins when given. Appeals within 30 calendar days of the decision (``AtoZClaim.appeal_by``).
- Chargebacks: "You must respond to any chargeback claim within seven calendar days of
  the email date" (G202145040).

The defence ticket carries the deadline as its ``sla_due_at``, so the queue's at-risk and
breached views show it, and the SLA sweep warns a day ahead and when it passed
(``claim_due_soon`` / ``claim_overdue`` events).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from .audit import Actor, audit_record
from .models import AtoZClaim, Chargeback, Ticket

CHARGEBACK_RESPOND_WITHIN = timedelta(days=7)


def a_to_z_respond_within() -> timedelta:
    return timedelta(hours=getattr(settings, "A_TO_Z_RESPOND_HOURS", 72))


def _defence_open(*, case: AtoZClaim | Chargeback, kind: str, subject: str, default_within: timedelta, actor: Actor):
    order = case.order
    changes = {}
    if case.respond_by is None:
        case.respond_by = case.filed_at + default_within
        changes["respond_by"] = [None, case.respond_by.isoformat()]
    # A ticket is a conversation with a buyer: without one on the order, only the deadline.
    if case.ticket_id is None and order.buyer_id is not None:
        case.ticket = Ticket.objects.create(
            seller_account=order.seller_account,
            buyer=order.buyer,
            order=order,
            subject=subject[:300],
            kind=kind,
            status=Ticket.Status.NEW,
            priority=Ticket.Priority.HIGH,
            sla_due_at=case.respond_by,
        )
        audit_record(subject=case.ticket, action="ticket.created", actor=actor, changes={"source": kind})
        changes["ticket"] = [None, case.ticket.pk]
    if changes:
        case.save(update_fields=["respond_by", "ticket", "updated_at"])
        audit_record(subject=case, action=f"{case._meta.model_name}.defence_opened", actor=actor, changes=changes)
    return case


@transaction.atomic
def a_to_z_claim_opened(*, claim: AtoZClaim, actor: Actor) -> AtoZClaim:
    """A claim arrived (admin now, the API later): give it its deadline (Amazon's, else
    filed + 72 h) and open the defence ticket due then. Safe to call twice."""
    return _defence_open(
        case=claim,
        kind=Ticket.Kind.A_TO_Z_DEFENCE,
        subject=f"A-to-z claim {claim.claim_id} on order {claim.order.amazon_order_id}",
        default_within=a_to_z_respond_within(),
        actor=actor,
    )


@transaction.atomic
def chargeback_opened(*, chargeback: Chargeback, actor: Actor) -> Chargeback:
    """A chargeback arrived: respond within seven calendar days of Amazon's email, on a
    defence ticket due then. Safe to call twice. (Fraud chargebacks are Amazon's to
    fight, but the CSM still answers the request, so they get a ticket too.)"""
    return _defence_open(
        case=chargeback,
        kind=Ticket.Kind.CHARGEBACK,
        subject=f"Chargeback {chargeback.chargeback_id} on order {chargeback.order.amazon_order_id}",
        default_within=CHARGEBACK_RESPOND_WITHIN,
        actor=actor,
    )


@transaction.atomic
def defence_deadline_sync(*, case: AtoZClaim | Chargeback, actor: Actor) -> None:
    """Amazon gave (or corrected) the deadline: the open defence ticket follows it."""
    ticket = case.ticket
    if ticket is None or not ticket.is_open or case.respond_by is None or ticket.sla_due_at == case.respond_by:
        return
    before = ticket.sla_due_at
    ticket.sla_due_at = case.respond_by
    ticket.save(update_fields=["sla_due_at", "updated_at"])
    audit_record(
        subject=ticket,
        action="ticket.deadline_changed",
        actor=actor,
        changes={"sla_due_at": [before.isoformat() if before else None, case.respond_by.isoformat()]},
    )
