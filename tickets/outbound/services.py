"""Writes on the outbound path. ``message_send`` is the only way a message to a buyer
is created — the agent UI, the API, the admin and Celery tasks all call it — so the
compliance guard cannot be bypassed."""

import logging
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from ..audit import Actor, actor_label, audit_record
from ..compliance import ComplianceContext, ComplianceResult, compliance_check
from ..models import (
    BlockedMessage,
    Buyer,
    ForbiddenPhrase,
    Message,
    MessagePurpose,
    MessageTemplate,
    Order,
    OutboundMessage,
    SellerAccount,
    Ticket,
)
from ..outbox import outbox_claim, outbox_due, retry_delay
from ..sla.clock import sla_record_response
from .gateways import PermanentGatewayError, gateway_for

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
# A claimed row whose worker has not reported back after this long is presumed dead
# and may be claimed again. Longer than the task time limit, so a slow send is not
# mistaken for a dead one.
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 8


# Amazon's Contact Customer tool (Brand Registry) sends its own fixed emails; there is no
# free text and no API for it. The outbox row records which template the CSM used, and
# the console gateway logs it: the desk never pretends to send Amazon's email itself.
CONTACT_CUSTOMER_RECORDS = {
    "courtesy_refund": "Amazon Contact Customer: Courtesy Refund (Amazon's fixed email offering a full refund).",
    "customer_support": (
        "Amazon Contact Customer: Customer Support (Amazon's fixed email asking the buyer's permission "
        "to be contacted through Buyer-Seller Messaging)."
    ),
}


class ComplianceRefused(Exception):
    """The guard refused the message; nothing was queued. ``result`` says why."""

    def __init__(self, result: ComplianceResult):
        self.result = result
        super().__init__("; ".join(v.message for v in result.violations))


def compliance_context_for(
    *,
    seller_account: SellerAccount,
    order: Order | None,
    ticket: Ticket | None = None,
    contact_reason: str | None = None,
    now=None,
) -> ComplianceContext:
    """What the guard needs to know about the situation a message is sent in."""
    now = now or timezone.now()
    earlier_proactive = 0
    days_since_delivery = None
    if order is not None:
        earlier_proactive = (
            OutboundMessage.objects.filter(order=order, purpose=MessagePurpose.PROACTIVE_GUIDE)
            .exclude(status=Status.DEAD)
            .count()
        )
        if order.delivered_at:
            days_since_delivery = (now - order.delivered_at).days
    phrases = ForbiddenPhrase.objects.filter(
        Q(seller_account__isnull=True) | Q(seller_account=seller_account)
    ).values_list("phrase", flat=True)
    return ComplianceContext(
        amazon_order_id=order.amazon_order_id if order else None,
        days_since_delivery=days_since_delivery,
        earlier_proactive_messages=earlier_proactive,
        open_buyer_question=bool(ticket and ticket.sla_due_at),
        allowed_link_domains=seller_account.link_domains,
        extra_forbidden_phrases=tuple(phrases),
        contact_reason=contact_reason,
    )


def message_check(
    *,
    body: str,
    purpose: str,
    seller_account: SellerAccount,
    order: Order | None = None,
    ticket: Ticket | None = None,
    contact_reason: str | None = None,
) -> ComplianceResult:
    """The guard's verdict on a message as ``message_send`` would judge it, without
    sending or logging anything: the reply box's live check calls this as the agent types."""
    context = compliance_context_for(
        seller_account=seller_account, order=order, ticket=ticket, contact_reason=contact_reason
    )
    return compliance_check(text=body.strip(), purpose=purpose, context=context)


def message_send(
    *,
    body: str,
    actor: Actor,
    channel: str,
    ticket: Ticket | None = None,
    buyer: Buyer | None = None,
    order: Order | None = None,
    purpose: str = MessagePurpose.REPLY,
    template: MessageTemplate | None = None,
    subject: str = "",
    contact_reason: str | None = None,
    dedupe_key: str | None = None,
    automated: bool = False,
) -> OutboundMessage:
    """Check a message with the compliance guard and queue it for delivery.

    Refused: a ``BlockedMessage`` is logged for managers and ``ComplianceRefused`` is
    raised; no outbox row exists. Allowed: the conversation entry and the outbox row are
    written in one transaction (with the caller's ticket change, if the caller holds
    one) and delivery is enqueued only after commit. A real reply stops the SLA clock.
    """
    order = order or (ticket.order if ticket else None)
    buyer = buyer or (ticket.buyer if ticket else None) or (order.buyer if order else None)
    if buyer is None:
        raise ValueError("A message needs a buyer: pass a ticket, an order with a buyer, or a buyer.")
    seller_account = buyer.seller_account
    body = body.strip()
    result = message_check(
        body=body,
        purpose=purpose,
        seller_account=seller_account,
        order=order,
        ticket=ticket,
        contact_reason=contact_reason,
    )
    if not result.allowed:
        BlockedMessage.objects.create(
            seller_account=seller_account,
            ticket=ticket,
            purpose=purpose,
            body=body,
            violations=result.as_dict()["violations"],
            channel=channel,
            actor_label=actor_label(actor),
        )
        raise ComplianceRefused(result)

    gateway = seller_account.outbound_gateway
    if purpose == MessagePurpose.REVIEW_OUTREACH:
        body, gateway = CONTACT_CUSTOMER_RECORDS[contact_reason], "console"
    user = actor if isinstance(actor, AbstractBaseUser) else None
    now = timezone.now()
    with transaction.atomic():
        message = None
        if ticket is not None:
            message = Message.objects.create(
                ticket=ticket,
                direction=Message.Direction.OUTBOUND,
                author=user,
                body=body,
                is_automated=automated,
                created_at=now,
            )
            changed = ["last_message_at"]
            ticket.last_message_at = now
            if purpose != MessagePurpose.PROACTIVE_GUIDE and not automated:
                changed += sla_record_response(ticket=ticket, at=now)
            ticket.save(update_fields=[*changed, "updated_at"])
        outbound = OutboundMessage.objects.create(
            seller_account=seller_account,
            buyer=buyer,
            ticket=ticket,
            order=order,
            message=message,
            purpose=purpose,
            template=template,
            subject=subject,
            body=body,
            gateway=gateway,
            dedupe_key=dedupe_key,
            created_by=user,
            created_at=now,
            next_attempt_at=now,
        )
        if ticket is not None:
            audit_record(
                subject=ticket,
                action="message.queued",
                actor=actor,
                changes={"outbound": outbound.pk, "purpose": purpose, "channel": channel},
            )
        transaction.on_commit(lambda: outbound_enqueue(outbound_id=outbound.pk))
    return outbound


def outbound_enqueue(*, outbound_id: int, eta=None) -> bool:
    """Hand a row to Celery. A broker outage is not an error here: the row is already
    committed and the sweeper will enqueue it again, so the request still succeeds."""
    from .tasks import deliver_outbound

    try:
        deliver_outbound.apply_async((outbound_id,), eta=eta, retry=False)
    except (OperationalError, OSError) as exc:
        logger.warning("Broker unreachable, outbound %s stays queued for the sweeper: %s", outbound_id, exc)
        return False
    return True


def outbound_deliver(*, outbound_id: int) -> str:
    """Send one outbox row through its gateway and record the outcome.

    Returns the row's new status, or "not_claimed" when another worker has it or it is
    already done (safe to call any number of times).
    """
    now = timezone.now()
    if not outbox_claim(model=OutboundMessage, pk=outbound_id, now=now, lease=CLAIM_LEASE):
        return "not_claimed"
    outbound = OutboundMessage.objects.select_related("buyer", "seller_account", "order", "ticket").get(pk=outbound_id)
    ours = OutboundMessage.objects.filter(pk=outbound_id, status=Status.SENDING, claimed_at=now)
    try:
        gateway_message_id = gateway_for(outbound.gateway).send(outbound)
    except PermanentGatewayError as exc:
        ours.update(status=Status.DEAD, last_error=str(exc))
        logger.error("Outbound %s is dead: %s", outbound_id, exc)
        return Status.DEAD
    except Exception as exc:  # transient or unexpected: retry, never lose the message
        error = f"{type(exc).__name__}: {exc}"
        if outbound.attempts >= MAX_ATTEMPTS:
            ours.update(status=Status.DEAD, last_error=error)
            logger.error("Outbound %s is dead after %s attempts: %s", outbound_id, outbound.attempts, error)
            return Status.DEAD
        next_attempt_at = now + retry_delay(outbound.attempts)
        ours.update(status=Status.FAILED, last_error=error, next_attempt_at=next_attempt_at)
        outbound_enqueue(outbound_id=outbound_id, eta=next_attempt_at)
        return Status.FAILED
    sent_at = timezone.now()
    ours.update(status=Status.SENT, sent_at=sent_at, gateway_message_id=gateway_message_id, last_error="")
    if outbound.message_id:
        Message.objects.filter(pk=outbound.message_id).update(sent_at=sent_at)
    return Status.SENT


def outbound_sweep(*, now=None, limit: int = 500) -> int:
    """Re-enqueue rows the broker may have lost: queued rows whose task never ran,
    failed rows whose retry is due, and claimed rows whose worker died. Returns how
    many were enqueued. Harmless to overlap with normal delivery (the claim decides)."""
    now = now or timezone.now()
    due = outbox_due(model=OutboundMessage, now=now, lease=CLAIM_LEASE, limit=limit)
    return sum(outbound_enqueue(outbound_id=pk) for pk in due)


def outbound_retry_now(*, outbound: OutboundMessage, actor: Actor) -> bool:
    """A manager's "retry now" on a dead or failed message: a fresh round of attempts."""
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(pk=outbound.pk, status__in=[Status.DEAD, Status.FAILED]).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        if not updated:
            return False
        if outbound.ticket_id:
            audit_record(
                subject=outbound.ticket, action="message.retried", actor=actor, changes={"outbound": outbound.pk}
            )
        transaction.on_commit(lambda: outbound_enqueue(outbound_id=outbound.pk))
    return True
