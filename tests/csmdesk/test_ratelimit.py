"""The shared rate limiter: exact under concurrency on the configured cache (Redis when
CACHE_URL is set, LocMemCache otherwise), windows on the clock, the caller's address."""

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import RequestFactory

from csmdesk.ratelimit import client_ip, rate_limit_hit, rate_parse

NOON = datetime(2026, 3, 2, 12, 0, 10, tzinfo=UTC)


def hits(n: int, *, rate: str = "5/minute", ident: str = "alice") -> list[bool]:
    return [rate_limit_hit(scope="test", ident=ident, rate=rate).allowed for _ in range(n)]


def test_the_counter_lives_in_the_configured_cache():
    # The concurrency test below means something only against the cache production uses.
    expected = "RedisCache" if settings.CACHE_URL.startswith("redis") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected


@pytest.fixture
def eager_thread_switches():
    # Threads switch every microsecond instead of every 5 ms, so that on LocMemCache too a
    # read-modify-write counter would be caught between its read and its write.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@time_machine.travel(NOON, tick=False)
def test_sixteen_threads_sharing_one_key_get_exactly_the_rate(eager_thread_switches):
    start = threading.Barrier(16)

    def burst(_):
        start.wait()
        return sum(rate_limit_hit(scope="test", ident="one-key", rate="1000/minute").allowed for _ in range(125))

    with ThreadPoolExecutor(max_workers=16) as pool:
        allowed = sum(pool.map(burst, range(16)))  # 2,000 requests
    assert allowed == 1000


@time_machine.travel(NOON, tick=False)
def test_requests_past_the_rate_are_refused():
    assert hits(7) == [True] * 5 + [False] * 2


@time_machine.travel(NOON, tick=False)
def test_each_caller_has_its_own_count():
    hits(5, ident="alice")
    assert hits(1, ident="bob") == [True]


@time_machine.travel(NOON, tick=False)
def test_retry_after_counts_to_the_end_of_the_window():
    hits(5)
    assert rate_limit_hit(scope="test", ident="alice", rate="5/minute").retry_after == 50


def test_the_count_starts_again_in_the_next_window():
    with time_machine.travel(NOON, tick=False) as clock:
        hits(6)
        clock.move_to(NOON + timedelta(seconds=50))
        assert hits(1) == [True]


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("1200/minute", (1200, 60)), ("5/s", (5, 1)), ("10/hour", (10, 3600)), ("1000/day", (1000, 86400))],
)
def test_rates_are_read_in_drfs_format(rate, parsed):
    assert rate_parse(rate) == parsed


# --- The caller's address -------------------------------------------------------------------


def request(remote_addr="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_address_is_remote_addr_and_a_forwarded_header_is_ignored_by_default():
    assert client_ip(request(forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_one_trusted_proxy_the_address_is_the_one_it_forwarded(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_ip(request(remote_addr="10.0.0.2", forwarded="1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_behind_two_trusted_proxies_the_outer_proxys_view_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(remote_addr="10.0.0.2", forwarded="1.2.3.4, 198.51.100.1, 10.0.0.1")) == "198.51.100.1"


def test_a_garbled_forwarded_address_falls_back_to_the_proxys(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="not-an-ip")) == "203.0.113.9"


def test_no_usable_address_at_all_is_one_shared_address():
    assert client_ip(request(remote_addr="")) == "0.0.0.0"


def test_ipv6_callers_are_counted_per_64_block():
    assert client_ip(request(remote_addr="2001:db8:1:2:aaaa::1")) == client_ip(request(remote_addr="2001:db8:1:2::ff"))


def test_an_unreachable_cache_lets_requests_through_instead_of_failing(monkeypatch, caplog):
    # Redis down must not turn every API call into a 500: the limiter steps aside and logs.
    from django.core.cache.backends.redis import RedisCache

    import csmdesk.ratelimit

    monkeypatch.setattr(csmdesk.ratelimit, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    assert hits(3, rate="1/minute") == [True, True, True]
    assert "cache unreachable" in caplog.text
