"""Reads of the SP-API channel."""

from datetime import datetime

from django.db.models import Q

from .models import SpApiConnection


def connections_due(*, now: datetime) -> list[int]:
    """Connected accounts not backing off (one already syncing is skipped by the claim itself)."""
    return list(
        SpApiConnection.objects.filter(status=SpApiConnection.Status.CONNECTED)
        .filter(Q(backoff_until__isnull=True) | Q(backoff_until__lte=now))
        .order_by("last_sync_at", "pk")
        .values_list("pk", flat=True)
    )
