"""Celery tasks of review requests: thin adapters around amazon.review_requests.services.
The beat (``amazon-review-requests`` in CELERY_BEAT_SCHEDULE) runs the set-based sweep."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import review_request_send, review_requests_sweep


@shared_task(acks_late=True, ignore_result=True, time_limit=120, soft_time_limit=100)
def sweep_review_requests() -> dict:
    result = review_requests_sweep()
    return {"scheduled": result.scheduled, "enqueued": result.enqueued}


@shared_task(
    acks_late=True,
    ignore_result=True,
    time_limit=120,
    soft_time_limit=100,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
)
def send_review_request(request_id: int) -> str:
    return review_request_send(request_id=request_id)
