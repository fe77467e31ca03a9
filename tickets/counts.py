"""The sidebar's queue counts, kept in the cache for a few seconds per person.

Every desk page shows them, and counting an account's not-done tickets was the largest
query of a queue page. A count is kept only while no ticket of the accounts it covers has
been written: every save or delete of a ticket stamps its account's version (and the version
of "all accounts", which managers' counts follow), so an agent's own action (or a
colleague's, or a new buyer message) shows in the counts of the very next page. What can lag,
by up to ``DESK_COUNTS_CACHE_SECONDS``, is what changes with no write at all: tickets
entering "At risk" and "Breached" as their deadlines pass, a change of the accounts a person
may see, and (for the agents of its old account) a ticket moved to another account.

With several processes (web servers, Celery workers writing tickets) the cache must be shared
by all of them (``CACHE_URL=redis://…``, as for presence and locks): a version stamped in one
process's memory is not seen by another, whose counts then lag by up to the same 30 s.
"""

import hashlib
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache

from .access import sees_all_seller_accounts, seller_accounts_visible_to
from .selectors import queue_counts

ALL_ACCOUNTS = "all"
# A version is stamped when a ticket is saved, before its transaction commits: counts made
# this soon after a stamp may not include the write yet, so they are not kept (longer than
# any desk or ingest transaction takes).
SETTLE_SECONDS = 10


def _version_key(account: int | str) -> str:
    return f"desk:tickets-version:{account}"


def _counts_key(user: AbstractBaseUser) -> str:
    return f"desk:queue-counts:{user.pk}"


def queue_counts_cached(*, user: AbstractBaseUser, now: datetime) -> dict[str, int]:
    """``queue_counts``, from the cache while no ticket it counts has been written."""
    seconds = settings.DESK_COUNTS_CACHE_SECONDS
    if seconds <= 0:
        return queue_counts(user=user, now=now)
    cached = cache.get(_counts_key(user))
    if cached is not None:
        version_keys, versions, counted_at, counts = cached
        # The age is checked here too, by the page's clock: the cache may keep it longer.
        if now - counted_at < timedelta(seconds=seconds) and cache.get_many(version_keys) == versions:
            return counts
    version_keys = _version_keys(user)
    # Read before counting: a write stamped from now on makes these counts stale.
    versions = cache.get_many(version_keys)
    counts = queue_counts(user=user, now=now)
    if all(time.time() - stamped_at > SETTLE_SECONDS for stamped_at, _ in versions.values()):
        cache.set(_counts_key(user), (version_keys, versions, now, counts), seconds)
    return counts


# The accounts written inside ``queue_counts_stamped_once``, stamped when it ends.
_batch_accounts: ContextVar[set[int] | None] = ContextVar("queue_counts_batch", default=None)


def queue_counts_invalidate(*, seller_account_id: int) -> None:
    """Drop the kept counts of everyone who sees this account's tickets."""
    batch = _batch_accounts.get()
    if batch is not None:
        batch.add(seller_account_id)
        return
    _stamp([seller_account_id])


def _stamp(seller_account_ids) -> None:
    version = (time.time(), uuid.uuid4().hex)  # when, and unique even within the same instant
    keys = [_version_key(pk) for pk in seller_account_ids]
    cache.set_many(dict.fromkeys([*keys, _version_key(ALL_ACCOUNTS)], version), None)


@contextmanager
def queue_counts_stamped_once() -> Iterator[None]:
    """Stamp the versions of the accounts whose tickets were written in the block once, as it
    ends (a relay mail batch writes each ticket several times: one Redis write a batch, not
    two a mail). Wrap it inside the block's transaction: the stamp still comes before the
    commit, which SETTLE_SECONDS covers. Stamped even when the block raises (a savepoint may
    have committed part of it; a stamp too many only costs a recount)."""
    if _batch_accounts.get() is not None:  # nested: the outer block stamps
        yield
        return
    token = _batch_accounts.set(set())
    try:
        yield
    finally:
        accounts = _batch_accounts.get()
        _batch_accounts.reset(token)
        if accounts:
            _stamp(accounts)


def queue_changed(*, seller_account_id: int) -> None:
    """Something an account's queue shows changed without a ticket being saved (a reply's
    delivery state): the live queues of everyone who sees the account show it at their next
    poll (``queue_version``)."""
    queue_counts_invalidate(seller_account_id=seller_account_id)


# The live queue re-renders at least this often with no write at all: tickets cross into
# "At risk" and "Breached" as time passes.
LIVE_REFRESH_SECONDS = 60


def queue_version(*, user: AbstractBaseUser) -> str:
    """A short token that changes whenever a ticket of ``user``'s accounts is written or a
    reply's delivery state changes, and at least every LIVE_REFRESH_SECONDS. The live queue
    polls with the token it shows; an unchanged token is answered from the cache alone.

    A version is stamped before its transaction commits: while a stamp is younger than
    SETTLE_SECONDS the token is new on every poll, so a page rendered before the commit is
    rendered again after it."""
    versions = cache.get_many(_version_keys(user))
    now = time.time()
    if any(now - stamped_at <= SETTLE_SECONDS for stamped_at, _ in versions.values()):
        return uuid.uuid4().hex[:16]
    token = repr((sorted(versions.items()), int(now // LIVE_REFRESH_SECONDS)))
    return hashlib.blake2b(token.encode(), digest_size=8).hexdigest()


def _keys_key(user: AbstractBaseUser) -> str:
    return f"desk:version-keys:{user.pk}"


# Which accounts' versions a person follows is kept this long: a change of the accounts they
# may see shows in their counts and live queue this much later at most.
VERSION_KEYS_SECONDS = 30


def _version_keys(user: AbstractBaseUser) -> list[str]:
    """The cache keys of the versions ``user``'s tickets follow, kept a while per person (the
    counts and every poll of the live queue ask)."""
    keys = cache.get(_keys_key(user))
    if keys is None:
        if sees_all_seller_accounts(user):
            keys = [_version_key(ALL_ACCOUNTS)]
        else:
            keys = [_version_key(pk) for pk in seller_accounts_visible_to(user).values_list("pk", flat=True)]
        cache.set(_keys_key(user), keys, VERSION_KEYS_SECONDS)
    return keys


def ticket_written(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a ticket (connected in ``TicketsConfig.ready``)."""
    queue_counts_invalidate(seller_account_id=instance.seller_account_id)
