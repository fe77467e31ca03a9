"""Celery tasks of the reviews app: thin adapters around services, safe to run twice."""

from celery import shared_task

from .services import review_themes_recompute_all


@shared_task(acks_late=True, ignore_result=True)
def recompute_review_themes() -> int:
    # Rewrites every review's matches from scratch, so a repeat or overlap is harmless.
    return review_themes_recompute_all()


@shared_task(acks_late=True, ignore_result=True)
def sweep_rising_themes() -> int:
    # One alert per product, theme and day (a unique row): a repeat is harmless.
    from .rising import insight_alerts_raise

    return len(insight_alerts_raise())


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def notify_insight_alert(alert_id: int) -> bool:
    from .rising import insight_alert_notify

    return insight_alert_notify(alert_id=alert_id)
