"""Show times in each agent's own time zone; everything is stored and computed in UTC."""

import zoneinfo
from urllib.parse import unquote

from django.utils import timezone

# Set by the desk's JavaScript from the browser (Intl.DateTimeFormat), or chosen in the header.
TIMEZONE_COOKIE = "desk_tz"


def agent_timezone(get_response):
    def middleware(request):
        # The script stores the name URL-encoded ("Europe%2FBerlin"); Django does not decode cookies.
        name = unquote(request.COOKIES.get(TIMEZONE_COOKIE, ""))
        try:
            zone = zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            zone = None  # a forged or stale cookie falls back to UTC rather than failing
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        request.agent_timezone = zone
        return get_response(request)

    return middleware
