"""A-to-z claims and chargebacks: their deadlines and the CSM's defence ticket.

- A-to-z: "If you fail to represent your side within three calendar days, we will grant
  the claim in favor of the customer" (Seller Central 27951). An older text says 48 h,
  so the default is a setting (``A_TO_Z_RESPOND_HOURS``, 72), and the deadline in
  Amazon's notice wins when given. Appeals within 30 calendar days of the decision (``AtoZClaim.appeal_by``).
- Chargebacks: "You must respond to any chargeback claim within seven calendar days of
  the email date" (G202145040).

The defence ticket carries the deadline as its ``sla_due_at``, so the queue's at-risk and
breached views show it, and the SLA sweep warns a day ahead and when it passed
(``claim_due_soon`` / ``claim_overdue`` events, the ``claim.respond_by_soon`` webhook).

``a_to_z_claim_record`` and ``chargeback_record`` are the one intake for every channel (the
API, later the SP-API sync; the admin saves its form and calls the same deadline and
ticket steps): they upsert by Amazon's id within the order's seller account, set the
deadline, open the defence ticket and keep its clock in step with the deadline.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from ..audit import Actor, audit_record, field_changes, iso
from ..models import AtoZClaim, Chargeback, Order, Ticket
from ..services import ticket_open
from ..sla.clock import DEFENCE_DONE

CHARGEBACK_RESPOND_WITHIN = timedelta(days=7)
# The audit trail's name of each case (``a_to_z_claim.created``…), whichever channel wrote it.
AUDIT_NAME = {AtoZClaim: "a_to_z_claim", Chargeback: "chargeback"}


def a_to_z_respond_within() -> timedelta:
    return timedelta(hours=getattr(settings, "A_TO_Z_RESPOND_HOURS", 72))


def _defence_open(*, case: AtoZClaim | Chargeback, kind: str, subject: str, default_within: timedelta, actor: Actor):
    order = case.order
    changes = {}
    if case.respond_by is None:
        case.respond_by = case.filed_at + default_within
        changes["respond_by"] = [None, case.respond_by.isoformat()]
    # A ticket is a conversation with a buyer: without one on the order, only the deadline.
    # A case already decided (an imported history, say) needs no defence: no ticket.
    if case.ticket_id is None and order.buyer_id is not None and case.is_open:
        case.ticket = ticket_open(
            seller_account=order.seller_account,
            buyer=order.buyer,
            order=order,
            subject=subject,
            kind=kind,
            status=Ticket.Status.NEW,
            priority=Ticket.Priority.HIGH,
            sla_due_at=case.respond_by,
            actor=actor,
            source=kind,
        )
        changes["ticket"] = [None, case.ticket.pk]
    if changes:
        case.save(update_fields=["respond_by", "ticket", "updated_at"])
        audit_record(subject=case, action=f"{AUDIT_NAME[type(case)]}.defence_opened", actor=actor, changes=changes)
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
    """Amazon gave (or corrected) the deadline: the defence ticket follows it until the
    defence is done (the ticket solved or closed stops its clock: tickets.sla.clock)."""
    ticket = case.ticket
    if ticket is None or ticket.status in DEFENCE_DONE or case.respond_by in (None, ticket.sla_due_at):
        return
    before = ticket.sla_due_at
    ticket.sla_due_at = case.respond_by
    ticket.save(update_fields=["sla_due_at", "updated_at"])
    audit_record(
        subject=ticket,
        action="ticket.deadline_changed",
        actor=actor,
        changes={"sla_due_at": [iso(before), iso(case.respond_by)]},
    )


def _case_upsert(
    *, model, id_field: str, case_id: str, order: Order, values: dict, default_within: timedelta, actor: Actor
):
    """Create or update a claim or chargeback by Amazon's id within the order's seller
    account, with Amazon's deadline or else filed + ``default_within``; audited."""
    values = {**values, "order": order}
    values["respond_by"] = values.get("respond_by") or values["filed_at"] + default_within
    key = {"seller_account_id": order.seller_account_id, id_field: case_id}
    row = model.objects.select_for_update().filter(**key).first()
    if row is None:
        row = model.objects.create(**key, **values)
        audit_record(subject=row, action=f"{AUDIT_NAME[model]}.created", actor=actor, changes={})
        return row, True
    changes = field_changes({f: getattr(row, f) for f in values}, values)
    if changes:
        for field, value in values.items():
            setattr(row, field, value)
        row.save(update_fields=[*values.keys(), "updated_at"])
        audit_record(subject=row, action=f"{AUDIT_NAME[model]}.updated", actor=actor, changes=changes)
    return row, False


@transaction.atomic
def a_to_z_claim_record(*, order: Order, claim_id: str, values: dict, actor: Actor) -> tuple[AtoZClaim, bool]:
    """Record an A-to-z claim (new or updated) from any channel; returns (claim, created).

    Keyed by Amazon's claim id within the order's seller account, never another account's
    claim. Without Amazon's ``respond_by``, the deadline is filed + ``A_TO_Z_RESPOND_HOURS``
    (three calendar days, Seller Central 27951). The defence ticket is opened (once) due
    then, and follows a corrected deadline."""
    claim, created = _case_upsert(
        model=AtoZClaim,
        id_field="claim_id",
        case_id=claim_id,
        order=order,
        values=values,
        default_within=a_to_z_respond_within(),
        actor=actor,
    )
    a_to_z_claim_opened(claim=claim, actor=actor)
    defence_deadline_sync(case=claim, actor=actor)
    return claim, created


@transaction.atomic
def chargeback_record(*, order: Order, chargeback_id: str, values: dict, actor: Actor) -> tuple[Chargeback, bool]:
    """Record a chargeback (new or updated) from any channel; returns (chargeback, created).

    Keyed by the chargeback id within the order's seller account. Without ``respond_by``,
    seven calendar days from filing (G202145040). The defence ticket is opened (once) due
    then, and follows a corrected deadline."""
    chargeback, created = _case_upsert(
        model=Chargeback,
        id_field="chargeback_id",
        case_id=chargeback_id,
        order=order,
        values=values,
        default_within=CHARGEBACK_RESPOND_WITHIN,
        actor=actor,
    )
    chargeback_opened(chargeback=chargeback, actor=actor)
    defence_deadline_sync(case=chargeback, actor=actor)
    return chargeback, created
