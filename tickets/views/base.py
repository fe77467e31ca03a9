"""What the desk's pages share: the header (who is signed in, which seller accounts they
work on, those accounts' ODR), the sidebar's counts, values kept a while per person, and
drop-down options written by the templates."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.forms import BoundField
from django.http import HttpRequest
from django.utils import timezone

from ..access import may_decide_held_messages, sees_all_seller_accounts
from ..counts import queue_counts_cached
from ..forms import queue_filter_choices
from ..selectors import QUEUE_VIEWS

MAX_BADGES = 3
# The badges show the daily ODR snapshot (metrics.tasks.record_daily_snapshots): kept a
# minute per person rather than read again on every page.
BADGES_CACHE_SECONDS = 60


# The queue filter's accounts and colleagues change when a team changes: a new colleague
# shows in the drop-downs (and can be filtered on) up to a minute later.
FILTER_CHOICES_CACHE_SECONDS = 60


def kept(key: str, seconds: int, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the cache for ``seconds`` under ``key``."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _odr_badges(user) -> list:
    from metrics.selectors import odr_badges_for

    return kept(f"desk:odr-badges:{user.pk}", BADGES_CACHE_SECONDS, lambda: odr_badges_for(user))


def queue_filter_choices_kept(user) -> dict:
    return kept(f"desk:filter-choices:{user.pk}", FILTER_CHOICES_CACHE_SECONDS, lambda: queue_filter_choices(user))


def desk_context(request: HttpRequest, **extra) -> dict:
    from metrics.selectors import STATUS_SEVERITY

    user = request.user
    badges = _odr_badges(user)
    if len(badges) > MAX_BADGES:
        # A manager sees every account: the header keeps the ones that need attention.
        worst_first = sorted(badges, key=lambda b: (-STATUS_SEVERITY.get(b.status or "", 0), b.seller_account_name))
        shown = [b for b in worst_first if b.status in ("critical", "warning")][:MAX_BADGES]
    else:
        shown = badges
    return {
        # An agent's header names their accounts: one badge per account they can see.
        "desk_account_names": [badge.seller_account_name for badge in badges],
        "desk_is_manager": sees_all_seller_accounts(user),
        # Managers decide the replies the guard held (tickets.held).
        "desk_decides_held": may_decide_held_messages(user),
        "desk_badges": shown,
        "desk_badges_hidden": len(badges) - len(shown),
        "desk_timezone": getattr(request, "agent_timezone", None),
        **extra,
    }


def select_options(field: BoundField, choices=None) -> list[tuple[str, str, bool]]:
    """A drop-down's (value, label, selected) options, for templates that write the
    ``<select>`` themselves: Django's widget templates render one sub-template per option,
    which cost more than the rest of a page's form."""
    current = "" if field.value() is None else str(field.value())
    return [(str(value), str(label), str(value) == current) for value, label in choices or field.field.choices]


def sidebar_context(request: HttpRequest, *, now: datetime | None = None) -> dict:
    """The queue views and their counts, for pages that show the sidebar."""
    counts = queue_counts_cached(user=request.user, now=now or timezone.now())
    return {"views": QUEUE_VIEWS.values(), "counts": counts}
