"""Celery tasks of the reimbursement watch: thin adapters around ``reimbursements.fetch``.
The periodic one is declared in ``CELERY_BEAT_SCHEDULE`` (csmdesk/settings.py)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from amazon.spapi.client import SpApiError, Throttled
from amazon.spapi.models import SpApiConnection
from amazon.spapi.reports import ReportNotReady

from .fetch import connections_due_for_fba, fba_sync
from .models import FbaSync

RETRIES = 20  # a report takes minutes; each retry waits Amazon's suggested time


@shared_task(acks_late=True, ignore_result=True, time_limit=60, soft_time_limit=50)
def fetch_fba_data() -> int:
    """Hourly: one read per connected account not read today."""
    due = connections_due_for_fba(now=timezone.now())
    for connection_id in due:
        fetch_fba_account.delay(connection_id)
    return len(due)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    time_limit=1800,
    soft_time_limit=1740,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=RETRIES,
)
def fetch_fba_account(self, connection_id: int) -> dict:
    connection = SpApiConnection.objects.select_related("seller_account").filter(pk=connection_id).first()
    if connection is None or connection.status != SpApiConnection.Status.CONNECTED:
        return {}
    try:
        result = fba_sync(connection, now=timezone.now())
    except ReportNotReady as wait:
        raise self.retry(countdown=max(wait.retry_after, 5)) from None
    except Throttled as throttled:
        raise self.retry(countdown=max(throttled.retry_after, 5)) from None
    except SpApiError as error:
        # Kept for the admin; the next hourly beat tries again.
        FbaSync.objects.update_or_create(connection=connection, defaults={"last_error": str(error)[:2000]})
        return {"error": str(error)[:200]}
    return {"cases_found": result.cases_found, **{k: v.created for k, v in result.rows.items()}}
