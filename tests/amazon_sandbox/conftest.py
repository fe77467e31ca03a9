"""The local Amazon for tests: a sandbox on a free loopback port, on a clock tests move.

- ``clock``: a FakeClock at a fixed instant; ``clock.advance(seconds=…)`` replaces sleeping
  (rate-limit refills, token expiry, report processing, orders shipping).
- ``sandbox``: the generated sellers (seed 1), the LWA application, the report store.
- ``sandbox_url``: the sandbox served in a thread of this process; after the test it stops,
  and any response the sandbox produced outside its model fails the test.
- ``spapi``: a client for the first seller, already holding an access token.
"""

from datetime import UTC, datetime

import pytest

from amazon_sandbox import FakeClock, Sandbox, serve_in_thread
from amazon_sandbox.app import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

from .spapi_client import SpApiTestClient

START = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def sandbox(clock):
    return Sandbox(clock=clock, seed=1, orders=2000, sellers=2, report_seconds=30)


@pytest.fixture
def sandbox_url(sandbox):
    running = serve_in_thread(sandbox)
    yield running.url
    running.stop()
    assert sandbox.violations == [], "the sandbox answered outside Amazon's model"


@pytest.fixture
def seller(sandbox):
    return sandbox.selling_partner_ids[0]


@pytest.fixture
def marketplace(sandbox, seller):
    return sandbox.marketplaces[seller]


def make_client(sandbox, url, seller) -> SpApiTestClient:
    client = SpApiTestClient(
        url,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        refresh_token=sandbox.self_authorize(seller),
    )
    client.authenticate()
    return client


@pytest.fixture
def spapi(sandbox, sandbox_url, seller):
    return make_client(sandbox, sandbox_url, seller)


def walk(spapi, clock, **params):
    """Every page of a search, waiting out 429s on the fake clock (never really sleeping) and
    renewing the access token when it expires (an hour into a long, throttled walk)."""
    orders, pages, token = [], 0, None
    while True:
        query = dict(params, **({"paginationToken": token} if token else {}))
        answer = spapi.call("searchOrders", **query)
        if answer.status == 429:
            clock.advance(seconds=1 / 0.0056)
            continue
        if answer.status == 403 and "expired" in answer.body["errors"][0]["message"]:
            spapi.authenticate()
            continue
        assert answer.status == 200, answer.body
        pages += 1
        orders += answer.body["orders"]
        token = answer.body.get("pagination", {}).get("nextToken")
        if not token:
            return orders, pages
