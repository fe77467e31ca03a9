"""Reads of the relay mail channel: what the beat task has to do this minute."""

from datetime import datetime, timedelta

from django.db.models import Q

from .models import Mailbox, RawEmail

# New mail gets this long for its own task before the sweep enqueues it again.
IMPORT_GRACE = timedelta(minutes=2)


def mailboxes_due(*, now: datetime) -> list[int]:
    """Active mailboxes not backing off (a claimed one is skipped by the claim itself)."""
    return list(
        Mailbox.objects.filter(active=True, kind=Mailbox.Kind.IMAP)
        .filter(Q(backoff_until__isnull=True) | Q(backoff_until__lte=now))
        .order_by("last_polled_at", "pk")
        .values_list("pk", flat=True)
    )


def raw_emails_stalled(*, now: datetime, limit: int = 500) -> list[int]:
    """Stored mail whose import task the broker lost (or that waited for a database)."""
    return list(
        RawEmail.objects.filter(state=RawEmail.State.NEW, fetched_at__lt=now - IMPORT_GRACE)
        .order_by("fetched_at")
        .values_list("pk", flat=True)[:limit]
    )
