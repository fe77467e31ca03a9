"""Alerts mailed to the managers once: the account-health alerts (metrics) and the rising
complaint themes (reviews) share the claim, the recipients and the release on failure."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import models
from django.utils import timezone

from .roles import MANAGERS


def manager_emails() -> list[str]:
    """Every active manager's address, sorted."""
    return sorted(
        get_user_model()
        .objects.filter(groups__name=MANAGERS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def alert_mail_managers_once(
    *, model: type[models.Model], alert_id: int, related: tuple[str, ...], compose: Callable[[object], tuple[str, str]]
) -> bool:
    """Email the alert row ``alert_id`` (a model with ``notified_at`` and ``recipients``) to
    every active manager with an address, once: the row is claimed with a conditional UPDATE
    so two workers never mail it twice, and a failed send releases the claim so the task's
    retry can try again. ``compose(alert)`` gives the subject and the text. Returns whether
    this call sent it."""
    claimed = model.objects.filter(pk=alert_id, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return False
    alert = model.objects.select_related(*related).get(pk=alert_id)
    recipients = manager_emails()
    if recipients:
        subject, message = compose(alert)
        try:
            send_mail(
                subject=subject, message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients
            )
        except Exception:
            model.objects.filter(pk=alert_id).update(notified_at=None)
            raise
    model.objects.filter(pk=alert_id).update(recipients="\n".join(recipients))
    return True
