"""Amazon's usage plans: a token bucket per (selling partner, operation).

SP-API "uses the token bucket algorithm": a bucket holds at most *burst* tokens, each
request takes one, and tokens come back at *rate* per second; an empty bucket answers
429 QuotaExceeded. Rate and burst are read from each operation's "Usage Plan" table in
Amazon's model (``spec.USAGE_PLAN``). Time comes from the injected clock, so a test
refills a bucket by moving the clock.
"""

import threading
from dataclasses import dataclass
from datetime import datetime

from .clock import Clock


@dataclass
class Bucket:
    rate: float
    burst: int
    tokens: float
    updated: datetime

    def take(self, now: datetime) -> bool:
        elapsed = max(0.0, (now - self.updated).total_seconds())
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def seconds_until_token(self) -> float:
        return max(0.0, (1 - self.tokens) / self.rate) if self.rate else float("inf")


class RateLimiter:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._lock = threading.Lock()

    def allow(self, *, selling_partner_id: str, operation_id: str, rate: float, burst: int) -> bool:
        """Take a token for this selling partner's call of this operation; False: answer 429."""
        now = self.clock.now()
        with self._lock:
            key = (selling_partner_id, operation_id)
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = Bucket(rate=rate, burst=burst, tokens=burst, updated=now)
            return bucket.take(now)

    def bucket(self, *, selling_partner_id: str, operation_id: str) -> Bucket | None:
        return self._buckets.get((selling_partner_id, operation_id))
