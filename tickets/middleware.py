"""Show times in each agent's own time zone; everything is stored and computed in UTC."""

import zoneinfo
from urllib.parse import unquote

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .profiles import profile_time_zone

# Set by the desk's JavaScript from the browser (Intl.DateTimeFormat), or chosen in the header.
TIMEZONE_COOKIE = "desk_tz"


def _admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:  # a URLconf without the admin (some tests mount one app alone)
        return None


def agent_timezone(get_response):
    def middleware(request):
        admin_prefix = _admin_prefix()
        if admin_prefix and request.path.startswith(admin_prefix):
            # The admin is read in the person's own chosen zone (their desk profile), never
            # in whichever zone a desk page last stored in the cookie; unset means UTC.
            zone = profile_time_zone(request.user) if request.user.is_authenticated else None
        else:
            zone = _cookie_zone(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        request.agent_timezone = zone
        return get_response(request)

    return middleware


def _cookie_zone(request):
    # The script stores the name URL-encoded ("Europe%2FBerlin"); Django does not decode cookies.
    name = unquote(request.COOKIES.get(TIMEZONE_COOKIE, ""))
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None  # a forged or stale cookie falls back to UTC rather than failing


class DeskNotFound:
    """A desk page that names something unknown (a mistyped or foreign ticket id) answers the
    desk's own 404 page, also under DEBUG: Django's debug 404 would list every URL of the
    project to whoever typed a wrong number in the demo."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = getattr(request, "resolver_match", None)
        if isinstance(exception, Http404) and match is not None and match.namespace == "desk":
            return render(request, "404.html", status=404)
        return None
