"""Helpers for wiring API URLs."""

from django.db import transaction
from django.urls import URLPattern, URLResolver


def atomic_patterns(patterns: list) -> list:
    """Wrap every view of ``patterns`` in a transaction: the API's ATOMIC_REQUESTS.

    Only the API gets it (the admin and the agent UI manage their own transactions). The
    exception handler marks the transaction for rollback on every error response, so a
    rejected request writes nothing — including the rows a bulk request wrote before the
    bad item.
    """
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            wrapped.append(
                URLResolver(
                    pattern.pattern,
                    atomic_patterns(pattern.url_patterns),
                    pattern.default_kwargs,
                    pattern.app_name,
                    pattern.namespace,
                )
            )
        else:
            wrapped.append(
                URLPattern(pattern.pattern, transaction.atomic(pattern.callback), pattern.default_args, pattern.name)
            )
    return wrapped
