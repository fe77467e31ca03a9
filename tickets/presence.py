"""Who has a ticket open right now, for the workspace's collision notice.

Kept in the cache (Redis in production, shared by every web process), not the database:
it is a hint that expires by itself, written on every page view and poll."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.utils import timezone

# A viewer who has not polled for this long has left; the page polls every 20 s.
PRESENCE_TTL_SECONDS = 60


@dataclass(frozen=True)
class Viewer:
    user_id: int
    name: str
    since: datetime


def _key(ticket_id: int) -> str:
    return f"desk:viewers:{ticket_id}"


def presence_touch(*, ticket_id: int, user: AbstractBaseUser) -> list[Viewer]:
    """Record that ``user`` is looking at the ticket; returns the *other* viewers.

    A read-modify-write without a lock: two agents polling in the same instant may drop
    each other for one poll interval, which a hint can afford."""
    now = timezone.now()
    viewers: dict[int, tuple[str, float]] = cache.get(_key(ticket_id)) or {}
    fresh = {uid: entry for uid, entry in viewers.items() if now.timestamp() - entry[1] < PRESENCE_TTL_SECONDS}
    fresh[user.pk] = (user.get_full_name() or user.get_username(), now.timestamp())
    cache.set(_key(ticket_id), fresh, PRESENCE_TTL_SECONDS)
    return [
        Viewer(uid, name, datetime.fromtimestamp(ts, tz=UTC))
        for uid, (name, ts) in sorted(fresh.items())
        if uid != user.pk
    ]
