"""The proactive guide's Celery tasks: thin adapters around ``services``, idempotent.
Their names stay ``tickets.tasks.*``: queued messages and beat schedules use them."""

from celery import shared_task

from ..tasks import RETRY
from .services import proactive_guide_send, proactive_guides_sweep


# acks_late: the guide row is claimed in the same transaction as its outbox row, so a
# redelivered task finds it claimed (or rolled back and free again) and never sends twice.
@shared_task(
    name="tickets.tasks.send_proactive_guide",
    acks_late=True,
    ignore_result=True,
    time_limit=60,
    soft_time_limit=45,
    **RETRY,
)
def send_proactive_guide(guide_id: int) -> str:
    return proactive_guide_send(guide_id=guide_id)


@shared_task(
    name="tickets.tasks.send_due_proactive_guides",
    acks_late=True,
    ignore_result=True,
    time_limit=60,
    soft_time_limit=45,
    **RETRY,
)
def send_due_proactive_guides() -> int:
    return proactive_guides_sweep()
