"""Celery tasks of the integration plumbing: thin, idempotent (the claim decides)."""

from celery import shared_task

from .webhooks import webhook_deliver, webhook_sweep


@shared_task(acks_late=True, ignore_result=True)
def deliver_webhook(delivery_id: int) -> str:
    return webhook_deliver(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def sweep_webhooks() -> int:
    return webhook_sweep()
