"""API personas: a key per persona, bound to that persona's seller account.

- alice_key: agent scope on Espresso Co. (alice's account)
- bob_read_key: read scope on the same account
- ingest_key: ingest scope on the same account (the SP-API sync)
- charlie_key: agent scope on Grinders Ltd. (must never see Espresso Co.)
"""

import time

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from api.models import ApiKey


class KeyClient(Client):
    """A test client that sends ``Authorization: Token <key>`` and JSON bodies."""

    def __init__(self, raw_key: str, **kwargs):
        super().__init__(headers={"Authorization": f"Token {raw_key}"}, **kwargs)
        self.raw_key = raw_key

    def post(self, path, data=None, content_type="application/json", **extra):
        return super().post(path, data, content_type=content_type, **extra)

    def put(self, path, data=None, content_type="application/json", **extra):
        return super().put(path, data, content_type=content_type, **extra)

    def patch(self, path, data=None, content_type="application/json", **extra):
        return super().patch(path, data, content_type=content_type, **extra)


def make_key(*, accounts, scope: str, created_by=None, name: str = "test key") -> tuple[ApiKey, str]:
    key = ApiKey(name=name, scope=scope, created_by=created_by)
    raw = key.issue()
    key.save()
    key.seller_accounts.set(accounts)
    return key, raw


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counters live in the cache, which outlives a test's database rollback.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _throttle_window_to_spare():
    # Rate-limit windows are on the clock (a minute rate resets on the minute): start each
    # test at the top of a minute, so that its requests never straddle two windows.
    with time_machine.travel((time.time() // 60 + 1) * 60, tick=True):
        yield


@pytest.fixture
def alice_key(alice, account):
    return make_key(accounts=[account], scope="agent", created_by=alice, name="alice's helpdesk bot")


@pytest.fixture
def alice_api(alice_key):
    return KeyClient(alice_key[1])


@pytest.fixture
def bob_read_api(bob, account):
    return KeyClient(make_key(accounts=[account], scope="read", created_by=bob, name="bob's BI tool")[1])


@pytest.fixture
def ingest_api(account):
    return KeyClient(make_key(accounts=[account], scope="ingest", name="SP-API sync")[1])


@pytest.fixture
def charlie_api(charlie, other_account):
    return KeyClient(make_key(accounts=[other_account], scope="agent", created_by=charlie, name="charlie's bot")[1])
