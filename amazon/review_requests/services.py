"""Review requests: Amazon's Request a Review (a ``productReviewAndSellerFeedback``
solicitation) for every delivered order, on one uniform day after delivery.

What decides (notes/amazon.md §3, §5):
- the account's switch (``review_requests_enabled``, off by default) and its day, 5 to 30;
- the order's channel: the account chooses per order type between the quick-start guide and
  review requests, and one order never gets both (``order_post_delivery_claim``);
- a cancelled order gets none;
- Amazon's eligibility: the desk's own window check (5 days after the earliest delivery
  date to 30 days after the latest) and, before every request, Amazon's own list
  (``getSolicitationActionsForOrder``): never a request Amazon does not list.
Nothing else. In particular nothing about the buyer's experience — tickets, ratings,
returns, refunds, feedback — is read here: asking only the buyers who seem happy is the
review gating Amazon forbids, so the desk has no such option.

Exactly once: the sweep writes one ``ReviewRequest`` row per order (unique, ``ON CONFLICT DO
NOTHING``), and each send takes the row with a conditional UPDATE; duplicate events, retries
and a killed worker (the lease) all meet the same row.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.utils import timezone
from kombu.exceptions import OperationalError

from tickets.audit import audit_record
from tickets.models import FulfillmentChannel, Order, OrderItem, PostDeliveryContact, SellerAccount, Ticket
from tickets.proactive.services import order_post_delivery_claim

from ..secrets import SecretUnreadable
from ..spapi.client import AuthorizationRevoked, SpApiClient, SpApiError, Throttled, Unavailable
from ..spapi.models import SpApiConnection
from ..spapi.solicitations import solicitation_create, solicitation_offered
from .models import ReviewRequest

logger = logging.getLogger(__name__)

Status, Reason = ReviewRequest.Status, ReviewRequest.Reason
ACTOR = "celery:review_requests"
# Amazon's window (notes/amazon.md §5): from 5 days after the earliest delivery date to 30
# days after the latest.
WINDOW_OPENS = timedelta(days=5)
WINDOW_CLOSES = timedelta(days=30)
# Orders whose day came in the last two days are scheduled: a sweep that did not run for a
# while catches up, and turning the switch on does not reach back to older deliveries.
CATCH_UP = timedelta(days=2)
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 8
RETRY_AFTER = timedelta(minutes=15)


def review_requests_schedule(*, now: datetime) -> int:
    """One row per delivered order whose day came, for every account and order type set to
    review requests: one INSERT … SELECT per (account, channel), never a row per order in
    Python. Orders that already have a row are left alone. Returns the rows written."""
    written = 0
    accounts = SellerAccount.objects.filter(review_requests_enabled=True).only(
        "pk",
        "review_requests_enabled",
        "proactive_guides_enabled",
        "review_request_day",
        "post_delivery_fba",
        "post_delivery_fbm",
    )
    for account in accounts:
        day = timedelta(days=account.review_request_day)
        for channel in FulfillmentChannel.values:
            if account.post_delivery_contact(channel) != PostDeliveryContact.REVIEW_REQUEST:
                continue
            written += _schedule(account_id=account.pk, channel=channel, day=day, now=now)
    return written


def _schedule(*, account_id: int, channel: str, day: timedelta, now: datetime) -> int:
    first_product = OrderItem.objects.filter(order=OuterRef("pk")).order_by("pk").values("product")[:1]
    candidates = (
        Order.objects.filter(
            seller_account_id=account_id,
            fulfillment_channel=channel,
            delivered_at__gt=now - day - CATCH_UP,
            delivered_at__lte=now - day,
        )
        .filter(~Exists(ReviewRequest.objects.filter(order=OuterRef("pk"))))
        .annotate(
            first_product=Subquery(first_product),
            due=ExpressionWrapper(F("delivered_at") + Value(day), output_field=DateTimeField()),
        )
        .order_by()
        .values("seller_account_id", "id", "fulfillment_channel", "delivered_at", "first_product", "due")
    )
    select, params = candidates.query.sql_with_params()
    table = ReviewRequest._meta.db_table
    columns = (
        "seller_account_id, order_id, fulfillment_channel, delivered_at, product_id, due_at, "
        "status, skip_reason, detail, manual, attempts, created_at, updated_at"
    )
    # The SELECT has a WHERE clause, which SQLite needs before ON CONFLICT in INSERT … SELECT.
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT q.*, %s, '', '', %s, 0, %s, %s FROM ({select}) q WHERE 1 = 1 "
        "ON CONFLICT (order_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.SCHEDULED, False, now, now, *params])
        return max(cursor.rowcount, 0)


def review_requests_due(*, now: datetime, limit: int = 500) -> list[int]:
    """Rows to send now: scheduled or failed ones whose time came, and sending ones whose
    worker has not reported back within the lease."""
    return list(
        ReviewRequest.objects.filter(
            Q(status__in=[Status.SCHEDULED, Status.FAILED], due_at__lte=now)
            | Q(status=Status.SENDING, claimed_at__lt=now - CLAIM_LEASE)
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )


def review_request_claim(*, request_id: int, now: datetime) -> bool:
    """Take the row (a conditional UPDATE): one worker at a time, once it is due."""
    return bool(
        ReviewRequest.objects.filter(pk=request_id)
        .filter(
            Q(status__in=[Status.SCHEDULED, Status.FAILED], due_at__lte=now)
            | Q(status=Status.SENDING, claimed_at__lt=now - CLAIM_LEASE)
        )
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    )


def review_request_window(order: Order) -> tuple[datetime, datetime] | None:
    """Amazon's window for the order, from its delivery dates (the delivery itself when
    Amazon gave none); None when the order has no delivery to count from."""
    earliest = order.earliest_delivery_date or order.delivered_at
    latest = order.latest_delivery_date or order.delivered_at
    if earliest is None or latest is None:
        return None
    return earliest + WINDOW_OPENS, max(latest, order.delivered_at or latest) + WINDOW_CLOSES


def review_request_skip_reason(request: ReviewRequest, *, now: datetime) -> str:
    """Why the order gets no request now, from the desk's own knowledge ("" when it may).
    Reads the switch, the order type's choice, cancellation and the window: nothing else."""
    order, account = request.order, request.seller_account
    if order.cancelled_at is not None or order.status == Order.Status.CANCELLED:
        return Reason.CANCELLED
    if not account.review_requests_enabled and not request.manual:
        return Reason.ACCOUNT_OFF
    contact = account.post_delivery_contact(order.fulfillment_channel)
    if not request.manual and contact != PostDeliveryContact.REVIEW_REQUEST:
        return Reason.PROACTIVE_MESSAGE if contact == PostDeliveryContact.GUIDE else Reason.ACCOUNT_OFF
    if order.post_delivery_contact == PostDeliveryContact.GUIDE:
        return Reason.PROACTIVE_MESSAGE
    window = review_request_window(order)
    if window is None or now > window[1]:
        return Reason.OUTSIDE_WINDOW
    return ""


def _client(account: SellerAccount) -> tuple[SpApiClient, str] | None:
    conn = SpApiConnection.objects.filter(seller_account=account, status=SpApiConnection.Status.CONNECTED).first()
    if conn is None:
        return None
    try:
        token = conn.refresh_token()
    except SecretUnreadable:
        return None
    return SpApiClient(endpoint=conn.endpoint, refresh_token=token), account.marketplace_id or conn.marketplace_ids[0]


def _finish(request: ReviewRequest, *, now: datetime, status: str, reason: str = "", detail: str = "", **fields):
    """Record the outcome, if the row is still this worker's (its claim)."""
    updated = ReviewRequest.objects.filter(pk=request.pk, status=Status.SENDING, claimed_at=request.claimed_at).update(
        status=status, skip_reason=reason, detail=detail[:500], updated_at=now, **fields
    )
    request.status, request.skip_reason, request.detail = status, reason, detail[:500]
    for name, value in fields.items():
        setattr(request, name, value)
    if updated:
        logger.info("Review request for order %s: %s %s", request.order_id, status, reason)
    return status


def _retry(request: ReviewRequest, *, now: datetime, error: str, wait: timedelta = RETRY_AFTER) -> str:
    if request.attempts >= MAX_ATTEMPTS:
        return _finish(request, now=now, status=Status.SKIPPED, reason=Reason.REFUSED, detail=f"Gave up: {error}")
    return _finish(request, now=now, status=Status.FAILED, detail=error, due_at=now + wait)


def review_request_send(*, request_id: int, now: datetime | None = None) -> str:
    """Send one due review request, or skip it and record why. Safe to call any number of
    times from any number of workers: "not_claimed" when it is not (or no longer) due."""
    now = now or timezone.now()
    if not review_request_claim(request_id=request_id, now=now):
        return "not_claimed"
    request = ReviewRequest.objects.select_related("order", "seller_account").get(pk=request_id)
    order = request.order
    reason = review_request_skip_reason(request, now=now)
    if reason:
        return _finish(request, now=now, status=Status.SKIPPED, reason=reason)
    window = review_request_window(order)
    if now < window[0]:
        # Amazon's window opens later than the chosen day (a late earliest delivery date).
        return _finish(request, now=now, status=Status.SCHEDULED, due_at=window[0])
    client = _client(request.seller_account)
    if client is None:
        return _finish(request, now=now, status=Status.SKIPPED, reason=Reason.NOT_CONNECTED)
    spapi, marketplace = client
    try:
        offered = solicitation_offered(client=spapi, amazon_order_id=order.amazon_order_id, marketplace_id=marketplace)
        if not offered:
            if request.requested_at is not None:
                # An earlier attempt called Amazon and its worker died before recording the
                # answer: Amazon lists it no more because it was sent.
                return _finish(request, now=now, status=Status.SENT, sent_at=request.requested_at)
            return _finish(request, now=now, status=Status.SKIPPED, reason=Reason.NOT_OFFERED)
        if not order_post_delivery_claim(order_id=order.pk, kind=PostDeliveryContact.REVIEW_REQUEST):
            return _finish(request, now=now, status=Status.SKIPPED, reason=Reason.PROACTIVE_MESSAGE)
        ReviewRequest.objects.filter(pk=request.pk).update(requested_at=now)
        request.requested_at = now
        solicitation_create(client=spapi, amazon_order_id=order.amazon_order_id, marketplace_id=marketplace)
    except Throttled as exc:
        return _retry(
            request, now=now, error=f"Amazon's rate limit: {exc.message}", wait=timedelta(seconds=exc.retry_after)
        )
    except (Unavailable, AuthorizationRevoked) as exc:
        return _retry(request, now=now, error=f"Amazon: {exc.message}")
    except SpApiError as exc:
        return _finish(request, now=now, status=Status.SKIPPED, reason=Reason.REFUSED, detail=exc.message)
    return _finish(request, now=now, status=Status.SENT, sent_at=now)


def review_request_enqueue(*, request_id: int) -> bool:
    from .tasks import send_review_request

    try:
        send_review_request.apply_async((request_id,), retry=False)
    except (OperationalError, OSError) as exc:
        logger.warning("Broker unreachable, review request %s waits for the sweep: %s", request_id, exc)
        return False
    return True


@dataclass
class SweepResult:
    scheduled: int
    enqueued: int


def review_requests_sweep(*, now: datetime | None = None, limit: int = 500) -> SweepResult:
    """The beat: schedule the orders whose day came (set-based), then hand every due row to a
    worker. Overlapping runs are harmless: the unique row and the claim decide."""
    now = now or timezone.now()
    scheduled = review_requests_schedule(now=now)
    due = review_requests_due(now=now, limit=limit)
    return SweepResult(scheduled=scheduled, enqueued=sum(review_request_enqueue(request_id=pk) for pk in due))


class ReviewRequestRefused(Exception):
    """The manual button cannot request a review for the order now; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


REASON_SENTENCES = {
    Reason.NOT_OFFERED: "Amazon does not offer Request a Review for this order now (it decides eligibility; "
    "it opens 5 days after delivery and allows one per order).",
    Reason.OUTSIDE_WINDOW: "Amazon's window is over: requests are possible from 5 to 30 days after delivery.",
    Reason.CANCELLED: "The order was cancelled.",
    Reason.ACCOUNT_OFF: "Review requests are off for this seller account.",
    Reason.PROACTIVE_MESSAGE: "This order gets (or got) the quick-start guide: Amazon allows one proactive "
    "contact per order.",
    Reason.NOT_CONNECTED: "The seller account is not connected to Amazon (SP-API).",
    Reason.REFUSED: "Amazon refused the request.",
}


def review_request_now(*, ticket: Ticket, user: AbstractBaseUser, now: datetime | None = None) -> ReviewRequest:
    """The workspace's *Request a review*: the same row and rules as the sweep, now instead
    of on the account's day. Raises ReviewRequestRefused with the reason when it cannot."""
    now = now or timezone.now()
    order = ticket.order
    if order is None:
        raise ReviewRequestRefused("This ticket has no order.")
    if order.delivered_at is None:
        raise ReviewRequestRefused(
            "The order is not delivered yet: Amazon allows a request from 5 days after delivery."
        )
    with transaction.atomic():
        request, created = ReviewRequest.objects.get_or_create(
            order=order,
            defaults={
                "seller_account": order.seller_account,
                "product_id": order.items.order_by("pk").values_list("product", flat=True).first(),
                "fulfillment_channel": order.fulfillment_channel,
                "delivered_at": order.delivered_at,
                "due_at": now,
                "manual": True,
                "requested_by": user,
            },
        )
        if not created:
            if request.status == Status.SENT:
                raise ReviewRequestRefused(
                    f"A review was already requested for this order on {request.sent_at:%Y-%m-%d}."
                )
            if request.status == Status.SENDING:
                raise ReviewRequestRefused("A request for this order is being sent right now.")
            ReviewRequest.objects.filter(
                pk=request.pk, status__in=[Status.SCHEDULED, Status.FAILED, Status.SKIPPED]
            ).update(status=Status.SCHEDULED, skip_reason="", detail="", due_at=now, manual=True, requested_by=user)
        audit_record(subject=ticket, action="review_request.requested", actor=user, changes={"order": order.pk})
    outcome = review_request_send(request_id=request.pk, now=now)
    request.refresh_from_db()
    if outcome == Status.SENT:
        return request
    if request.status == Status.SKIPPED:
        detail = f" ({request.detail})" if request.detail else ""
        raise ReviewRequestRefused(REASON_SENTENCES.get(request.skip_reason, "Not sent.") + detail)
    if request.status == Status.SCHEDULED:
        raise ReviewRequestRefused(f"Amazon's window opens on {request.due_at:%Y-%m-%d}: the request waits until then.")
    raise ReviewRequestRefused(f"Amazon did not answer; the desk retries by itself. ({request.detail})")
