"""A person's own desk settings (``DeskProfile``): the time zone the admin shows their times
in, kept in the cache so that no admin page pays a query for it."""

import zoneinfo

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.dispatch import receiver

from .audit import Actor, audit_record
from .models import DeskProfile

ZONE_CACHE_SECONDS = 3600


def _key(user_pk: int) -> str:
    return f"desk:profile-tz:{user_pk}"


def profile_time_zone(user: AbstractBaseUser) -> zoneinfo.ZoneInfo | None:
    """The zone ``user`` chose for the admin, or None (UTC)."""
    name = cache.get(_key(user.pk))
    if name is None:
        name = DeskProfile.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""
        cache.set(_key(user.pk), name, ZONE_CACHE_SECONDS)
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@receiver(user_logged_in)
def _profile_time_zone_warm(sender, request, user, **kwargs) -> None:
    # Read once at sign-in, so that no admin page pays the query (and every page of a
    # session costs the same number of queries).
    profile_time_zone(user)


def profile_time_zone_set(*, user: AbstractBaseUser, time_zone: str, actor: Actor) -> DeskProfile:
    """Store the zone ``user`` reads the admin in (validated by the model); audited."""
    profile, _ = DeskProfile.objects.get_or_create(user=user)
    before = profile.time_zone
    profile.time_zone = time_zone
    profile.full_clean()
    if before != time_zone:
        profile.save(update_fields=["time_zone"])
        audit_record(
            subject=profile, action="profile.time_zone", actor=actor, changes={"time_zone": [before, time_zone]}
        )
    cache.delete(_key(user.pk))
    return profile
