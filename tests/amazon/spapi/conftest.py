"""The SP-API channel against the local Amazon (``amazon_sandbox``), never a hand-written fake.

- ``clock``: the sandbox's FakeClock; ``desk_clock`` keeps the desk's time (time-machine)
  on the same instant, and ``advance(**delta)`` moves both, so "a few minutes later" takes
  no real time on either side.
- ``sandbox_url``: the sandbox served on a free loopback port, the desk's SP-API settings
  pointed at it; after the test, any answer outside Amazon's model fails the test.
- ``seller_account``/``other_seller_account``: the desk's accounts of the sandbox's two sellers.
- ``connection``: the first account connected (a refresh token from the sandbox's
  self-authorization; the consent flow has its own tests).
"""

from datetime import UTC, datetime

import pytest
import time_machine

from amazon.spapi import services
from amazon.spapi.models import SpApiConnection
from amazon.spapi.ratelimit import token_buckets
from amazon_sandbox import FakeClock, Sandbox, serve_in_thread
from tests.factories import SellerAccountFactory

START = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
CALLBACK = "http://testserver/amazon/oauth/callback/"


@pytest.fixture(autouse=True)
def empty_buckets():
    """The desk's usage-plan buckets start full in every test (they live in Redis)."""
    token_buckets().reset()
    yield
    token_buckets().reset()


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def desk_clock(clock):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def advance(clock, desk_clock):
    def move(**delta):
        desk_clock.move_to(clock.advance(**delta))

    return move


@pytest.fixture
def sandbox(clock):
    # 300 orders over 104 days: a first sync of 30 days reads two pages of 100.
    return Sandbox(clock=clock, seed=1, orders=300, sellers=2, report_seconds=30, redirect_uris=[CALLBACK])


@pytest.fixture
def sandbox_url(sandbox, settings, desk_clock):
    running = serve_in_thread(sandbox)
    url = running.url
    settings.SPAPI_LWA_TOKEN_URL = f"{url}/auth/o2/token"
    settings.SPAPI_CONSENT_URL = f"{url}/apps/authorize/consent"
    settings.SPAPI_ENDPOINTS = {"NA": url, "EU": url, "FE": url}
    yield url
    running.stop()
    assert sandbox.violations == [], "the sandbox answered outside Amazon's model"


@pytest.fixture
def seller(sandbox):
    return sandbox.selling_partner_ids[0]


@pytest.fixture
def marketplace(sandbox, seller):
    return sandbox.marketplaces[seller]


@pytest.fixture
def seller_account(db, seller):
    return SellerAccountFactory(name="Brewline Coffee Gear", merchant_id=seller, marketplace_id="ATVPDKIKX0DER")


@pytest.fixture
def other_seller_account(db, sandbox):
    spid = sandbox.selling_partner_ids[1]
    return SellerAccountFactory(name="Kettle & Co.", merchant_id=spid, marketplace_id="ATVPDKIKX0DER")


def connect(sandbox, url, account, *, backfilled: bool = True) -> SpApiConnection:
    """A connected account; ``backfilled``: its order history is taken as stored, so a sync
    goes straight to searchOrders (the backfill has its own tests)."""
    connection = SpApiConnection(
        backfilled_at=sandbox.clock.now() if backfilled else None,
        seller_account=account,
        selling_partner_id=account.merchant_id,
        region="NA",
        endpoint=url,
        marketplace_ids=[account.marketplace_id],
    )
    connection.refresh_token_set(sandbox.self_authorize(account.merchant_id))
    connection.save()
    return connection


@pytest.fixture
def connection(sandbox, sandbox_url, seller_account):
    return connect(sandbox, sandbox_url, seller_account)


@pytest.fixture
def synced(sandbox, sandbox_url, seller_account, advance):
    """A connection whose 90 days of orders and first feedback report are stored."""
    connection = connect(sandbox, sandbox_url, seller_account, backfilled=False)
    services.connection_sync(connection_id=connection.pk)
    advance(seconds=60)
    services.connection_sync(connection_id=connection.pk)  # history, searchOrders, the feedback report asked for
    advance(seconds=60)
    services.connection_sync(connection_id=connection.pk)  # the feedback report read
    connection.refresh_from_db()
    return connection
