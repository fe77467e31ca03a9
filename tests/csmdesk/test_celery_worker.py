"""A real Celery worker process consumes from the configured broker.

On the embedded default that is kombu's file-system transport (no server); in CI with
CELERY_BROKER_URL set, Redis. A private queue keeps a running `make run` from stealing it.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from csmdesk.celery import ping

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.worker
def test_a_worker_process_executes_a_task_sent_to_the_broker():
    queue = f"smoke-{uuid.uuid4().hex[:12]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "csmdesk",
            "worker",
            "--queues",
            queue,
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "csmdesk.settings"},
    )
    try:
        result = ping.apply_async(queue=queue)
        assert result.get(timeout=60) == "pong"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
