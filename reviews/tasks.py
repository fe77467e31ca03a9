"""Celery tasks of the reviews app: thin adapters around services, safe to run twice."""

from celery import shared_task

from .services import review_themes_recompute_all


@shared_task(acks_late=True, ignore_result=True)
def recompute_review_themes() -> int:
    # Rewrites every review's matches from scratch, so a repeat or overlap is harmless.
    return review_themes_recompute_all()
