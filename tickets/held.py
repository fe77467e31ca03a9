"""A manager's decision on a held message (the guard was unsure: ``MessageHeld``): approve
it, and it takes the normal outbound path exactly once, with what its sender meant to
happen (the ticket's next status, the CSM action); or reject it, and nothing is sent. Both
are audited, whichever channel decides (the desk, the admin), and the decisions become
labelled data for the next tuning round of the guard (``held_messages_labelled``).

Exactly once, like the outbox (tickets/outbox.py): a decision first claims the row with
one conditional UPDATE (``status = held``), in the transaction that sends; a second click,
a second manager or a retried request finds nothing to claim and does nothing."""

from collections import Counter
from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .access import held_messages_visible_to, may_decide_held_messages
from .attachments import attachments_of_held
from .audit import audit_record, iso
from .models import HeldMessage, MessagePurpose, OutboundMessage, ProactiveGuide
from .outbound.services import message_send
from .replies import REPLY_ACTIONS, ticket_reply
from .services import ticket_note_add

Status = HeldMessage.Status
# What a CSM wrote to a buyer in a ticket goes through ``ticket_reply`` (its action and next
# status with it); the rest (a proactive guide) straight through ``message_send``.
REPLY_PURPOSES = (
    MessagePurpose.REPLY,
    MessagePurpose.WARRANTY,
    MessagePurpose.CLAIM_RESPONSE,
    MessagePurpose.CHARGEBACK_RESPONSE,
)


def held_message_decider_check(*, held: HeldMessage, actor: AbstractBaseUser) -> None:
    """Raises ``PermissionDenied`` unless ``actor`` may decide this held message: a manager
    (``may_decide_held_messages``) who sees its seller account."""
    if not may_decide_held_messages(actor) or not held_messages_visible_to(actor).filter(pk=held.pk).exists():
        raise PermissionDenied("Only a manager of the message's seller account may approve or reject it.")


def _claim(*, held: HeldMessage, status: str, actor: AbstractBaseUser, reason: str = "") -> bool:
    """Decide the row if nobody has: one conditional UPDATE, so two managers (or one
    clicking twice) can never both send it. On PostgreSQL the second UPDATE waits for the
    first transaction and then finds the row decided."""
    now = timezone.now()
    claimed = HeldMessage.objects.filter(pk=held.pk, status=Status.HELD).update(
        status=status, decided_by=actor, decided_at=now, decision_reason=reason[:500]
    )
    held.refresh_from_db()
    return claimed == 1


def held_message_approve(*, held: HeldMessage, actor: AbstractBaseUser) -> bool:
    """A manager approves a held message: it is sent through the normal path now, once.

    The guard runs again (a rule broken since — a new forbidden phrase, the proactive
    window passed — still refuses: ``ComplianceRefused``, and the message stays held); its
    doubts were the manager's to judge. A reply stops the SLA clock at the approval time,
    not when it was written (until now the buyer had no answer), then the ticket takes the
    status its writer chose — unless the ticket has moved on to a status from which that
    is no longer possible, which the audit notes — and the CSM action is recorded.
    Returns False, doing nothing, when the message was already decided."""
    held_message_decider_check(held=held, actor=actor)
    with transaction.atomic():
        if not _claim(held=held, status=Status.APPROVED, actor=actor):
            return False
        outbound = _send(held=held, actor=actor)
        held.outbound = outbound
        held.save(update_fields=["outbound"])
        changes = {"held": held.pk, "outbound": outbound.pk, "author": held.actor_label}
        if held.status_after and held.ticket and held.ticket.status != held.status_after:
            changes["status_after_skipped"] = held.status_after
        _audit(held=held, action="held_message.approved", actor=actor, changes=changes)
        if held.purpose == MessagePurpose.PROACTIVE_GUIDE and held.order_id:
            ProactiveGuide.objects.filter(order_id=held.order_id, status=ProactiveGuide.Status.HELD).update(
                status=ProactiveGuide.Status.QUEUED, outbound=outbound, skip_reason="", updated_at=timezone.now()
            )
    return True


def _send(*, held: HeldMessage, actor: AbstractBaseUser) -> OutboundMessage:
    ticket = held.ticket
    if ticket is not None and held.purpose in REPLY_PURPOSES and not held.automated:
        # The status its writer chose, if the ticket can still take it.
        status_after = held.status_after if held.status_after and ticket.can_transition_to(held.status_after) else None
        return ticket_reply(
            ticket=ticket,
            body=held.body,
            actor=actor,
            channel=held.channel,
            template=held.template,
            action=REPLY_ACTIONS.get(held.reply_action),
            status_after=status_after,
            purpose=held.purpose,
            approval=held,
            attachments=attachments_of_held(held),
        )
    return message_send(
        body=held.body,
        actor=actor,
        channel=held.channel,
        ticket=ticket,
        buyer=held.buyer,
        order=held.order,
        purpose=held.purpose,
        template=held.template,
        subject=held.subject,
        contact_reason=held.contact_reason or None,
        dedupe_key=held.dedupe_key or None,
        automated=held.automated,
        approval=held,
    )


def held_message_reject(*, held: HeldMessage, actor: AbstractBaseUser, reason: str) -> bool:
    """A manager rejects a held message: nothing is sent, ever. The writer is told on the
    ticket (an internal note with the reason, beside their held reply, which shows it
    rejected); the clock keeps running, since the buyer still has no answer. Returns
    False, doing nothing, when the message was already decided."""
    held_message_decider_check(held=held, actor=actor)
    reason = reason.strip()
    with transaction.atomic():
        if not _claim(held=held, status=Status.REJECTED, actor=actor, reason=reason):
            return False
        _audit(held=held, action="held_message.rejected", actor=actor, changes={"held": held.pk, "reason": reason})
        if held.ticket is not None:
            by = actor.get_full_name() or actor.get_username()
            note = f"{by} rejected the reply held for approval; it was not sent."
            ticket_note_add(ticket=held.ticket, body=f"{note} {reason}".strip() if reason else note, actor=actor)
        if held.purpose == MessagePurpose.PROACTIVE_GUIDE and held.order_id:
            ProactiveGuide.objects.filter(order_id=held.order_id, status=ProactiveGuide.Status.HELD).update(
                status=ProactiveGuide.Status.SKIPPED,
                skip_reason="Rejected by a manager after the compliance guard held it.",
                updated_at=timezone.now(),
            )
    return True


def _audit(*, held: HeldMessage, action: str, actor: AbstractBaseUser, changes: dict) -> None:
    # On the ticket's trail, where every other message event is; a message without a
    # ticket has a trail of its own.
    audit_record(subject=held.ticket or held, action=action, actor=actor, changes=changes)


# --- Labelled data for the guard's next tuning round ------------------------------------------


def held_message_labelled(held: HeldMessage) -> dict:
    """One decision as a line of the guard's corpora (``bench/compliance_corpus*.jsonl``:
    ``id``, ``purpose``, ``text``, ``allowed``, ``rule`` when violating, ``context``,
    ``batch``) plus what the decision adds: an approval labels the text allowed, a rejection
    violating, under the rule the guard doubted most. ``context`` is what the guard needs to
    judge the text again as the desk did (the account's link domains, the order id), so the
    bench scores the line fairly. ``language`` is left out: the desk does not record it, and
    the bench guesses a missing one. A line whose only doubt is ``approval_phrase`` labels an
    account's own policy rather than Amazon's rules: filter it out before tuning the guard."""
    line = {"id": f"held-{held.pk}", "purpose": held.purpose, "text": held.body}
    line["allowed"] = held.status == Status.APPROVED
    if not line["allowed"]:
        rules = Counter(d.get("rule", "") for d in held.doubts if isinstance(d, dict))
        line["rule"] = rules.most_common(1)[0][0] if rules else "manager_rejected"
    context = {"allowed_link_domains": sorted(held.seller_account.link_domains)}
    if held.order is not None:
        context["amazon_order_id"] = held.order.amazon_order_id
    line["context"] = context
    line["batch"] = f"held-{held.decided_at:%Y-%m}"
    line.update(
        {
            "decision": "allowed" if line["allowed"] else "violating",
            "doubts": held.doubts,
            "decided_by": held.decided_by.get_username() if held.decided_by else None,
            "decided_at": iso(held.decided_at),
            "reason": held.decision_reason,
            "seller_account": held.seller_account_id,
        }
    )
    return line


def held_messages_labelled(*, held_messages: QuerySet[HeldMessage]) -> Iterator[dict]:
    """The decided ones of ``held_messages`` as labelled lines, read in chunks."""
    decided = (
        held_messages.exclude(status=Status.HELD)
        .select_related("decided_by", "seller_account", "order")
        .order_by("decided_at", "pk")
    )
    for held in decided.iterator(chunk_size=500):
        yield held_message_labelled(held)
