"""Order events and the proactive post-delivery guide.

A delivered order may get one quick-start guide message, sent through the one outbound
path (``message_send``, compliance guard included). Amazon does not list a usage guide
among the permitted proactive messages (notes/amazon.md §3), so it is off unless the
seller account turns it on, and the guard still applies its proactive rules: one per
order, within 30 days of delivery, the order id included, no review mention.

Exactly once, whatever happens: ``ProactiveGuide`` is one row per order (OneToOne),
claimed with a conditional UPDATE (scheduled → queued) in the same transaction as the
outbox row, whose ``dedupe_key`` is unique too. A worker killed mid-task rolls the claim
back and the beat sweep picks the guide up again.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from ..audit import Actor
from ..intake.messages import buyer_thread_for
from ..models import (
    MessagePurpose,
    MessageTemplate,
    Order,
    OrderEvent,
    OutboundMessage,
    PostDeliveryContact,
    ProactiveGuide,
    Product,
    Ticket,
)
from ..outbound.services import ComplianceRefused, MessageHeld, message_send
from ..outbound.templating import message_context, template_render
from ..selectors import order_events_same
from ..services import ticket_open

logger = logging.getLogger(__name__)

GuideStatus = ProactiveGuide.Status
GUIDE_TEMPLATE = "quick_start_guide"
GUIDE_ACTOR = "celery:proactive_guide"
# "Proactive Permitted Messages must be sent within 30 days of order completion" (notes/amazon.md §3).
GUIDE_WINDOW = timedelta(days=30)


def guide_delay() -> timedelta:
    """How long after delivery the guide goes out (default 0: the moment tracking says delivered)."""
    return timedelta(minutes=getattr(settings, "PROACTIVE_GUIDE_DELAY_MINUTES", 0))


def _guide_product(order: Order) -> Product | None:
    """The first product on the order with a quick-start guide: one message per order."""
    item = order.items.select_related("product").exclude(product__guide_url="").order_by("pk").first()
    return item.product if item else None


def order_mark_delivered(
    *,
    order: Order,
    delivered_at: datetime,
    actor: Actor,
    source: str,
    event_id: str | None = None,
    estimated: bool = False,
) -> ProactiveGuide | None:
    """The order was delivered (API event, admin edit, the SP-API sync).

    Records the delivery (an ``OrderEvent``; a repeated ``event_id`` is ignored), and,
    when the account has proactive guides on and a product has a guide, schedules the
    order's one guide for ``delivered_at`` + ``PROACTIVE_GUIDE_DELAY_MINUTES``. Any number
    of delivered events give the same single guide. Returns the guide, if any.

    ``estimated``: the delivery is inferred (the end of Amazon's promise for an FBA order),
    so it never replaces a delivery the desk knows, and any known delivery replaces it.
    """
    with transaction.atomic():
        # The delivery as stored now (the caller's copy may predate an estimate or a delivery).
        order.refresh_from_db(
            fields=["delivered_at", "delivery_estimated", "status", "cancelled_at"],
            from_queryset=Order.objects.select_for_update(),
        )
        if estimated and order.delivered_at is not None:
            return ProactiveGuide.objects.filter(order=order).first()
        # The same de-duplication as tickets.services.order_event_record: by the sender's
        # event id, else by (order, type, time). A replay records nothing new, and the
        # guide below is one row per order whatever the number of events.
        same = order_events_same(
            order=order, type=OrderEvent.Type.DELIVERED, occurred_at=delivered_at, event_id=event_id
        )
        if not same.exists():
            try:
                with transaction.atomic():
                    OrderEvent.objects.create(
                        order=order,
                        event_id=event_id,
                        type=OrderEvent.Type.DELIVERED,
                        occurred_at=delivered_at,
                        carrier=order.carrier,
                        tracking_number=order.tracking_number,
                        source=source,
                    )
            except IntegrityError:
                pass  # the same event id stored concurrently
        changed = []
        if order.delivered_at != delivered_at:
            order.delivered_at = delivered_at
            changed.append("delivered_at")
        if order.delivery_estimated != estimated:
            order.delivery_estimated = estimated
            changed.append("delivery_estimated")
        if order.status != Order.Status.DELIVERED and order.cancelled_at is None:
            order.status = Order.Status.DELIVERED
            changed.append("status")
        if changed:
            order.save(update_fields=[*changed, "updated_at"])

        if not order.seller_account.proactive_guides_enabled or _guide_product(order) is None:
            return ProactiveGuide.objects.filter(order=order).first()
        guide, created = ProactiveGuide.objects.get_or_create(
            order=order, defaults={"send_after": delivered_at + guide_delay()}
        )
        if created and guide.send_after <= timezone.now():
            transaction.on_commit(lambda: proactive_guide_enqueue(guide_id=guide.pk))
    return guide


def proactive_guide_enqueue(*, guide_id: int) -> bool:
    """Hand a due guide to Celery. A broker outage is not an error: the beat sweep finds
    every scheduled guide that is due."""
    from .tasks import send_proactive_guide

    try:
        send_proactive_guide.apply_async((guide_id,), retry=False)
    except (OperationalError, OSError) as exc:
        logger.warning("Broker unreachable, guide %s waits for the sweep: %s", guide_id, exc)
        return False
    return True


def order_post_delivery_claim(*, order_id: int, kind: str) -> bool:
    """Take the order's one proactive contact after delivery for ``kind`` (``guide`` or
    ``review_request``): a conditional UPDATE, so the guide and a review request can never
    both go out for one order, whichever runs first or concurrently. True if the order's
    contact is (now) ``kind``. Amazon: "Send only one productReviewAndSellerFeedback or free
    form proactive message per order" (notes/amazon.md §5)."""
    return bool(
        Order.objects.filter(pk=order_id, post_delivery_contact__in=["", kind]).update(post_delivery_contact=kind)
    )


def _skip_reason(guide: ProactiveGuide, *, now: datetime) -> str:
    """Why the guide must not go out now, re-checked at send time ("" when it may)."""
    order = guide.order
    if order.cancelled_at or order.status == Order.Status.CANCELLED:
        return "The order was cancelled."
    if order.returned_at:
        return "The order was returned."
    if order.refunded_at:
        return "The order was refunded."
    if order.buyer is None:
        return "The order has no buyer to write to."
    if order.buyer.opted_out_of_proactive_messages:
        return "The buyer opted out of unsolicited messages."
    if not order.seller_account.proactive_guides_enabled:
        return "Proactive guides were turned off for the seller account."
    if order.seller_account.post_delivery_contact(order.fulfillment_channel) != PostDeliveryContact.GUIDE:
        return f"The account sends {order.fulfillment_channel} orders Amazon's review request instead (one per order)."
    if order.post_delivery_contact not in ("", PostDeliveryContact.GUIDE):
        return "The order already had Amazon's review request: Amazon allows one proactive contact per order."
    if order.delivered_at is None:
        return "The order is no longer marked delivered."
    if now - order.delivered_at > GUIDE_WINDOW:
        return "More than 30 days since delivery: Amazon allows proactive messages only within 30 days."
    return ""


def _guide_template(order: Order) -> MessageTemplate | None:
    """The account's own quick-start template, else the default one."""
    templates = MessageTemplate.objects.filter(slug=GUIDE_TEMPLATE, is_active=True)
    return (
        templates.filter(seller_account=order.seller_account).first()
        or templates.filter(seller_account__isnull=True).first()
    )


def _guide_ticket(order: Order) -> Ticket:
    """The thread the guide is written into, so that a buyer's reply lands beside it.

    The buyer's existing thread about the order when there is one; otherwise a new setup
    ticket, created *solved*: there is nothing for a CSM to do until the buyer answers
    (no clock, not in the queue), and a reply reopens it (solved → open; closed would be
    final and a reply would start a new ticket).
    """
    ticket = buyer_thread_for(seller_account=order.seller_account, buyer=order.buyer, order=order)
    if ticket is not None:
        return ticket
    return ticket_open(
        seller_account=order.seller_account,
        buyer=order.buyer,
        order=order,
        subject=f"Quick-start guide for order {order.amazon_order_id}",
        kind=Ticket.Kind.SETUP,
        status=Ticket.Status.SOLVED,
        actor=GUIDE_ACTOR,
        source="proactive_guide",
    )


def _skip(guide: ProactiveGuide, reason: str) -> str:
    guide.status, guide.skip_reason = GuideStatus.SKIPPED, reason[:200]
    guide.save(update_fields=["status", "skip_reason", "updated_at"])
    logger.info("Guide for order %s skipped: %s", guide.order_id, reason)
    return GuideStatus.SKIPPED


def proactive_guide_send(*, guide_id: int, now: datetime | None = None) -> str:
    """Send one due guide, or skip it and record why. Safe to call any number of times,
    from any number of workers: returns "not_claimed" when it is not (or no longer) due.

    The claim (scheduled → queued) and the outbox row commit together: if the worker
    dies in between, both roll back and the guide is scheduled again for the sweep.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = ProactiveGuide.objects.filter(pk=guide_id, status=GuideStatus.SCHEDULED, send_after__lte=now).update(
            status=GuideStatus.QUEUED, updated_at=now
        )
        if not claimed:
            return "not_claimed"
        guide = ProactiveGuide.objects.select_related("order__seller_account", "order__buyer").get(pk=guide_id)
        order = guide.order
        reason = _skip_reason(guide, now=now)
        product = _guide_product(order)
        template = _guide_template(order)
        if not reason and product is None:
            reason = "No product on the order has a quick-start guide any more."
        if not reason and template is None:
            reason = f"No active {GUIDE_TEMPLATE} template."
        if not reason and not order_post_delivery_claim(order_id=order.pk, kind=PostDeliveryContact.GUIDE):
            reason = "The order already had Amazon's review request: Amazon allows one proactive contact per order."
        if reason:
            return _skip(guide, reason)
        context = message_context(order=order, product=product)
        ticket = _guide_ticket(order)
        try:
            outbound = message_send(
                body=template_render(body=template.body, context=context),
                subject=template_render(body=template.subject, context=context) if template.subject else "",
                actor=GUIDE_ACTOR,
                channel="task",
                ticket=ticket,
                order=order,
                purpose=MessagePurpose.PROACTIVE_GUIDE,
                template=template,
                dedupe_key=f"proactive_guide:{order.amazon_order_id}",
                automated=True,
            )
        except ComplianceRefused as refused:
            # The BlockedMessage row message_send wrote stays, for managers to review.
            rules = "; ".join(f"{v.rule}: {v.message}" for v in refused.result.violations)
            return _skip(guide, f"Refused by the compliance guard ({rules})")
        except MessageHeld as held:
            # Kept for a manager (tickets.held): approval queues it, rejection skips it.
            guide.status, guide.skip_reason = GuideStatus.HELD, f"Held for a manager's approval (#{held.held.pk})."
            guide.save(update_fields=["status", "skip_reason", "updated_at"])
            return GuideStatus.HELD
        except IntegrityError:
            # The outbox already holds this order's guide (dedupe_key): link it, send nothing.
            outbound = OutboundMessage.objects.get(dedupe_key=f"proactive_guide:{order.amazon_order_id}")
        guide.outbound = outbound
        guide.save(update_fields=["outbound", "updated_at"])
    return GuideStatus.QUEUED


def proactive_guides_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Enqueue every scheduled guide that is due: delayed guides, and those whose task
    the broker lost. Overlapping with the on-commit task is harmless (the claim decides)."""
    now = now or timezone.now()
    due = (
        ProactiveGuide.objects.filter(status=GuideStatus.SCHEDULED, send_after__lte=now)
        .order_by("send_after")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(proactive_guide_enqueue(guide_id=pk) for pk in due)
