"""Celery tasks: thin adapters around services. Each is idempotent and safe to run twice.

The ticket domain's tasks live beside their services: the SLA sweep here, the outbound
path's in ``tickets/outbound/tasks.py``, the proactive guide's in ``tickets/proactive/tasks.py``
(the Celery app discovers all three). The periodic ones are declared in
``CELERY_BEAT_SCHEDULE`` (csmdesk/settings.py) and copied into django-celery-beat by
``manage.py sync_schedules``.
"""

from celery import shared_task
from django.db import OperationalError as DatabaseError
from django.utils import timezone

from .privacy import buyers_pii_redact
from .sla.sweep import sla_sweep

# A database blip (failover, a dropped connection) is worth a few retries with back-off;
# anything else is a bug and should surface. The sweeps run again next minute anyway.
RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


# acks_late: re-running after a lost worker is safe, each transition is recorded once.
@shared_task(acks_late=True, ignore_result=True, time_limit=120, soft_time_limit=100, **RETRY)
def sweep_sla() -> dict:
    result = sla_sweep()
    return {"events": result.events, "notifications": result.notifications, "emails": result.emails}


@shared_task(acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700, **RETRY)
def redact_buyer_pii() -> int:
    """Daily: Amazon's Data Protection Policy retention (tickets.privacy)."""
    return buyers_pii_redact(now=timezone.now())
