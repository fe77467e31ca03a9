"""A case's claim deadline as a clock on the desk's one SLA sweep (``tickets.sla.sweep``,
every minute), like the A-to-z defence ticket's: at risk ``REIMBURSEMENT_AT_RISK_DAYS``
(7) days before the deadline, breached when it passes. Each transition is recorded once
(``DeadlineEvent``, unique per case, kind and deadline); at risk notifies the assignee (or
the account's team) and emits ``reimbursement.deadline_soon``; a passed deadline expires the
case (audited). Only cases waiting to be filed run the clock: a filed claim is Amazon's."""

from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef

from tickets.audit import actor_label
from tickets.models import AuditEvent, Notification, SellerAccount

from .models import CLOCK_STATUSES, CaseStatus, DeadlineEvent, ReimbursementCase

SWEEP_ACTOR = "celery:sla_sweep"
Kind = DeadlineEvent.Kind
NOTICE = {
    Kind.AT_RISK: "Reimbursement claim #{id} ({what}) must be filed by {due} UTC",
    Kind.PASSED: "Reimbursement claim #{id} ({what}) expired at {due} UTC unfiled",
}


def _candidates(cases, *, kind: str, limit: int) -> list[ReimbursementCase]:
    recorded = DeadlineEvent.objects.filter(case=OuterRef("pk"), kind=kind, due_at=OuterRef("sla_due_at"))
    return list(
        cases.filter(status__in=CLOCK_STATUSES)
        .filter(~Exists(recorded))
        .select_related("seller_account")
        .order_by("sla_due_at")[:limit]
    )


def reimbursement_deadline_sweep(*, now: datetime, limit: int) -> dict[str, int]:
    """Record each claim-deadline transition since the last sweep, once. Set-based: two
    candidate queries on the clock's partial index, one insert of events, one UPDATE
    expiring the passed cases, bulk notices and audit events."""
    with transaction.atomic():
        passed = _candidates(ReimbursementCase.objects.filter(sla_due_at__lte=now), kind=Kind.PASSED, limit=limit)
        at_risk = _candidates(
            ReimbursementCase.objects.filter(sla_due_at__gt=now, sla_at_risk_at__lte=now),
            kind=Kind.AT_RISK,
            limit=limit,
        )
        found = [(c, Kind.PASSED) for c in passed] + [(c, Kind.AT_RISK) for c in at_risk]
        if not found:
            return {}
        DeadlineEvent.objects.bulk_create(
            [DeadlineEvent(case=c, kind=k, due_at=c.sla_due_at, occurred_at=now) for c, k in found],
            ignore_conflicts=True,
        )
        inserted = set(
            DeadlineEvent.objects.filter(occurred_at=now, case__in=[c for c, _ in found]).values_list("case_id", "kind")
        )
        found = [(c, k) for c, k in found if (c.pk, k) in inserted]
        expired = [c for c, k in found if k == Kind.PASSED]
        if expired:
            ReimbursementCase.objects.filter(pk__in=[c.pk for c in expired], status__in=CLOCK_STATUSES).update(
                status=CaseStatus.EXPIRED, resolved_at=now
            )
            content_type = ContentType.objects.get_for_model(ReimbursementCase)
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        content_type=content_type,
                        object_id=str(c.pk),
                        action="reimbursement_case.expired",
                        changes={"status": [c.status, CaseStatus.EXPIRED]},
                        actor_label=actor_label(SWEEP_ACTOR),
                    )
                    for c in expired
                ]
            )
        _notify(found, now=now)
        soon = [c for c, k in found if k == Kind.AT_RISK]
        if soon:
            reimbursement_deadline_soon_emit(cases=soon, at=now)
    counts: dict[str, int] = defaultdict(int)
    for _, kind in found:
        counts[kind] += 1
    return dict(counts)


def _notify(found: list[tuple[ReimbursementCase, str]], *, now: datetime) -> None:
    unassigned = {c.seller_account_id for c, _ in found if c.assignee_id is None}
    team = defaultdict(list)
    for account_id, user_id in SellerAccount.agents.through.objects.filter(
        selleraccount_id__in=unassigned, user__is_active=True
    ).values_list("selleraccount_id", "user_id"):
        team[account_id].append(user_id)
    rows = []
    for case, kind in found:
        what = case.amazon_order_id or case.fnsku
        text = NOTICE[kind].format(id=case.pk, what=what, due=f"{case.sla_due_at:%Y-%m-%d %H:%M}")[:300]
        for user_id in [case.assignee_id] if case.assignee_id else team[case.seller_account_id]:
            rows.append(Notification(recipient_id=user_id, kind=kind, text=text, created_at=now))
    Notification.objects.bulk_create(rows, batch_size=1000)


def reimbursement_deadline_soon_emit(*, cases: list[ReimbursementCase], at: datetime) -> None:
    """The ``reimbursement.deadline_soon`` webhook: a case's claim deadline is within
    ``REIMBURSEMENT_AT_RISK_DAYS``, once per deadline, in the sweep's transaction."""
    from api.models import WebhookSubscription
    from api.webhooks import webhook_emit

    from .selectors import case_payload

    accounts = set(
        WebhookSubscription.objects.filter(
            active=True, seller_accounts__in={c.seller_account_id for c in cases}
        ).values_list("seller_accounts", flat=True)
    )
    for case in cases:
        if case.seller_account_id in accounts:
            webhook_emit(
                event="reimbursement.deadline_soon",
                seller_account=case.seller_account,
                payload={**case_payload(case), "warned_at": at},
            )
