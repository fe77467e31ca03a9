"""Amazon's Data Protection Policy for buyer data (notes/amazon.md §10): buyer PII is kept only
as long as the order needs it, then redacted — the one place of that rule.

Amazon: PII from the SP-API "no longer than 30 days after order shipment" (vendors apply 30 days
after delivery) unless needed for taxes. The desk redacts a buyer's **name and relay e-mail**
(the PII it stores; it stores no phone or street address) ``PII_RETENTION_DAYS`` (30) after the
last of the buyer's orders is done, and keeps the order id, items, dates, totals, tracking and
everything the metrics and history read. An order is done at its delivery, else its shipment,
cancellation, latest delivery date, else its purchase. A buyer with a conversation still open
(a ticket not solved or closed) is kept until it closes: the relay address is how the desk
answers them.

Set-based: one UPDATE of every buyer due, whatever their number, with one audit event each
(bulk-inserted in the same transaction). A buyer whose data comes back (a late order update
from Amazon) is redacted again by the next run.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from .audit import actor_label
from .models import AuditEvent, Buyer, Order, Ticket

ACTOR = "dpp-retention"
BATCH = 5000


def order_done_at() -> Coalesce:
    """When an order no longer needs its buyer's data (the retention period runs from it)."""
    return Coalesce(F("delivered_at"), F("shipped_at"), F("cancelled_at"), F("latest_delivery_date"), F("purchased_at"))


def buyers_due_for_redaction(*, now: datetime, days: int | None = None):
    """Buyers with PII left whose every order was done more than ``days`` ago and who have no
    open conversation."""
    days = settings.PII_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    recent_order = Order.objects.filter(buyer=OuterRef("pk")).annotate(done=order_done_at()).filter(done__gte=cutoff)
    open_ticket = Ticket.objects.filter(buyer=OuterRef("pk")).exclude(
        status__in=[Ticket.Status.SOLVED, Ticket.Status.CLOSED]
    )
    return (
        Buyer.objects.filter(~Q(name="") | ~Q(email=""))
        .filter(Exists(Order.objects.filter(buyer=OuterRef("pk"))))
        .exclude(Exists(recent_order))
        .exclude(Exists(open_ticket))
    )


def buyers_pii_redact(*, now: datetime, days: int | None = None) -> int:
    """Redact the PII of every buyer due (see the module); returns how many were redacted."""
    content_type = ContentType.objects.get_for_model(Buyer)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                buyers_due_for_redaction(now=now, days=days)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                return total
            Buyer.objects.filter(pk__in=ids).update(name="", email="", pii_redacted_at=now)
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        content_type=content_type,
                        object_id=str(pk),
                        action="buyer.pii_redacted",
                        changes={"fields": ["name", "email"], "retention_days": days or settings.PII_RETENTION_DAYS},
                        actor_label=actor_label(ACTOR),
                    )
                    for pk in ids
                ]
            )
            total += len(ids)
