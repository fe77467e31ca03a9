"""The SLA sweep: every minute (``tickets.tasks.sweep_sla``), each transition of a running
clock (at risk, breached, and a claim or chargeback deadline near or passed) is recorded
once as an ``SlaEvent``; the priority rises, the assignee (or the account's team when
unassigned) is notified in the desk and by e-mail, and the webhooks follow."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from ..audit import actor_label
from ..models import AuditEvent, Notification, SellerAccount, SlaEvent, Ticket
from ..models.tickets import DEFENCE_KINDS, sla_at_risk_q

logger = logging.getLogger(__name__)

User = get_user_model()
Priority = Ticket.Priority
EventKind = SlaEvent.Kind

# Defence tickets are warned about a day before Amazon's deadline.
CLAIM_WARNING = timedelta(hours=24)
# One sweep handles at most this many new transitions per kind; the next minute's sweep
# continues, so a catch-up after an outage never holds a long transaction.
SWEEP_BATCH = 5000
SWEEP_ACTOR = "celery:sla_sweep"

# Other deadline clocks that run on this sweep, registered at start-up by their app (the FBA
# claim deadlines: reimbursements.clock): each is called as ``clock(now=, limit=)`` and
# returns its transitions counted by event kind. Tickets know nothing of them.
_DEADLINE_CLOCKS: list = []


def deadline_clock_register(clock) -> None:
    if clock not in _DEADLINE_CLOCKS:
        _DEADLINE_CLOCKS.append(clock)


@dataclass(frozen=True)
class _Transition:
    ticket_id: int
    due_at: datetime
    seller_account_id: int
    assignee_id: int | None
    subject: str
    priority: int
    ticket_kind: str
    kind: str  # the SLA event kind


# What each event kind raises the priority to.
RAISE_TO = {
    EventKind.AT_RISK: Priority.HIGH,
    EventKind.BREACHED: Priority.URGENT,
    EventKind.CLAIM_DUE_SOON: Priority.HIGH,
    EventKind.CLAIM_OVERDUE: Priority.URGENT,
}
NOTICE = {
    EventKind.AT_RISK: "Ticket #{id} is at risk: answer by {due} UTC ({subject})",
    EventKind.BREACHED: "Ticket #{id} breached the response time, due {due} UTC ({subject})",
    EventKind.CLAIM_DUE_SOON: "Ticket #{id}: the claim or chargeback deadline is {due} UTC ({subject})",
    EventKind.CLAIM_OVERDUE: "Ticket #{id}: the claim or chargeback deadline passed at {due} UTC ({subject})",
}


def _candidates(tickets, *, kinds: list[str], limit: int) -> list[tuple]:
    """Tickets in a range of ``sla_due_at`` (the partial index over running clocks,
    whatever the status: the clock belongs to the buyer's messages) whose clock has no
    event of ``kinds`` yet (anti-join on ``SlaEvent``'s unique index).
    A clock only ever gets one kind of each pair (buyer clock or defence deadline), so
    asking for either kind of a pair is exact."""
    recorded = SlaEvent.objects.filter(ticket=OuterRef("pk"), kind__in=kinds, due_at=OuterRef("sla_due_at"))
    return list(
        tickets.filter(~Exists(recorded))
        .order_by("sla_due_at")
        .values_list("pk", "sla_due_at", "seller_account_id", "assignee_id", "subject", "priority", "kind")[:limit]
    )


def _passed(*, now: datetime, limit: int) -> list[_Transition]:
    """Breached buyer clocks and passed claim deadlines: one scan of everything due."""
    rows = _candidates(
        Ticket.objects.filter(sla_due_at__lte=now), kinds=[EventKind.BREACHED, EventKind.CLAIM_OVERDUE], limit=limit
    )
    return [
        _Transition(*row, kind=EventKind.CLAIM_OVERDUE if row[-1] in DEFENCE_KINDS else EventKind.BREACHED)
        for row in rows
    ]


def _at_risk(*, now: datetime, limit: int) -> list[_Transition]:
    """At risk: past the stored at-risk moment of the ticket's policy (``sla_at_risk_at``),
    the same condition the queue, the API and the admin read."""
    upcoming = Ticket.objects.filter(sla_at_risk_q(now)).exclude(kind__in=DEFENCE_KINDS)
    return [
        _Transition(*row, kind=EventKind.AT_RISK)
        for row in _candidates(upcoming, kinds=[EventKind.AT_RISK], limit=limit)
    ]


def _claims_due_soon(*, now: datetime, limit: int) -> list[_Transition]:
    """Claim and chargeback deadlines within a day: time to write the defence."""
    upcoming = Ticket.objects.filter(sla_due_at__gt=now, sla_due_at__lte=now + CLAIM_WARNING, kind__in=DEFENCE_KINDS)
    rows = _candidates(upcoming, kinds=[EventKind.CLAIM_DUE_SOON], limit=limit)
    return [_Transition(*row, kind=EventKind.CLAIM_DUE_SOON) for row in rows]


@dataclass
class SweepResult:
    events: dict[str, int]
    notifications: int
    emails: int


def sla_sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> SweepResult:
    """Record every SLA transition that happened since the last sweep, once.

    Set-based: three candidate queries (everything due: breached or claim deadline
    passed; buyer clocks at risk; claim deadlines within a day), one bulk insert of
    events (a unique constraint on (ticket, kind, due_at) makes a concurrent sweep
    harmless), one UPDATE raising the
    priority, bulk notifications, then one email per recipient after the commit. Safe to
    run any number of times: a transition already recorded is never recorded again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        found = [
            *_passed(now=now, limit=limit),
            *_at_risk(now=now, limit=limit),
            *_claims_due_soon(now=now, limit=limit),
        ]
        SlaEvent.objects.bulk_create(
            [SlaEvent(ticket_id=t.ticket_id, kind=t.kind, due_at=t.due_at, occurred_at=now) for t in found],
            ignore_conflicts=True,
            batch_size=1000,
        )
        found = _ours(found, now=now)
        _raise_priority(found)
        notices = _notify(found, now=now)
        breaches = [
            {"ticket_id": t.ticket_id, "seller_account_id": t.seller_account_id, "sla_due_at": t.due_at}
            for t in found
            if t.kind == EventKind.BREACHED
        ]
        if breaches:
            ticket_sla_breached_emit(breaches=breaches, at=now)
        due_soon = [t for t in found if t.kind == EventKind.CLAIM_DUE_SOON]
        if due_soon:
            claim_respond_by_soon_emit(transitions=due_soon, at=now)
    emails = _email(notices)
    counts = defaultdict(int)
    for t in found:
        counts[t.kind] += 1
    for clock in _DEADLINE_CLOCKS:
        for kind, n in clock(now=now, limit=limit).items():
            counts[kind] += n
    return SweepResult(events=dict(counts), notifications=sum(len(v) for v in notices.values()), emails=emails)


def _ours(found: list[_Transition], *, now: datetime) -> list[_Transition]:
    """The transitions this sweep inserted: an overlapping sweep that inserted the same
    event first (ignore_conflicts skipped ours) also notifies for it, so we must not."""
    if not found:
        return []
    ids = {t.ticket_id for t in found}
    inserted = set(
        SlaEvent.objects.filter(occurred_at=now, ticket_id__in=ids).values_list("ticket_id", "kind", "due_at")
    )
    return [t for t in found if (t.ticket_id, t.kind, t.due_at) in inserted]


def _raise_priority(found: list[_Transition]) -> None:
    """One UPDATE: never lowers a priority an agent set higher. Audited in bulk."""
    target = {}
    for t in found:
        target[t.ticket_id] = max(target.get(t.ticket_id, 0), RAISE_TO[t.kind])
    raised = {t.ticket_id: (t.priority, target[t.ticket_id]) for t in found if t.priority < target[t.ticket_id]}
    if not raised:
        return
    urgent = [pk for pk, (_, new) in raised.items() if new == Priority.URGENT]
    Ticket.objects.filter(pk__in=list(raised)).update(
        priority=Greatest(
            F("priority"), Case(When(pk__in=urgent, then=Value(Priority.URGENT)), default=Value(Priority.HIGH))
        )
    )
    # The sweep's writes are audited like any other channel's (tickets.audit), in one insert.
    content_type = ContentType.objects.get_for_model(Ticket)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                content_type=content_type,
                object_id=str(pk),
                action="ticket.updated",
                changes={"priority": [old, new]},
                actor_label=actor_label(SWEEP_ACTOR),
            )
            for pk, (old, new) in raised.items()
        ],
        batch_size=1000,
    )


def _notify(found: list[_Transition], *, now: datetime) -> dict[int, list[str]]:
    """In-app notices for the assignee, or every agent of the account when unassigned.
    Returns the texts per recipient id, for the emails."""
    if not found:
        return {}
    unassigned_accounts = {t.seller_account_id for t in found if t.assignee_id is None}
    team = defaultdict(list)
    for account_id, user_id in SellerAccount.agents.through.objects.filter(
        selleraccount_id__in=unassigned_accounts, user__is_active=True
    ).values_list("selleraccount_id", "user_id"):
        team[account_id].append(user_id)
    rows, texts = [], defaultdict(list)
    for t in found:
        text = NOTICE[t.kind].format(id=t.ticket_id, due=f"{t.due_at:%Y-%m-%d %H:%M}", subject=t.subject)[:300]
        recipients = [t.assignee_id] if t.assignee_id else team[t.seller_account_id]
        for user_id in recipients:
            rows.append(
                Notification(recipient_id=user_id, ticket_id=t.ticket_id, kind=t.kind, text=text, created_at=now)
            )
            texts[user_id].append(text)
    Notification.objects.bulk_create(rows, batch_size=1000)
    return texts


def _email(notices: dict[int, list[str]]) -> int:
    """One email per recipient per sweep, after the commit; a mail outage loses only the
    email (the in-app notification is stored), never the sweep."""
    if not notices:
        return 0
    addresses = dict(User.objects.filter(pk__in=list(notices)).exclude(email="").values_list("pk", "email"))
    messages = [
        EmailMessage(
            subject=f"CSM Desk: SLA alerts on {len(texts)} ticket{'s' if len(texts) > 1 else ''}",
            body="\n".join(texts),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[addresses[user_id]],
        )
        for user_id, texts in notices.items()
        if user_id in addresses
    ]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # the notifications are stored; an SMTP outage must not fail the sweep
        logger.exception("SLA emails could not be sent")
        return 0


def _subscribed_accounts(account_ids: set[int]) -> dict[int, SellerAccount]:
    """The accounts among ``account_ids`` that some active webhook subscription follows:
    one query to skip the rest (a catch-up sweep can find thousands of transitions)."""
    from api.models import WebhookSubscription

    subscribed = set(
        WebhookSubscription.objects.filter(active=True, seller_accounts__in=account_ids).values_list(
            "seller_accounts", flat=True
        )
    )
    return SellerAccount.objects.in_bulk(subscribed)


def ticket_sla_breached_emit(*, breaches: list[dict], at: datetime) -> None:
    """The ``ticket.sla_breached`` webhook: one event per newly breached buyer clock.

    Called by the sweep inside its transaction with ``{"ticket_id", "seller_account_id",
    "sla_due_at"}`` per breach, so the webhook outbox rows commit with the SLA events and
    are posted by Celery after commit.
    """
    from api.webhooks import webhook_emit

    accounts = _subscribed_accounts({b["seller_account_id"] for b in breaches})
    for breach in (b for b in breaches if b["seller_account_id"] in accounts):
        webhook_emit(
            event="ticket.sla_breached",
            seller_account=accounts[breach["seller_account_id"]],
            payload={"ticket_id": breach["ticket_id"], "sla_due_at": breach["sla_due_at"], "breached_at": at},
        )


def claim_respond_by_soon_emit(*, transitions: list[_Transition], at: datetime) -> None:
    """The ``claim.respond_by_soon`` webhook: a claim's or chargeback's deadline is within a
    day (``CLAIM_WARNING``), once per deadline, with Amazon's ids of the cases the defence
    ticket answers. Called by the sweep inside its transaction, like the breach webhook."""
    from api.webhooks import webhook_emit

    from ..models import AtoZClaim, Chargeback

    accounts = _subscribed_accounts({t.seller_account_id for t in transitions})
    ours = [t for t in transitions if t.seller_account_id in accounts]
    if not ours:
        return
    ids = {t.ticket_id for t in ours}
    claims, chargebacks = defaultdict(list), defaultdict(list)
    for ticket_id, claim_id in AtoZClaim.objects.filter(ticket_id__in=ids).values_list("ticket_id", "claim_id"):
        claims[ticket_id].append(claim_id)
    for ticket_id, chargeback_id in Chargeback.objects.filter(ticket_id__in=ids).values_list(
        "ticket_id", "chargeback_id"
    ):
        chargebacks[ticket_id].append(chargeback_id)
    for t in ours:
        webhook_emit(
            event="claim.respond_by_soon",
            seller_account=accounts[t.seller_account_id],
            payload={
                "ticket_id": t.ticket_id,
                "kind": t.ticket_kind,
                "respond_by": t.due_at,
                "claim_ids": claims[t.ticket_id],
                "chargeback_ids": chargebacks[t.ticket_id],
                "warned_at": at,
            },
        )
