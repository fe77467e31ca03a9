"""Seller feedback from Amazon, daily: the ``GET_SELLER_FEEDBACK_DATA`` report (Feedback
Manager: negative and neutral feedback, 1–3★) through the one feedback intake
(``reviews.services.feedback_record``), like the REST API's feedback.

Rules:
- The report covers ``SPAPI_FEEDBACK_DAYS`` (90) of feedback dates, ending two minutes before
  the first attempt (a resumed run reuses its open report and range).
- Each row finds its order in this connection's seller account only; a row whose order the
  desk does not have is skipped and counted (``orders_missing``: the account-health
  reconciliation names them).
- The report gives a date, not a time: the feedback is dated at midnight UTC of that day, and a
  feedback the desk already has on the same day keeps its own time (so a re-run changes nothing).
- Feedback that disappears (notes/amazon.md §1): a 1–3★ feedback the desk holds, left inside
  the report's range, that the report no longer lists was removed — by Amazon or by the buyer —
  and "the impact of the feedback will be removed from your … Order Defect Rate". It is
  recorded as removed (``removed_at`` = now, audited), so it leaves the ODR from then on; if it
  shows up again it counts again. A report Amazon cancels has no data: every such feedback of
  the range was removed.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction

from reviews.models import SellerFeedback
from reviews.services import feedback_record
from tickets.models import Order

from .models import SpApiConnection
from .reports import (
    report_processed,
    report_ready,
    report_rows,
    report_runs_open,
    request_report,
)

FEEDBACK_REPORT = "GET_SELLER_FEEDBACK_DATA"
ACTOR = "spapi-sync"
MAX_RATING = 3  # the report lists negative and neutral feedback only
DATE_FORMATS = ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d")
END_MARGIN = timedelta(minutes=2)


@dataclass
class FeedbackResult:
    recorded: int = 0
    removed: int = 0
    orders_missing: int = 0


def _day(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _range(connection: SpApiConnection, now: datetime) -> tuple[datetime, datetime]:
    for run in report_runs_open(connection, FEEDBACK_REPORT):
        if run.data_start and run.data_end:
            return run.data_start, run.data_end
    end = (now - END_MARGIN).replace(microsecond=0)
    return end - timedelta(days=settings.SPAPI_FEEDBACK_DAYS), end


def feedback_sync(connection: SpApiConnection, *, now: datetime) -> FeedbackResult:
    """Bring the account's seller feedback in line with Amazon's Feedback Manager report."""
    start, end = _range(connection, now)
    report_id = request_report(connection, FEEDBACK_REPORT, start=start, end=end)
    report_ready(connection, report_id)
    account_id = connection.seller_account_id
    listed: dict[str, tuple[int, str, date]] = {}
    result = FeedbackResult()
    for row in report_rows(connection, report_id):
        order_id, day = (row.get("Order ID") or "").strip(), _day(row.get("Date") or "")
        try:
            rating = int(row.get("Rating") or 0)
        except ValueError:
            continue
        if order_id and day and 1 <= rating <= 5:
            listed[order_id] = (rating, (row.get("Comments") or "")[:5000], day)
    orders = {
        o.amazon_order_id: o
        for o in Order.objects.select_related("seller_account", "buyer").filter(
            seller_account_id=account_id, amazon_order_id__in=list(listed)
        )
    }
    held = {
        f.order.amazon_order_id: f
        for f in SellerFeedback.objects.select_related("order").filter(
            order__seller_account_id=account_id, rating__lte=MAX_RATING, left_at__gte=start, left_at__lte=end
        )
    }
    held.update(
        {
            f.order.amazon_order_id: f
            for f in SellerFeedback.objects.select_related("order").filter(order__in=list(orders.values()))
        }
    )
    with transaction.atomic():
        for order_id, (rating, comment, day) in listed.items():
            order = orders.get(order_id)
            if order is None:
                result.orders_missing += 1
                continue
            known = held.get(order_id)
            same_day = known is not None and known.left_at.astimezone(UTC).date() == day
            left_at = known.left_at if same_day else datetime.combine(day, time(0), tzinfo=UTC)
            _, created = feedback_record(
                order=order, rating=rating, comment=comment, left_at=left_at, removed=False, actor=ACTOR
            )
            result.recorded += created
        for order_id, feedback in held.items():
            if order_id in listed or feedback.removed or feedback.rating > MAX_RATING:
                continue
            if not start <= feedback.left_at <= end:
                continue
            feedback_record(
                order=feedback.order,
                rating=feedback.rating,
                comment=feedback.comment,
                left_at=feedback.left_at,
                removed=True,
                actor=ACTOR,
            )
            result.removed += 1
        report_processed(connection, report_id)
        SpApiConnection.objects.filter(pk=connection.pk).update(
            feedback_synced_on=now.date(), feedback_orders_missing=result.orders_missing
        )
        connection.feedback_synced_on = now.date()
    return result
