"""Celery tasks: thin adapters around services. Each is idempotent and safe to run twice.

The periodic ones are declared in ``CELERY_BEAT_SCHEDULE`` (csmdesk/settings.py) and
copied into django-celery-beat by ``manage.py sync_schedules``.
"""

from celery import shared_task
from django.db import OperationalError as DatabaseError

from .automation import proactive_guide_send, proactive_guides_sweep
from .outbound.services import outbound_deliver, outbound_sweep
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


@shared_task(acks_late=True, ignore_result=True)
def deliver_outbound(outbound_id: int) -> str:
    return outbound_deliver(outbound_id=outbound_id)


@shared_task(ignore_result=True)
def sweep_outbound() -> int:
    return outbound_sweep()


# acks_late: re-running after a lost worker is safe, each transition is recorded once.
@shared_task(acks_late=True, ignore_result=True, time_limit=120, soft_time_limit=100, **RETRY)
def sweep_sla() -> dict:
    result = sla_sweep()
    return {"events": result.events, "notifications": result.notifications, "emails": result.emails}


# acks_late: the guide row is claimed in the same transaction as its outbox row, so a
# redelivered task finds it claimed (or rolled back and free again) and never sends twice.
@shared_task(acks_late=True, ignore_result=True, time_limit=60, soft_time_limit=45, **RETRY)
def send_proactive_guide(guide_id: int) -> str:
    return proactive_guide_send(guide_id=guide_id)


@shared_task(acks_late=True, ignore_result=True, time_limit=60, soft_time_limit=45, **RETRY)
def send_due_proactive_guides() -> int:
    return proactive_guides_sweep()
