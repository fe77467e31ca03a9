"""Exactly once, for real: workers racing in threads with their own database connections,
against the local Amazon. PostgreSQL only (SQLite serialises writers anyway)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from amazon.review_requests.models import ReviewRequest
from amazon.review_requests.services import review_request_send, review_requests_schedule
from tickets.proactive.services import order_post_delivery_claim

from .conftest import START, delivered_lately, mirror

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database"),
]


def race(target, n=4):
    results, barrier = [], threading.Barrier(n)

    def worker(index):
        barrier.wait()
        try:
            results.append(target(index))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def due(enabled, connection, marketplace, advance):
    orders = [mirror(enabled, o) for o in delivered_lately(marketplace, n=3)]
    now = max(o.delivered_at for o in orders) + timedelta(days=7, hours=1)
    advance(seconds=(now - START).total_seconds())
    return orders, now


def test_four_sweeps_at_once_write_one_row_per_order(due):
    orders, now = due
    written = race(lambda i: review_requests_schedule(now=now))
    assert (sum(written), ReviewRequest.objects.count()) == (3, 3)


def test_four_workers_sending_the_same_request_send_it_once(due, sandbox):
    orders, now = due
    review_requests_schedule(now=now)
    request = ReviewRequest.objects.get(order=orders[0])
    outcomes = race(lambda i: review_request_send(request_id=request.pk, now=now))
    assert sorted(outcomes) == ["not_claimed"] * 3 + ["sent"]
    assert [key[1] for key in sandbox.contacts.solicited] == [orders[0].amazon_order_id]


def test_the_guide_and_a_review_request_racing_for_one_order_never_both_win(due):
    orders, _ = due
    kinds = ["guide", "review_request"] * 2
    won = race(lambda i: (kinds[i], order_post_delivery_claim(order_id=orders[0].pk, kind=kinds[i])))
    winners = {kind for kind, claimed in won if claimed}
    assert len(winners) == 1
