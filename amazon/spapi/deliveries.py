"""FBA deliveries, estimated from Amazon's promise.

The Orders API (v2026-01-01) tells the desk when an FBM package is DELIVERED, but an FBA order
has no packages ("Only available for merchant-fulfilled (FBM) orders"): Amazon says SHIPPED and
nothing after. What it does give is its promise to the buyer, the order's ``deliverByWindow``
(else the items' ``scheduledDeliveryWindow``), stored as ``latest_delivery_date``. Once that
promise has passed, the desk takes the order as delivered *at the end of the promise* — the
latest Amazon said it would be — marked estimated, so the proactive guide and the
review-request day count start as for any delivery. A delivery the desk learns afterwards (the
REST API's events, the admin) replaces the estimate and sends nothing twice (one guide per
order). The shipment-tracking notification is not used: it needs an SQS or EventBridge
destination, carries Amazon's tracking id rather than the order's, and who may use it is
unverified (notes/amazon.md §8).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from tickets.models import FulfillmentChannel, Order
from tickets.proactive.services import order_mark_delivered

ESTIMATE_SOURCE = "amazon_promise"
# One per order: a second sweep (or a concurrent one) finds it and records nothing.
ESTIMATE_EVENT_ID = "spapi:promise:delivered"
# Per account and sync; the rest wait for the next sync (oldest promises first).
ESTIMATES_PER_RUN = 1000


def fba_orders_past_promise(*, seller_account_id: int, now: datetime) -> QuerySet[Order]:
    """FBA orders Amazon reports shipped whose promised delivery has passed, with no delivery
    known. Cancelled, returned and refunded orders never qualify: nothing says they arrived."""
    return Order.objects.filter(
        seller_account_id=seller_account_id,
        fulfillment_channel=FulfillmentChannel.FBA,
        status=Order.Status.SHIPPED,
        delivered_at__isnull=True,
        latest_delivery_date__lte=now,
        cancelled_at__isnull=True,
        returned_at__isnull=True,
        refunded_at__isnull=True,
    )


def fba_deliveries_estimate(*, seller_account_id: int, now: datetime, actor: str) -> int:
    """Mark the account's shipped FBA orders past Amazon's promise as delivered at the end of
    the promise (estimated), through the one delivery entry point. Idempotent: an order once
    marked no longer qualifies. Returns how many orders were marked."""
    candidates = fba_orders_past_promise(seller_account_id=seller_account_id, now=now)
    ids = list(candidates.order_by("latest_delivery_date").values_list("pk", flat=True)[:ESTIMATES_PER_RUN])
    marked = 0
    for order_id in ids:
        with transaction.atomic():
            # Checked again under the order's lock: a real delivery or a cancellation may
            # have come in since the selection.
            order = (
                candidates.select_for_update(of=("self",)).select_related("seller_account").filter(pk=order_id).first()
            )
            if order is None:
                continue
            order_mark_delivered(
                order=order,
                delivered_at=order.latest_delivery_date,
                actor=actor,
                source=ESTIMATE_SOURCE,
                event_id=ESTIMATE_EVENT_ID,
                estimated=True,
            )
            marked += 1
    return marked
