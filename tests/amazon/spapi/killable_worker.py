"""A sync worker in a process of its own, for ``test_worker_killed.py``.

``python -m tests.amazon.spapi.killable_worker CONNECTION_ID SANDBOX_URL INSTANT STAGE N`` runs
one ``connection_sync`` at INSTANT (the test's simulated clock) against the sandbox the test
serves. In the Nth transaction of STAGE (``backfill``: a batch of the order report; ``sync``: a
searchOrders page), once its orders are written and before it commits, it prints ``paused``
and waits for the test to kill it: the database sees a connection drop mid-transaction, as
with a worker killed by SIGKILL, the OOM killer or a deploy.
"""

import os
import signal
import sys
from datetime import datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmdesk.settings")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402

import amazon.spapi.backfill as backfill_module  # noqa: E402
import amazon.spapi.services as services_module  # noqa: E402

# The step that writes inside each transaction, before the cursor or the mark moves with it.
STAGES = {"backfill": (backfill_module, "orders_take"), "sync": (services_module, "_record_events")}


def main(connection_id: int, sandbox_url: str, instant: datetime, stage: str, pause_at: int) -> None:
    settings.SPAPI_LWA_TOKEN_URL = f"{sandbox_url}/auth/o2/token"
    settings.SPAPI_ENDPOINTS = {"NA": sandbox_url, "EU": sandbox_url, "FE": sandbox_url}
    module, name = STAGES[stage]
    real, calls = getattr(module, name), []

    def writes_then_waits(*args, **kwargs):
        answer = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == pause_at:
            print("paused", flush=True)
            signal.pause()  # until SIGKILL
        return answer

    setattr(module, name, writes_then_waits)
    with time_machine.travel(instant, tick=False):
        services_module.connection_sync(connection_id=connection_id)
    print("finished", flush=True)


if __name__ == "__main__":
    connection_id, url, instant, stage, pause_at = sys.argv[1:6]
    main(int(connection_id), url, datetime.fromisoformat(instant), stage, int(pause_at))
