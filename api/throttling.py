"""Per-key rate limits (per user for browsers), counted in the shared cache: set
CACHE_URL to Redis when several web processes serve the API."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PrincipalRateThrottle(SimpleRateThrottle):
    scope = "principal"

    def get_rate(self) -> str:
        # Read at request time (not import time) so tests and deployments can change it.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        user = request.user
        if getattr(user, "is_api_key", False):
            ident = f"key:{user.pk}"
        elif user and user.is_authenticated:
            ident = f"user:{user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
