"""The desk's usage-plan buckets: one per (selling partner, operation), shared by every worker
through Redis, sized from Amazon's documented plans and its x-amzn-RateLimit-Limit header;
without Redis each worker keeps its own, and no page answers 500."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from amazon.spapi import tasks
from amazon.spapi.models import SpApiConnection
from amazon.spapi.ratelimit import TokenBuckets
from amazon.spapi.services import connection_sync
from tickets.models import Order

SPID = "A1TESTPARTNER01"

needs_redis = pytest.mark.skipif(
    not settings.SPAPI_RATE_LIMIT_REDIS_URL, reason="CACHE_URL is not Redis: the shared buckets need one"
)


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def take(buckets, n=1, operation="searchOrders") -> list[float]:
    return [buckets.take(selling_partner_id=SPID, operation=operation) for _ in range(n)]


@needs_redis
def test_a_bucket_gives_amazons_burst_then_says_how_long_to_wait(frozen):
    buckets = TokenBuckets(settings.SPAPI_RATE_LIMIT_REDIS_URL)
    waits = take(buckets, 21)
    assert waits[:20] == [0.0] * 20 and waits[20] == pytest.approx(1 / 0.0056)


@needs_redis
def test_two_workers_share_one_bucket(frozen):
    first, second = TokenBuckets(settings.SPAPI_RATE_LIMIT_REDIS_URL), TokenBuckets(settings.SPAPI_RATE_LIMIT_REDIS_URL)
    take(first, 12)
    assert take(second, 9) == [0.0] * 8 + [pytest.approx(1 / 0.0056)]


@needs_redis
def test_the_bucket_refills_at_the_plans_rate(frozen):
    buckets = TokenBuckets(settings.SPAPI_RATE_LIMIT_REDIS_URL)
    take(buckets, 20)
    frozen.shift(timedelta(seconds=180))
    assert take(buckets, 2) == [0.0, pytest.approx(1 / 0.0056 - (180 - 1 / 0.0056), abs=1)]


@needs_redis
def test_amazons_header_sets_the_rate(frozen):
    buckets = TokenBuckets(settings.SPAPI_RATE_LIMIT_REDIS_URL)
    buckets.rate_update(selling_partner_id=SPID, operation="searchOrders", rate=0.5)
    take(buckets, 20)
    assert take(buckets)[0] == pytest.approx(2.0)


@needs_redis
def test_a_429_empties_the_bucket_for_every_worker(frozen):
    first, second = TokenBuckets(settings.SPAPI_RATE_LIMIT_REDIS_URL), TokenBuckets(settings.SPAPI_RATE_LIMIT_REDIS_URL)
    first.drain(selling_partner_id=SPID, operation="getReport")
    assert take(second, operation="getReport")[0] == pytest.approx(0.5)


def test_buckets_are_per_partner_and_operation(frozen):
    buckets = TokenBuckets(None)
    take(buckets, 20)
    others = [
        buckets.take(selling_partner_id="A2OTHERPARTNER", operation="searchOrders"),
        *take(buckets, 1, "getReport"),
    ]
    assert others == [0.0, 0.0]


def test_without_redis_a_worker_keeps_its_own_buckets_and_says_so(frozen, caplog):
    buckets = TokenBuckets("redis://127.0.0.1:1/0")  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="amazon.spapi.ratelimit"):
        waits = take(buckets, 21)
    assert waits[:20] == [0.0] * 20 and waits[20] > 0
    assert sum("does not answer" in r.message for r in caplog.records) == 1


def test_a_sync_stops_before_amazon_would_refuse(connection, sandbox, seller, settings):
    settings.SPAPI_SYNC_PAGE_SIZE = 3  # a walk of more pages than searchOrders' burst of 20
    result = connection_sync(connection_id=connection.pk)
    connection.refresh_from_db()
    assert (result.pages, result.retry_after) == (20, pytest.approx(1 / 0.0056 + 1))  # + a second for clock skew
    assert "usage plan" in connection.last_error and Order.objects.count() == 60


def test_sync_now_without_the_task_queue_says_so_instead_of_failing(client, manager, connection, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.sync_connection, "delay", broker_down)
    client.force_login(manager)
    response = client.post(
        reverse("admin:amazon_spapiconnection_changelist"),
        {"action": "sync_now", "_selected_action": [connection.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "task queue does not answer" in response.content.decode()
    assert SpApiConnection.objects.get().status == "connected"
