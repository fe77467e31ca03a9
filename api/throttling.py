"""API rate limits, counted by the shared limiter (``csmdesk.ratelimit``): per key
(``API_THROTTLE_RATE``), per signed-in user for browsers (the same rate), and per client
address (``API_THROTTLE_ANON_RATE``) for requests without a valid key.

DRF runs throttles only after authentication and permissions have passed, so a request
with a wrong key or none is refused (401) before any throttle sees it. Those refusals are
counted by ``failed_authentication_throttle``, which the exception handler calls."""

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from csmdesk.ratelimit import RateLimit, client_ip, rate_limit_hit


def _anonymous_hit(request: Request) -> RateLimit:
    return rate_limit_hit(scope="api-anon", ident=client_ip(request), rate=settings.API_THROTTLE_ANON_RATE)


class PrincipalRateThrottle(BaseThrottle):
    def allow_request(self, request: Request, view) -> bool:
        user = request.user
        if getattr(user, "is_api_key", False):
            self.hit = rate_limit_hit(scope="api-key", ident=str(user.pk), rate=settings.API_THROTTLE_RATE)
        elif user and user.is_authenticated:
            self.hit = rate_limit_hit(scope="api-user", ident=str(user.pk), rate=settings.API_THROTTLE_RATE)
        else:
            # The public schema and docs.
            self.hit = _anonymous_hit(request)
        return self.hit.allowed

    def wait(self) -> float:
        return self.hit.retry_after


def failed_authentication_throttle(request: Request) -> Throttled | None:
    """A request refused for its credentials (none, unknown or revoked key) counts against
    its address; past ``API_THROTTLE_ANON_RATE`` it is answered 429 instead of 401, so
    guessing keys or hammering without one is slowed like any other traffic."""
    hit = _anonymous_hit(request)
    return None if hit.allowed else Throttled(wait=hit.retry_after)
