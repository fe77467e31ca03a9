"""Amazon's usage plans on the desk's side: one token bucket per (selling partner, operation),
shared by every worker through Redis, so the desk never sends a request Amazon would refuse.

SP-API "uses the token bucket algorithm" (a bucket of *burst* tokens refilled at *rate* per
second; a call takes one). Each bucket is a Redis hash changed only by one Lua script, which
Redis runs atomically: refill for the time passed, take a token or say how long until one,
in one step that no other worker can interleave with. The rate and burst start from Amazon's
documented usage plans (``DOCUMENTED``, the models' "Usage Plan" tables) and the rate follows
Amazon's ``x-amzn-RateLimit-Limit`` header (``rate_update``): a partner with a higher plan
gets it. After a 429 the bucket is emptied (``drain``) so every worker waits.

Time is the desk's clock (``timezone.now()``, moved by tests), sent with each call; workers'
clocks are NTP-synchronised in production, and a clock a little behind only refills late.

Without Redis (``SPAPI_RATE_LIMIT_REDIS_URL`` empty, or Redis not answering) each process keeps
its own buckets and says so in the log once: the calls of one worker still stay within the
plan; several workers could then together exceed it, and Amazon's 429 handling takes over.
"""

import logging
import threading
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)

# Amazon's documented usage plans (rate per second, burst) of the operations the desk calls.
DOCUMENTED: dict[str, tuple[float, int]] = {
    "searchOrders": (0.0056, 20),
    "getOrder": (0.5, 30),
    "createReport": (0.0167, 15),
    "getReport": (2.0, 15),
    "getReports": (0.0222, 10),
    "cancelReport": (0.0222, 10),
    "getReportDocument": (0.0167, 15),
    "listFinancialEvents": (0.5, 30),  # Finances API v0 (the FBA reimbursement watch's refunds)
    # Messaging API: 1 request/s, burst 5, for every operation.
    **dict.fromkeys(
        [
            "getMessagingActionsForOrder",
            "GetAttributes",
            "confirmCustomizationDetails",
            "createConfirmDeliveryDetails",
            "createLegalDisclosure",
            "createConfirmOrderDetails",
            "createConfirmServiceDetails",
            "CreateWarranty",
            "createDigitalAccessKey",
            "createUnexpectedProblem",
            "sendInvoice",
        ],
        (1.0, 5),
    ),
    # Solicitations API (Request a Review): 1 request/s, burst 5.
    "getSolicitationActionsForOrder": (1.0, 5),
    "createProductReviewAndSellerFeedbackSolicitation": (1.0, 5),
    "createUploadDestinationForResource": (10.0, 10),  # Uploads API
}
DEFAULT_PLAN = (0.0167, 1)  # an operation not listed: the most careful plan
KEY_SECONDS = 24 * 3600  # an idle bucket is forgotten after a day (it would be full again)

# KEYS[1] the bucket; ARGV: now (s), documented rate, burst, key ttl.
# Returns the seconds to wait for a token, "0" when one was taken.
TAKE = """
local now = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'rate')
local rate = tonumber(state[3]) or tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
  ts = now
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
elseif rate > 0 then
  wait = (1 - tokens) / rate
else
  wait = 3600
end
-- string.format: Lua's tostring keeps 14 digits, too few for epoch seconds with decimals
redis.call('HSET', KEYS[1], 'tokens', string.format('%.9f', tokens), 'ts', string.format('%.6f', ts))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return string.format('%.6f', wait)
"""


@dataclass
class _LocalBucket:
    tokens: float
    ts: float
    rate: float | None = None


class TokenBuckets:
    """The buckets, in Redis when it answers, else in this process."""

    def __init__(self, redis_url: str | None) -> None:
        self.redis_url = redis_url or None
        self._redis = None
        self._script = None
        self._local: dict[str, _LocalBucket] = {}
        self._lock = threading.Lock()
        self._warned = False

    @staticmethod
    def key(selling_partner_id: str, operation: str) -> str:
        return f"spapi:bucket:{selling_partner_id}:{operation}"

    def _client(self):
        if self.redis_url is None:
            return None
        if self._redis is None:
            import redis

            timeout = float(settings.SPAPI_RATE_LIMIT_REDIS_TIMEOUT)
            self._redis = redis.Redis.from_url(self.redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
            self._script = self._redis.register_script(TAKE)
        return self._redis

    def _degraded(self, exc: Exception) -> None:
        if not self._warned:
            log.warning(
                "SP-API rate limits: Redis at %s does not answer (%s); "
                "each worker keeps its own buckets until it does.",
                self.redis_url,
                exc.__class__.__name__,
            )
            self._warned = True

    def take(self, *, selling_partner_id: str, operation: str) -> float:
        """Take a token: 0.0, or the seconds until one (none was taken)."""
        rate, burst = DOCUMENTED.get(operation, DEFAULT_PLAN)
        now = timezone.now().timestamp()
        key = self.key(selling_partner_id, operation)
        client = self._client()
        if client is not None:
            import redis

            try:
                wait = float(self._script(keys=[key], args=[repr(now), repr(rate), burst, KEY_SECONDS]))
                self._warned = False
                return wait
            except redis.RedisError as exc:
                self._degraded(exc)
        return self._take_local(key, now=now, rate=rate, burst=burst)

    def _take_local(self, key: str, *, now: float, rate: float, burst: int) -> float:
        with self._lock:
            bucket = self._local.setdefault(key, _LocalBucket(tokens=float(burst), ts=now))
            rate = bucket.rate or rate
            if now > bucket.ts:
                bucket.tokens = min(burst, bucket.tokens + (now - bucket.ts) * rate)
                bucket.ts = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / rate if rate > 0 else 3600.0

    def rate_update(self, *, selling_partner_id: str, operation: str, rate: float) -> None:
        """Amazon said this partner's plan (``x-amzn-RateLimit-Limit``): refill at that rate."""
        if rate <= 0:
            return
        key = self.key(selling_partner_id, operation)
        client = self._client()
        if client is not None:
            import redis

            try:
                client.hset(key, "rate", repr(rate))
                return
            except redis.RedisError as exc:
                self._degraded(exc)
        with self._lock:
            if key in self._local:
                self._local[key].rate = rate

    def drain(self, *, selling_partner_id: str, operation: str) -> None:
        """Amazon answered 429: the bucket is empty for every worker."""
        key = self.key(selling_partner_id, operation)
        now = timezone.now().timestamp()
        client = self._client()
        if client is not None:
            import redis

            try:
                client.hset(key, mapping={"tokens": "0", "ts": repr(now)})
                client.expire(key, KEY_SECONDS)
                return
            except redis.RedisError as exc:
                self._degraded(exc)
        with self._lock:
            bucket = self._local.setdefault(key, _LocalBucket(tokens=0.0, ts=now))
            bucket.tokens, bucket.ts = 0.0, now

    def reset(self) -> None:
        """Forget every bucket (tests)."""
        self._local.clear()
        client = self._client()
        if client is not None:
            import redis

            try:
                for key in client.scan_iter("spapi:bucket:*"):
                    client.delete(key)
            except redis.RedisError:
                pass


@cache
def _buckets_for(url: str) -> TokenBuckets:
    return TokenBuckets(url)


def token_buckets() -> TokenBuckets:
    """The process's buckets (one Redis connection pool per URL)."""
    return _buckets_for(settings.SPAPI_RATE_LIMIT_REDIS_URL or "")
