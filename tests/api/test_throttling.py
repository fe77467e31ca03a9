"""API rate limits: per key, per signed-in user, and per address for requests without a
valid key (no credentials, a wrong key, a revoked key), which authentication refuses
before DRF's own throttles would run."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import KeyClient

pytestmark = pytest.mark.django_db


def statuses(client, n, path="/api/v1/tickets/", **extra):
    return [client.get(path, **extra).status_code for _ in range(n)]


@pytest.fixture
def anon_rate(settings):
    settings.API_THROTTLE_ANON_RATE = "3/minute"


def test_wrong_keys_are_throttled_per_address(anon_rate):
    guesser = KeyClient("not-a-key", REMOTE_ADDR="203.0.113.7")
    assert statuses(guesser, 5) == [401, 401, 401, 429, 429]


def test_a_throttled_wrong_key_is_told_when_to_retry(anon_rate):
    guesser = KeyClient("not-a-key", REMOTE_ADDR="203.0.113.7")
    statuses(guesser, 3)
    assert int(guesser.get("/api/v1/tickets/")["Retry-After"]) > 0


def test_requests_without_credentials_are_throttled_per_address(anon_rate):
    assert statuses(Client(REMOTE_ADDR="203.0.113.7"), 4) == [401, 401, 401, 429]


def test_a_revoked_key_counts_like_a_wrong_one(anon_rate, alice_key):
    key, raw = alice_key
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    assert statuses(KeyClient(raw, REMOTE_ADDR="203.0.113.7"), 4)[-1] == 429


def test_changing_the_forwarded_header_does_not_escape_the_limit(anon_rate):
    guesser = KeyClient("not-a-key", REMOTE_ADDR="203.0.113.7")
    codes = [guesser.get("/api/v1/tickets/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(4)]
    assert codes[-1] == 429


def test_another_address_is_not_held_up_by_a_guesser(anon_rate):
    statuses(KeyClient("not-a-key", REMOTE_ADDR="203.0.113.7"), 4)
    assert statuses(KeyClient("not-a-key", REMOTE_ADDR="203.0.113.8"), 1) == [401]


def test_a_valid_key_from_a_guessing_address_still_works(anon_rate, alice_key):
    statuses(KeyClient("not-a-key", REMOTE_ADDR="203.0.113.7"), 4)
    assert statuses(KeyClient(alice_key[1], REMOTE_ADDR="203.0.113.7"), 1) == [200]


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_forwarded_address(anon_rate, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = KeyClient("not-a-key", REMOTE_ADDR="10.0.0.2")
    statuses(proxy, 4, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert statuses(proxy, 1, HTTP_X_FORWARDED_FOR="203.0.113.8") == [401]


def test_a_key_is_limited_at_the_key_rate_not_the_address_rate(anon_rate, alice_api, settings):
    settings.API_THROTTLE_RATE = "5/minute"
    assert statuses(alice_api, 6) == [200] * 5 + [429]


def test_a_signed_in_browser_is_limited_per_person(alice, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    browser = Client()
    browser.force_login(alice)
    assert statuses(browser, 3) == [200, 200, 429]


def test_the_public_schema_is_limited_per_address(anon_rate):
    assert statuses(Client(REMOTE_ADDR="203.0.113.7"), 4, path="/api/schema/")[-1] == 429


def test_with_the_cache_down_the_api_answers_unthrottled(alice_api, settings, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    import csmdesk.ratelimit

    settings.API_THROTTLE_RATE = "1/minute"
    monkeypatch.setattr(csmdesk.ratelimit, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    assert statuses(alice_api, 2) == [200, 200]
