"""Events out. ``webhook_emit`` writes one ``WebhookDelivery`` per matching subscription
in the caller's transaction; Celery posts it after commit, signed, with back-off retries.
Nothing is ever posted from inside a request."""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from tickets.models import SellerAccount
from tickets.outbox import outbox_claim, outbox_due, retry_delay

from .models import WebhookDelivery, WebhookEvent, WebhookSubscription

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
SIGNATURE_HEADER = "X-CSMDesk-Signature"
TIMESTAMP_HEADER = "X-CSMDesk-Timestamp"
EVENT_HEADER = "X-CSMDesk-Event"
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
CLAIM_LEASE = timedelta(minutes=2)  # longer than the POST timeout


def webhook_signature(*, secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the raw body with the subscription's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_emit(
    *, event: str, seller_account: SellerAccount, payload: dict | Callable[[], dict]
) -> list[WebhookDelivery]:
    """Queue ``event`` for every active subscription of ``seller_account`` that wants it.
    ``payload`` may be a function that builds it: called only when someone subscribed
    (most accounts subscribe to few events; a ticket's payload costs
    several queries' worth of CPU).

    Call it inside the transaction that made the change: the rows commit (or vanish) with
    it, and delivery is enqueued only after commit.
    """
    event = WebhookEvent(event)
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(active=True, seller_accounts=seller_account)
        if event in s.events  # few subscriptions per account: filtered here, portable across databases
    ]
    if not subscriptions:
        return []
    if callable(payload):
        payload = payload()
    now = timezone.now()
    deliveries = []
    for subscription in subscriptions:
        envelope = {
            "id": str(uuid.uuid4()),  # receivers de-duplicate retries with it
            "event": event.value,
            "created_at": now,
            "seller_account": seller_account.pk,
            "data": payload,
        }
        deliveries.append(
            WebhookDelivery(
                subscription=subscription,
                event=event,
                seller_account=seller_account,
                body=json.dumps(envelope, cls=DjangoJSONEncoder, separators=(",", ":")),
                created_at=now,
                next_attempt_at=now,
            )
        )
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: [webhook_enqueue(delivery_id=pk) for pk in ids])
    return deliveries


def webhook_enqueue(*, delivery_id: int, eta=None) -> bool:
    """Hand a row to Celery; a broker outage leaves it queued for the sweeper."""
    from .tasks import deliver_webhook

    try:
        deliver_webhook.apply_async((delivery_id,), eta=eta, retry=False)
    except (OperationalError, OSError) as exc:
        logger.warning("Broker unreachable, webhook delivery %s stays queued: %s", delivery_id, exc)
        return False
    return True


def _post(*, url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (admin-set URL)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def webhook_deliver(*, delivery_id: int) -> str:
    """POST one delivery and record the outcome; a 2xx answer is success.

    Returns the new status, or "not_claimed" (another worker has it, or it is done).
    """
    now = timezone.now()
    if not outbox_claim(model=WebhookDelivery, pk=delivery_id, now=now, lease=CLAIM_LEASE):
        return "not_claimed"
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    ours = WebhookDelivery.objects.filter(pk=delivery_id, status=Status.SENDING, claimed_at=now)
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CSMDesk-Webhooks/1",
        EVENT_HEADER: delivery.event,
        TIMESTAMP_HEADER: str(int(now.timestamp())),
        SIGNATURE_HEADER: webhook_signature(secret=delivery.subscription.secret, body=body),
    }
    status_code, error = None, ""
    try:
        status_code = _post(url=delivery.subscription.url, body=body, headers=headers)
    except Exception as exc:  # connection refused, timeout, DNS: retry
        error = f"{type(exc).__name__}: {exc}"
    if status_code is not None and 200 <= status_code < 300:
        ours.update(status=Status.DELIVERED, delivered_at=timezone.now(), last_status_code=status_code, last_error="")
        return Status.DELIVERED
    error = error or f"HTTP {status_code}"
    if delivery.attempts >= MAX_ATTEMPTS:
        ours.update(status=Status.DEAD, last_status_code=status_code, last_error=error)
        logger.error("Webhook delivery %s is dead after %s attempts: %s", delivery_id, delivery.attempts, error)
        return Status.DEAD
    next_attempt_at = now + retry_delay(delivery.attempts)
    ours.update(status=Status.FAILED, last_status_code=status_code, last_error=error, next_attempt_at=next_attempt_at)
    webhook_enqueue(delivery_id=delivery_id, eta=next_attempt_at)
    return Status.FAILED


def webhook_sweep(*, now=None, limit: int = 500) -> int:
    """Re-enqueue deliveries the broker may have lost. Harmless beside normal delivery."""
    now = now or timezone.now()
    due = outbox_due(model=WebhookDelivery, now=now, lease=CLAIM_LEASE, limit=limit)
    return sum(webhook_enqueue(delivery_id=pk) for pk in due)


def webhook_retry_now(*, delivery: WebhookDelivery) -> bool:
    """A manager's "retry now" on a dead or failed delivery: a fresh round of attempts."""
    updated = WebhookDelivery.objects.filter(pk=delivery.pk, status__in=[Status.DEAD, Status.FAILED]).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    if updated:
        transaction.on_commit(lambda: webhook_enqueue(delivery_id=delivery.pk))
    return bool(updated)
