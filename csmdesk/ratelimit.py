"""The one rate limiter every process shares: a fixed-window counter in the cache.

Each (scope, who, window) is one cache key, created with ``cache.add`` and counted with
``cache.incr``. Both are single atomic operations on Redis (``SET NX`` and ``INCR``) and
run under the cache's lock on LocMemCache, so parallel requests can never read the same
count and both pass, which DRF's read-modify-write history list allowed. With
``CACHE_URL=redis://…`` every web process counts in the same place.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# A window's key outlives the window by this much: a request from a process whose clock
# lags slightly still finds its key (an INCR on an expired key would recreate it forever).
KEY_GRACE_SECONDS = 60
UNKNOWN_ADDRESS = "0.0.0.0"


@dataclass(frozen=True)
class RateLimit:
    limit: int
    count: int
    retry_after: int  # seconds until the window ends and the count starts again

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit


def rate_parse(rate: str) -> tuple[int, int]:
    """``"1200/minute"`` → ``(1200, 60)``; DRF's format (s, m, h, d or the full word)."""
    count, _, unit = rate.partition("/")
    return int(count), PERIOD_SECONDS[unit.strip()[0].lower()]


def rate_limit_hit(*, scope: str, ident: str, rate: str) -> RateLimit:
    """Count one request by ``ident`` in ``scope``; allowed while the window's count is at
    most the rate's number. A refused request counts too: counting is the one atomic
    step, with no check before it to race. Windows are aligned to the clock (a minute
    rate resets on the minute), so a caller may send up to twice the rate across a
    boundary, never more than the rate within one window."""
    limit, period = rate_parse(rate)
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{period}:{ident}:{window}"
    retry_after = max(1, math.ceil((window + 1) * period - now))
    try:
        count = _count(key, timeout=period + KEY_GRACE_SECONDS)
    except RedisError:
        # The cache is down: the desk and the API keep working unthrottled (a limiter that
        # fails closed would turn a cache outage into an outage of everything), and say so.
        logger.warning("rate limiter: cache unreachable, %s not counted", scope, exc_info=True)
        return RateLimit(limit=limit, count=0, retry_after=retry_after)
    return RateLimit(limit=limit, count=count, retry_after=retry_after)


def _count(key: str, *, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        # Evicted between add and incr (a full LocMemCache): start the window again.
        cache.add(key, 1, timeout=timeout)
        return 1


def client_ip(request: HttpRequest) -> str:
    """The caller's address for per-IP limits and the sign-in lockout. ``REMOTE_ADDR``
    unless ``TRUSTED_PROXY_COUNT`` proxies stand in front: then the address the outermost
    of them saw, read from the right of ``X-Forwarded-For`` (entries further left are
    whatever the client chose to send). IPv6 callers are counted per /64, the block one
    subscriber usually holds."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-min(proxies, len(forwarded))]
    ip = _ip_or_none(address) or _ip_or_none(request.META.get("REMOTE_ADDR", ""))
    if ip is None:
        # Garbled or missing everywhere: one shared address, never an error (the lockout
        # stores it in an IP address column) and never a fresh count per request.
        return UNKNOWN_ADDRESS
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _ip_or_none(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None
