"""Writes on the outbound path. ``message_send`` is the only way a message to a buyer
is created — the agent UI, the API, the admin and Celery tasks all call it — so the
compliance guard cannot be bypassed. The guard's three verdicts end here: *allowed*
(queued in the outbox), *refused* (``ComplianceRefused``, a ``BlockedMessage``) and
*held* (``MessageHeld``, a ``HeldMessage`` a manager approves or rejects: tickets.held)."""

import logging
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from ..attachments import RELAY, AttachmentIn, AttachmentRefused, AttachmentRules, attachments_check, attachments_store
from ..audit import Actor, actor_label, audit_record, iso
from ..compliance import ComplianceContext, ComplianceResult, Purpose, Verdict, Violation, compliance_check
from ..compliance.content import extra_phrases
from ..compliance.guard import MAX_LENGTH
from ..compliance.normalize import Document
from ..counts import queue_changed
from ..models import (
    BlockedMessage,
    Buyer,
    ForbiddenPhrase,
    HeldMessage,
    Message,
    MessagePurpose,
    MessageTemplate,
    Order,
    OutboundMessage,
    PhraseAction,
    SellerAccount,
    Ticket,
)
from ..outbox import outbox_claim, outbox_due, retry_delay
from ..services import ticket_update
from ..sla.clock import sla_record_response, sla_response_withdrawn
from .gateways import PermanentGatewayError, RejectedByAmazon, gateway_for

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


class MessageHeld(Exception):
    """The guard was unsure (its verdict *held*): the message is stored as ``held`` for a
    manager to approve or reject. Nothing was queued, and the SLA clock keeps running: a
    held reply has not answered the buyer. An exception, like a refusal, so that no caller
    can mistake a held message for a sent one."""

    def __init__(self, *, held: HeldMessage, result: ComplianceResult):
        self.held = held
        self.result = result
        super().__init__("; ".join(v.message for v in result.doubts))


# The doubt a manager's "hold" phrase adds (``ForbiddenPhrase.action``); worded like the
# guard's own rules (tickets.compliance.base.RULES).
APPROVAL_PHRASE = "approval_phrase"
APPROVAL_PHRASE_MESSAGE = "This phrase is on the account's list of phrases that need a manager's approval."


def compliance_context_for(
    *,
    seller_account: SellerAccount,
    order: Order | None,
    ticket: Ticket | None = None,
    contact_reason: str | None = None,
    now=None,
    forbidden_phrases: tuple[str, ...] | None = None,
) -> ComplianceContext:
    """What the guard needs to know about the situation a message is sent in
    (``forbidden_phrases``: the account's refusing phrases, when the caller has them)."""
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
    if forbidden_phrases is None:
        forbidden_phrases = manager_phrases(seller_account=seller_account)[PhraseAction.REFUSE]
    return ComplianceContext(
        amazon_order_id=order.amazon_order_id if order else None,
        days_since_delivery=days_since_delivery,
        earlier_proactive_messages=earlier_proactive,
        open_buyer_question=bool(ticket and ticket.sla_due_at),
        allowed_link_domains=seller_account.link_domains,
        extra_forbidden_phrases=tuple(forbidden_phrases),
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
    sending or logging anything: the reply box's live check calls this as the agent types.
    The account's "hold" phrases add doubts to the guard's own (``approval_phrase_doubts``)."""
    phrases = manager_phrases(seller_account=seller_account)
    context = compliance_context_for(
        seller_account=seller_account,
        order=order,
        ticket=ticket,
        contact_reason=contact_reason,
        forbidden_phrases=phrases[PhraseAction.REFUSE],
    )
    body = body.strip()
    result = compliance_check(text=body, purpose=purpose, context=context)
    doubts = approval_phrase_doubts(text=body, purpose=purpose, phrases=phrases[PhraseAction.HOLD])
    if not doubts:
        return result
    merged = tuple(sorted((*result.doubts, *doubts), key=lambda d: (d.start, d.end, d.rule)))
    return ComplianceResult(allowed=result.allowed, violations=result.violations, doubts=merged)


def manager_phrases(*, seller_account: SellerAccount) -> dict[str, tuple[str, ...]]:
    """The phrases managers added for the account (and for every account), by what a match
    does: ``refuse`` (handed to the guard) or ``hold`` (a doubt). One query."""
    found: dict[str, list[str]] = {action: [] for action in PhraseAction.values}
    rows = ForbiddenPhrase.objects.filter(Q(seller_account__isnull=True) | Q(seller_account=seller_account))
    for phrase, action in rows.values_list("phrase", "action"):
        found[action].append(phrase)
    return {action: tuple(phrases) for action, phrases in found.items()}


def approval_phrase_doubts(*, text: str, purpose: str, phrases: tuple[str, ...]) -> tuple[Violation, ...]:
    """The manager phrases that need approval, found in ``text`` exactly as the guard finds
    its forbidden phrases (the same reading: case, spacing and disguises undone), each
    stretch once. Built beside the guard rather than in it: the guard stays the owner of
    Amazon's rules, this is the account's own policy."""
    if not phrases or purpose == MessagePurpose.REVIEW_OUTREACH:
        return ()
    limit = MAX_LENGTH.get(Purpose(purpose), len(text))
    spans: list[list] = []
    for start, end, *detail in sorted(extra_phrases(Document(text[:limit]), phrases=phrases)):
        if spans and start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)  # overlapping matches: one stretch
        else:
            spans.append([start, end, detail[0] if detail else ""])
    return tuple(
        Violation(rule=APPROVAL_PHRASE, message=f"{APPROVAL_PHRASE_MESSAGE} {detail}".strip(), start=start, end=end)
        for start, end, detail in spans
    )


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
    status_after: str = "",
    reply_action: str = "",
    approval: HeldMessage | None = None,
    gateway: str | None = None,
    amazon_fields: dict | None = None,
    hold_allowed: bool = True,
    attachments: list[AttachmentIn] | tuple = (),
    attachment_rules: AttachmentRules = RELAY,
) -> OutboundMessage:
    """Check a message with the compliance guard and queue it for delivery.

    Refused: a ``BlockedMessage`` is logged for managers and ``ComplianceRefused`` is
    raised; no outbox row exists. Held (the guard is unsure): a ``HeldMessage`` keeps the
    message with the sender's intent (``status_after``, ``reply_action``), the ticket's
    audit trail and the ``message.held`` webhook say so, and ``MessageHeld`` is raised;
    nothing is queued and the SLA clock keeps running. Allowed: the conversation entry
    and the outbox row are written in one transaction (with the caller's ticket change,
    if the caller holds one) and delivery is enqueued only after commit. A real reply
    stops the SLA clock.

    ``approval``: the held message a manager approved (tickets.held), sent now. The guard
    runs again — a refusal still refuses — but its doubts were the manager's to judge.
    Review outreach is never held: its text is Amazon's fixed email, nothing to judge.

    ``gateway``: the gateway this message must take whatever the account's (a Messaging API
    type: ``sp_api``, tickets.outbound.amazon_actions), with ``amazon_fields`` for it.
    ``hold_allowed=False``: the guard's doubts refuse instead of holding (a Messaging API
    type, whose attachments and fields a held message could not carry to its approval).
    ``attachments``: files sent with a message on a ticket. Amazon's limits for the channel
    apply (``attachment_rules``: the relay's, or ``MESSAGING_API`` for a Messaging API type;
    ``tickets.attachments``): a file outside them raises ``AttachmentRefused`` before
    anything is written. The guard reads the text only. The files are kept with the
    conversation entry and the outbox row, so every retry sends them again.
    """
    order = order or (ticket.order if ticket else None)
    buyer = buyer or (ticket.buyer if ticket else None) or (order.buyer if order else None)
    if buyer is None:
        raise ValueError("A message needs a buyer: pass a ticket, an order with a buyer, or a buyer.")
    if attachments:
        if ticket is None:
            raise ValueError("Files go with a reply on a ticket.")
        problems = attachments_check(attachments, rules=attachment_rules)
        if problems:
            raise AttachmentRefused(" ".join(problems))
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
    if result.verdict is Verdict.HELD and approval is None and not hold_allowed:
        result = ComplianceResult(allowed=False, violations=result.doubts)
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
    if result.verdict is Verdict.HELD and approval is None and purpose != MessagePurpose.REVIEW_OUTREACH:
        held = _message_hold(
            result=result,
            seller_account=seller_account,
            ticket=ticket,
            buyer=buyer,
            order=order,
            purpose=purpose,
            template=template,
            subject=subject,
            body=body,
            contact_reason=contact_reason,
            dedupe_key=dedupe_key,
            automated=automated,
            status_after=status_after,
            reply_action=reply_action,
            channel=channel,
            actor=actor,
        )
        # Kept with the held reply, and sent with it if a manager approves it.
        attachments_store(message=None, files=attachments, held=held)
        raise MessageHeld(held=held, result=result)

    gateway = gateway or seller_account.outbound_gateway
    if purpose == MessagePurpose.REVIEW_OUTREACH:
        body, gateway = CONTACT_CUSTOMER_RECORDS[contact_reason], "console"
    user = actor if isinstance(actor, AbstractBaseUser) else None
    # An approved message is its writer's, sent by the manager's decision.
    author = approval.author if approval is not None else user
    now = timezone.now()
    with transaction.atomic():
        message = None
        if ticket is not None:
            message = Message.objects.create(
                ticket=ticket,
                direction=Message.Direction.OUTBOUND,
                author=author,
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
            amazon_fields=amazon_fields or {},
            dedupe_key=dedupe_key,
            created_by=author,
            created_at=now,
            next_attempt_at=now,
        )
        if attachments:
            attachments_store(message=message, files=attachments, outbound=outbound, rules=attachment_rules)
        if ticket is not None:
            audit_record(
                subject=ticket,
                action="message.queued",
                actor=actor,
                changes={
                    "outbound": outbound.pk,
                    "purpose": purpose,
                    "channel": channel,
                    **({"held": approval.pk} if approval is not None else {}),
                },
            )
        transaction.on_commit(lambda: outbound_enqueue(outbound_id=outbound.pk))
    return outbound


def _message_hold(
    *, result: ComplianceResult, seller_account: SellerAccount, ticket: Ticket | None, actor: Actor, **fields
) -> HeldMessage:
    """Keep a message the guard was unsure about, with what its sender meant to happen,
    and say so: the ticket's audit trail and the ``message.held`` webhook, in the caller's
    transaction (the webhook is posted after commit)."""
    from api.webhooks import webhook_emit

    from ..api.serializers import held_message_payload

    with transaction.atomic():
        held = HeldMessage.objects.create(
            seller_account=seller_account,
            ticket=ticket,
            doubts=result.as_dict()["doubts"],
            author=actor if isinstance(actor, AbstractBaseUser) else None,
            actor_label=actor_label(actor),
            **{**fields, "contact_reason": fields["contact_reason"] or "", "dedupe_key": fields["dedupe_key"] or ""},
        )
        if ticket is not None:
            audit_record(
                subject=ticket,
                action="message.held",
                actor=actor,
                changes={
                    "held": held.pk,
                    "purpose": held.purpose,
                    "channel": held.channel,
                    "doubts": sorted({d.rule for d in result.doubts}),
                },
            )
        webhook_emit(event="message.held", seller_account=seller_account, payload=held_message_payload(held))
    return held


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
    except RejectedByAmazon as exc:
        # Amazon answered and said no (a type the order no longer allows, a text it refuses):
        # the same message would be refused again, so the row shows Amazon's reason.
        outbound_rejected_by_amazon(outbound=outbound, reason=exc.reason, actor="amazon")
        logger.warning("Outbound %s refused by Amazon: %s", outbound_id, exc.reason)
        return Status.REJECTED
    except PermanentGatewayError as exc:
        ours.update(status=Status.DEAD, last_error=str(exc))
        logger.error("Outbound %s is dead: %s", outbound_id, exc)
        queue_changed(seller_account_id=outbound.seller_account_id)
        return Status.DEAD
    except Exception as exc:  # transient or unexpected: retry, never lose the message
        error = f"{type(exc).__name__}: {exc}"
        if outbound.attempts >= MAX_ATTEMPTS:
            ours.update(status=Status.DEAD, last_error=error)
            logger.error("Outbound %s is dead after %s attempts: %s", outbound_id, outbound.attempts, error)
            queue_changed(seller_account_id=outbound.seller_account_id)
            return Status.DEAD
        next_attempt_at = now + retry_delay(outbound.attempts)
        ours.update(status=Status.FAILED, last_error=error, next_attempt_at=next_attempt_at)
        outbound_enqueue(outbound_id=outbound_id, eta=next_attempt_at)
        queue_changed(seller_account_id=outbound.seller_account_id)
        return Status.FAILED
    sent_at = timezone.now()
    ours.update(status=Status.SENT, sent_at=sent_at, gateway_message_id=gateway_message_id, last_error="")
    if outbound.message_id:
        Message.objects.filter(pk=outbound.message_id).update(sent_at=sent_at)
    # The live queue shows each reply's delivery state (Queued → Sent / Failed).
    queue_changed(seller_account_id=outbound.seller_account_id)
    return Status.SENT


def outbound_sweep(*, now=None, limit: int = 500) -> int:
    """Re-enqueue rows the broker may have lost: queued rows whose task never ran,
    failed rows whose retry is due, and claimed rows whose worker died. Returns how
    many were enqueued. Harmless to overlap with normal delivery (the claim decides)."""
    now = now or timezone.now()
    due = outbox_due(model=OutboundMessage, now=now, lease=CLAIM_LEASE, limit=limit)
    return sum(outbound_enqueue(outbound_id=pk) for pk in due)


def outbound_rejected_by_amazon(*, outbound: OutboundMessage, reason: str, actor: Actor) -> bool:
    """Amazon's delivery-failure notice: a message we sent never reached the buyer (Amazon
    blocks what its Communication Guidelines forbid, notes/amazon.md §3). The row says so,
    with Amazon's reason, where the agent sees the reply; the buyer messages it answered
    count as unanswered again (their clock runs from their own due times), and a waiting or
    solved ticket opens again, because the buyer is still without an answer. Never retried: Amazon would refuse
    the same text again. Once per row; returns whether it changed it."""
    error = f"Amazon did not deliver it: {reason}" if reason else "Amazon did not deliver it (no reason given)."
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(pk=outbound.pk, status__in=[Status.SENT, Status.SENDING]).update(
            status=Status.REJECTED, last_error=error[:2000]
        )
        if updated:
            queue_changed(seller_account_id=outbound.seller_account_id)
        if not updated or outbound.ticket_id is None:
            return bool(updated)
        ticket = Ticket.objects.select_for_update().get(pk=outbound.ticket_id)
        # The reply never reached the buyer: the messages it answered count again.
        before = ticket.sla_due_at
        sent = outbound.message if outbound.message_id else None
        changed = (
            sla_response_withdrawn(ticket=ticket, answered_at=sent.created_at) if sent and not sent.is_automated else []
        )
        if changed:
            ticket.save(update_fields=[*changed, "updated_at"])
        audit_record(
            subject=ticket,
            action="message.rejected_by_amazon",
            actor=actor,
            changes={"outbound": outbound.pk, "reason": reason, "sla_due_at": [iso(before), iso(ticket.sla_due_at)]},
        )
        if ticket.status in (Ticket.Status.PENDING, Ticket.Status.SOLVED):
            ticket_update(ticket=ticket, actor=actor, status=Ticket.Status.OPEN)
    return True


def outbound_retry_now(*, outbound: OutboundMessage, actor: Actor) -> bool:
    """A manager's "retry now" on a dead or failed message: a fresh round of attempts."""
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(pk=outbound.pk, status__in=[Status.DEAD, Status.FAILED]).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        if not updated:
            return False
        queue_changed(seller_account_id=outbound.seller_account_id)
        if outbound.ticket_id:
            audit_record(
                subject=outbound.ticket, action="message.retried", actor=actor, changes={"outbound": outbound.pk}
            )
        transaction.on_commit(lambda: outbound_enqueue(outbound_id=outbound.pk))
    return True
