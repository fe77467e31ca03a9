"""The outbox-row mechanism shared by buyer messages (``OutboundMessage``) and webhook
deliveries (``api.WebhookDelivery``): a row is claimed with one conditional UPDATE,
retried with exponential back-off, and swept again when its task was lost.

Both models have ``status`` (queued / sending / failed / …), ``attempts``,
``next_attempt_at`` and ``claimed_at``.
"""

from datetime import datetime, timedelta

from django.db import models
from django.db.models import F, Q

QUEUED, SENDING, FAILED = "queued", "sending", "failed"
# Queued rows get this long for their own task before the sweeper re-enqueues them.
SWEEP_GRACE = timedelta(minutes=1)


def outbox_claim(*, model: type[models.Model], pk: int, now: datetime, lease: timedelta) -> bool:
    """Take the row for sending: one conditional UPDATE, so two workers, a retry and a
    redelivered task can never both send it. A row claimed longer than ``lease`` ago is
    presumed abandoned by a dead worker and may be claimed again."""
    claimable = Q(status__in=[QUEUED, FAILED], next_attempt_at__lte=now) | Q(status=SENDING, claimed_at__lt=now - lease)
    return (
        model.objects.filter(claimable, pk=pk).update(status=SENDING, claimed_at=now, attempts=F("attempts") + 1) == 1
    )


def outbox_due(*, model: type[models.Model], now: datetime, lease: timedelta, limit: int) -> list[int]:
    """Rows the broker may have lost: queued rows whose task never ran, failed rows whose
    retry is due, claimed rows whose worker died."""
    return list(
        model.objects.filter(
            Q(status=QUEUED, next_attempt_at__lte=now - SWEEP_GRACE)
            | Q(status=FAILED, next_attempt_at__lte=now)
            | Q(status=SENDING, claimed_at__lt=now - lease)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min … capped at 6 h."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), timedelta(hours=6))
