"""Celery tasks of the Amazon channels: thin adapters around amazon.mail.services. The
periodic one is declared in ``CELERY_BEAT_SCHEDULE`` (csmdesk/settings.py)."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .mail.imap import FETCH_BATCH_MAILS
from .mail.services import mailbox_poll, raw_email_import, raw_emails_import
from .selectors import mailboxes_due, raw_emails_stalled

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(acks_late=True, ignore_result=True, time_limit=60, soft_time_limit=50)
def poll_mailboxes() -> dict:
    """Every minute: one poll task per active mailbox (each takes its own claim), and the
    import of stored mail whose task was lost."""
    now = timezone.now()
    mailboxes = mailboxes_due(now=now)
    for mailbox_id in mailboxes:
        poll_mailbox.delay(mailbox_id)
    stalled = raw_emails_stalled(now=now)
    for start in range(0, len(stalled), FETCH_BATCH_MAILS):
        process_raw_emails.delay(stalled[start : start + FETCH_BATCH_MAILS])
    return {"mailboxes": len(mailboxes), "stalled": len(stalled)}


# Bounded by MAIL_POLL_SECONDS inside; the limits are a backstop (the claim's lease outlives them).
@shared_task(
    acks_late=True,
    ignore_result=True,
    time_limit=settings.MAIL_POLL_SECONDS + 2 * settings.MAIL_IMAP_TIMEOUT_SECONDS + 30,
    soft_time_limit=settings.MAIL_POLL_SECONDS + 2 * settings.MAIL_IMAP_TIMEOUT_SECONDS + 20,
    **RETRY,
)
def poll_mailbox(mailbox_id: int) -> dict:
    result = mailbox_poll(mailbox_id=mailbox_id)
    return {"claimed": result.claimed, "stored": result.stored, "error": result.error}


@shared_task(acks_late=True, ignore_result=True, time_limit=120, soft_time_limit=100, **RETRY)
def process_raw_email(raw_email_id: int) -> str:
    return raw_email_import(raw_email_id=raw_email_id).state


# A batch is what one fetch brought (at most FETCH_BATCH_MAILS mails, 4 MB): one transaction.
@shared_task(acks_late=True, ignore_result=True, time_limit=300, soft_time_limit=280, **RETRY)
def process_raw_emails(raw_email_ids: list[int]) -> list[str]:
    return [raw.state for raw in raw_emails_import(raw_email_ids=raw_email_ids)]
