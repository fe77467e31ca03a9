"""Celery tasks of the metrics app: thin adapters around ``metrics.services``, idempotent.

``record_daily_snapshots`` and ``compact_order_day_counts`` are declared in
``CELERY_BEAT_SCHEDULE`` (csmdesk/settings.py).
"""

from datetime import date

from celery import shared_task
from django.db import OperationalError as DatabaseError
from django.utils import timezone

from tickets.models import SellerAccount

from .order_counts import order_day_counts_compact
from .services import health_alert_notify, metric_snapshots_record

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(ignore_result=True)
def record_daily_snapshots() -> int:
    """Record today's snapshots of every account (beat: hourly; a re-run upserts the day).
    Fan out: one task per account, so one slow or failing account delays no other."""
    day = timezone.now().date().isoformat()
    ids = list(SellerAccount.objects.values_list("pk", flat=True))
    for account_id in ids:
        record_account_snapshots.delay(account_id, day)
    return len(ids)


# acks_late: recomputing a day upserts the same rows and raises each alert once.
@shared_task(acks_late=True, ignore_result=True, time_limit=600, soft_time_limit=540, **RETRY)
def record_account_snapshots(account_id: int, day: str) -> int:
    account = SellerAccount.objects.filter(pk=account_id).first()
    if account is None:  # deleted since the fan-out
        return 0
    return len(metric_snapshots_record(seller_account=account, day=date.fromisoformat(day)))


# The alert row is claimed before mailing and released if the send fails: a retry mails it once.
@shared_task(acks_late=True, ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def notify_health_alert(alert_id: int) -> bool:
    return health_alert_notify(alert_id=alert_id)


@shared_task(ignore_result=True, **RETRY)
def compact_order_day_counts() -> int:
    """Fold the order-count changes the ingest appended since the last run (see
    ``metrics.order_counts``); safe to run at any time, concurrently with writes."""
    return order_day_counts_compact()
