"""The outbound path's Celery tasks: thin adapters around ``services``, idempotent (the
outbox row is claimed with a conditional UPDATE). Their names stay ``tickets.tasks.*``:
queued messages and beat schedules use them."""

from celery import shared_task

from .services import outbound_deliver, outbound_sweep


@shared_task(name="tickets.tasks.deliver_outbound", acks_late=True, ignore_result=True)
def deliver_outbound(outbound_id: int) -> str:
    return outbound_deliver(outbound_id=outbound_id)


@shared_task(name="tickets.tasks.sweep_outbound", ignore_result=True)
def sweep_outbound() -> int:
    return outbound_sweep()
