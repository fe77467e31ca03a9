"""The Celery app. Broker and schedule come from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")

app = Celery("csmdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The ticket domain keeps each topic's tasks beside its services.
app.autodiscover_tasks(["tickets.outbound", "tickets.proactive"])


@app.task(name="csmdesk.ping")
def ping() -> str:
    """A no-op task: lets a health check or the smoke test prove a worker is consuming."""
    return "pong"
