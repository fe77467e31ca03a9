"""End to end with a real ``celery worker`` process: a delivered event becomes exactly
one sent guide message. Runs on the configured broker (the file-system transport by
default, Redis with CELERY_BROKER_URL) and needs a server database, which the worker
process shares with the test (SQLite's test database lives in the test's memory)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from csmdesk.celery import app
from tests.factories import OrderItemFactory, SellerAccountFactory
from tickets.models import MessageTemplate, OutboundMessage, ProactiveGuide
from tickets.outbound.defaults import DEFAULT_TEMPLATES
from tickets.proactive.services import order_mark_delivered

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process needs a server database"),
]

# The worker's own tasks (the outbox dispatch) must go to the private queue too.
WORKER = (
    "import sys; from csmdesk.celery import app; app.conf.task_default_queue = sys.argv[1]; "
    "app.worker_main(['worker', '--queues', sys.argv[1], '--pool', 'solo', '--without-mingle', "
    "'--without-gossip', '--loglevel', 'WARNING'])"
)


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def private_queue():
    """Route this process's tasks to a queue of our own, so that a running `make run`
    worker cannot take them (Celery caches its routing, hence the resets)."""
    queue = f"e2e-{uuid.uuid4().hex[:12]}"
    previous = app.conf.task_default_queue

    def reset():
        for cached in ("queues", "default_queue", "router"):
            app.amqp.__dict__.pop(cached, None)

    app.conf.task_default_queue = queue
    reset()
    yield queue
    app.conf.task_default_queue = previous
    reset()


def _wait_for(predicate, timeout: float = 60) -> bool:
    # Polling another process's progress: real time has to pass here, no clock to move.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_delivered_event_becomes_exactly_one_sent_guide_message(private_queue):
    spec = next(t for t in DEFAULT_TEMPLATES if t["slug"] == "quick_start_guide")
    MessageTemplate.objects.get_or_create(slug=spec["slug"], seller_account=None, defaults=spec)
    account = SellerAccountFactory(proactive_guides_enabled=True, allowed_link_domains="guides.example.com")
    order = OrderItemFactory(order__seller_account=account).order
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, private_queue],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "csmdesk.settings", "DATABASE_URL": _database_url()},
    )
    try:
        # Duplicate delivered events, as integrations send them.
        for _ in range(3):
            order_mark_delivered(
                order=order, delivered_at=timezone.now(), actor="api-key:e2e", source="api", event_id="e2e-1"
            )
        sent = OutboundMessage.objects.filter(order=order, purpose="proactive_guide", status="sent")
        assert _wait_for(sent.exists), "no guide was sent within 60 s"
        assert OutboundMessage.objects.filter(order=order, purpose="proactive_guide").count() == 1
        assert ProactiveGuide.objects.get(order=order).status == ProactiveGuide.Status.QUEUED
    finally:
        worker.terminate()
        worker.wait(timeout=30)
