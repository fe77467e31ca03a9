"""Celery tasks of the SP-API channel: thin adapters around amazon.spapi.services. The
periodic one is declared in ``CELERY_BEAT_SCHEDULE`` (csmdesk/settings.py)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .customer_feedback import customer_feedback_sync
from .selectors import connections_due
from .services import connection_sync

# Retries of a throttled account: after them the beat picks it up once its backoff ends.
THROTTLE_RETRIES = 3


@shared_task(acks_late=True, ignore_result=True, time_limit=60, soft_time_limit=50)
def sync_connections() -> int:
    """Every SPAPI_SYNC_MINUTES: one sync task per connected account (each takes its own claim)."""
    due = connections_due(now=timezone.now())
    for connection_id in due:
        sync_connection.delay(connection_id)
    return len(due)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    time_limit=900,
    soft_time_limit=840,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=THROTTLE_RETRIES,
)
def sync_connection(self, connection_id: int) -> dict:
    result = connection_sync(connection_id=connection_id)
    if result.retry_after is not None and self.request.retries < THROTTLE_RETRIES:
        # Amazon's 429: the mark of the stored pages is kept; go on once the bucket refills.
        raise self.retry(countdown=result.retry_after)
    return {"claimed": result.claimed, "pages": result.pages, "written": result.orders_written}


@shared_task(acks_late=True, ignore_result=True, time_limit=60, soft_time_limit=50)
def fetch_customer_feedback() -> int:
    """Every SPAPI_CUSTOMER_FEEDBACK_MINUTES: Amazon's review topics for each connected account's due products."""
    due = connections_due(now=timezone.now())
    for connection_id in due:
        fetch_customer_feedback_for.delay(connection_id)
    return len(due)


@shared_task(acks_late=True, ignore_result=True, time_limit=300, soft_time_limit=270)
def fetch_customer_feedback_for(connection_id: int) -> dict:
    result = customer_feedback_sync(connection_id=connection_id)
    return {"claimed": result.claimed, "products": result.products, "calls": result.calls}
