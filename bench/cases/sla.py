"""The SLA sweep the beat runs every minute, over every open ticket of the desk.

Target (issue 6): a sweep over 100k open tickets in at most 1 s on PostgreSQL. The
sweep writes (events, priorities, notifications), so the setup first lets it catch up
with everything already due, untimed, as the first minute after a deploy would.
Emails go to Django's in-memory backend: the bench measures the desk, not an SMTP server.
"""

from collections.abc import Callable
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from tickets.models import Ticket
from tickets.sla.sweep import sla_sweep

from ..registry import Bench, CaseFailed, case

IN_MEMORY_MAIL = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _catch_up(now) -> None:
    with IN_MEMORY_MAIL:
        while sum(sla_sweep(now=now).events.values()):
            pass


def _require_open_tickets() -> None:
    if not Ticket.objects.open().filter(sla_due_at__isnull=False).exists():
        raise CaseFailed("No open tickets with a clock: seed data first (manage.py seed_scale).")


@case("sla: sweep, nothing new since the last minute")
def sweep_steady(bench: Bench) -> Callable[[], object]:
    _require_open_tickets()
    now = timezone.now()
    _catch_up(now)

    def sweep():
        with IN_MEMORY_MAIL:
            return sla_sweep(now=now)

    return sweep


@case("sla: sweep, one more minute each run (new at-risk and breached tickets)")
def sweep_minute_by_minute(bench: Bench) -> Callable[[], object]:
    # Each run is the next minute: the tickets that crossed into at risk or breached in
    # that minute are recorded, re-prioritised and notified, like the beat's real work.
    _require_open_tickets()
    start = timezone.now()
    _catch_up(start)
    minutes = iter(range(1, 10_000))

    def sweep():
        with IN_MEMORY_MAIL:
            return sla_sweep(now=start + timedelta(minutes=next(minutes)))

    return sweep
