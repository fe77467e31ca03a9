"""Report documents: the content behind getReportDocument's URL, computed from the marketplace.

Each document is read **as of one instant** (the report's ``createdTime``), like Amazon's,
which reports the data it had when the request was processed.

- ``GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL`` and ``…_BY_ORDER_DATE_GENERAL``:
  Amazon's "All Orders" flat file, tab-separated, UTF-8, one row per order item, orders
  whose last update (or purchase date) falls in ``[dataStartTime, dataEndTime]``. The columns
  are the ones Amazon's Report Type Values page documents for this report (``ORDER_COLUMNS``).
- ``GET_SELLER_FEEDBACK_DATA``: the Feedback Manager download — negative and neutral
  feedback (1–3 stars) left in the range and not removed; a report with no rows is
  CANCELLED, as Amazon does ("no data").
- ``GET_V2_SELLER_PERFORMANCE_REPORT``: the Account Health JSON of
  ``models/accountHealthReport-2020-11-18.json``. Its Order Defect Rate is the desk's
  formula (metrics/odr.py, notes/amazon.md §1): distinct orders with a counted defect ÷
  orders, per channel, order dates in the 60 days before the report's day (offset 0),
  defects that exist at the report's instant.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .marketplace import AFN, MFN, Marketplace, Order, midnight
from .spec import validate_account_health

ORDERS_BY_LAST_UPDATE = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL"
ORDERS_BY_ORDER_DATE = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"
SELLER_FEEDBACK = "GET_SELLER_FEEDBACK_DATA"
SELLER_PERFORMANCE = "GET_V2_SELLER_PERFORMANCE_REPORT"

# Amazon's All Orders report (flat file), in Amazon's column order.
ORDER_COLUMNS = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",  # ISO 8601 with offset, e.g. 2026-05-01T12:34:56+00:00
    "last-updated-date",
    "order-status",  # Pending, Unshipped, Shipped, Cancelled
    "fulfillment-channel",  # Amazon (FBA) or Merchant (FBM)
    "sales-channel",  # Amazon.com
    "order-channel",
    "url",
    "ship-service-level",  # Standard, Expedited, SecondDay
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",  # the line's price (unit price × quantity)
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]
ORDER_STATUS_WORDS = {"PENDING": "Pending", "UNSHIPPED": "Unshipped", "SHIPPED": "Shipped", "CANCELLED": "Cancelled"}
CHANNEL_WORDS = {AFN: "Amazon", MFN: "Merchant"}
SERVICE_WORDS = {"STANDARD": "Standard", "EXPEDITED": "Expedited", "SECOND_DAY": "SecondDay"}

# The Feedback Manager download, in Amazon's column order.
FEEDBACK_COLUMNS = ["Date", "Rating", "Comments", "Response", "Order ID", "Rater Email"]
FEEDBACK_MAX_RATING = 3  # negative and neutral

ODR_WINDOW_DAYS = 60
ODR_TARGET = 0.01


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str


def _flat_file(columns: list[str], rows: list[list[str]]) -> bytes:
    lines = ["\t".join(columns), *("\t".join(cell.replace("\t", " ") for cell in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def _offset_iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def orders_flat_file(
    marketplace: Marketplace, *, at: datetime, start: datetime, end: datetime, by: str
) -> Document | None:
    rows = []
    for order in marketplace.visible(at):
        moment = order.last_updated(at) if by == ORDERS_BY_LAST_UPDATE else order.created
        if not start <= moment <= end:
            continue
        status = order.status(at)
        for item in order.items:
            rows.append(
                [
                    order.order_id,
                    order.order_id,
                    _offset_iso(order.created),
                    _offset_iso(order.last_updated(at)),
                    ORDER_STATUS_WORDS[status],
                    CHANNEL_WORDS[order.channel],
                    "Amazon.com",
                    "",
                    "",
                    SERVICE_WORDS.get(order.service_level, "Standard"),
                    item.product.title,
                    item.product.sku,
                    item.product.asin,
                    "Cancelled" if status == "CANCELLED" else ("Shipped" if status == "SHIPPED" else "Unshipped"),
                    str(item.quantity),
                    "USD",
                    f"{item.product.price * item.quantity:.2f}",
                    "0.00",
                    "0.00",
                    "0.00",
                    "",
                    "",
                    "",
                    "",
                    order.address.city,
                    order.address.state,
                    order.address.postal_code,
                    order.address.country,
                    "",
                    "false",
                    "",
                    "",
                ]
            )
    return Document(_flat_file(ORDER_COLUMNS, rows), "text/tab-separated-values; charset=UTF-8")


def seller_feedback(marketplace: Marketplace, *, at: datetime, start: datetime, end: datetime) -> Document | None:
    rows = []
    for order in marketplace.visible(at):
        feedback = order.feedback
        if feedback is None or feedback.rating > FEEDBACK_MAX_RATING or not start <= feedback.left_at <= end:
            continue
        if feedback.left_at > at or (feedback.removed_at is not None and feedback.removed_at <= at):
            continue
        rows.append(
            [feedback.left_at.strftime("%m/%d/%y"), str(feedback.rating), feedback.comment, "", order.order_id, ""]
        )
    if not rows:
        return None  # Amazon cancels a report with no data
    return Document(_flat_file(FEEDBACK_COLUMNS, rows), "text/tab-separated-values; charset=UTF-8")


# --- Account health ------------------------------------------------------------------


def _range(first: datetime, last_day_end: datetime) -> dict:
    return {
        "reportingDateFrom": first.strftime("%Y-%m-%dT%H:%MZ"),
        "reportingDateTo": last_day_end.strftime("%Y-%m-%dT%H:%MZ"),
    }


def _window(at: datetime, days: int) -> tuple[datetime, datetime]:
    end = midnight(at.date())
    return end - timedelta(days=days), end


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _status(rate: float, whole: int, target: float, condition: str) -> str:
    if not whole:
        return "NONE"
    good = rate < target if condition == "LESS_THAN" else rate > target
    return "GOOD" if good else "BAD"


def odr_figures(marketplace: Marketplace, *, at: datetime, channel: str) -> dict:
    """One channel's ODR block (``mfn`` or ``afn``) as of ``at``."""
    start, end = _window(at, ODR_WINDOW_DAYS)
    orders = [o for o in marketplace.visible(at) if o.channel == channel and start <= o.created < end]
    defective = sum(1 for o in orders if o.is_defective(at))
    rate = _rate(defective, len(orders))
    return {
        "reportingDateRange": _range(start, end - timedelta(minutes=1)),
        "orderCount": len(orders),
        "orderWithDefects": {"count": defective, "status": _status(rate, len(orders), ODR_TARGET, "LESS_THAN")},
        "claims": {"count": sum(1 for o in orders if o.has_counted_claim(at)), "status": "NONE"},
        "chargebacks": {"count": sum(1 for o in orders if o.has_counted_chargeback(at)), "status": "NONE"},
        "negativeFeedback": {"count": sum(1 for o in orders if o.has_negative_feedback(at)), "status": "NONE"},
        "fulfillmentType": channel.lower(),
        "status": _status(rate, len(orders), ODR_TARGET, "LESS_THAN"),
        "rate": rate,
        "targetValue": ODR_TARGET,
        "targetCondition": "LESS_THAN",
    }


def _metric(at: datetime, days: int, orders: list[Order], counted: Callable[[Order], bool], target, condition) -> dict:
    start, end = _window(at, days)
    part = sum(1 for o in orders if counted(o))
    rate = _rate(part, len(orders))
    return {
        "reportingDateRange": _range(start, end - timedelta(minutes=1)),
        "status": _status(rate, len(orders), target, condition),
        "rate": rate,
        "targetValue": target,
        "targetCondition": condition,
    }, part


def performance(marketplace: Marketplace, *, at: datetime) -> Document:
    odr = {"mfn": odr_figures(marketplace, at=at, channel=MFN), "afn": odr_figures(marketplace, at=at, channel=AFN)}
    mfn = [o for o in marketplace.visible(at) if o.channel == MFN]

    def within(days: int, moment: Callable[[Order], datetime | None]) -> list[Order]:
        start, end = _window(at, days)
        return [o for o in mfn if (m := moment(o)) is not None and start <= m < end]

    # FBM only (Amazon: these rates judge seller-fulfilled orders).
    shipped_30 = within(30, lambda o: o.latest_ship if o.shipped and o.shipped <= at else None)
    late, late_count = _metric(at, 30, shipped_30, lambda o: o.shipped > o.latest_ship, 0.04, "LESS_THAN")
    placed_7 = within(7, lambda o: o.created)
    cancel, cancel_count = _metric(
        at, 7, placed_7, lambda o: o.status(at) == "CANCELLED" and o.cancelled_by == "SELLER", 0.025, "LESS_THAN"
    )
    tracked_30 = [o for o in shipped_30 if o.package is not None]
    valid, valid_count = _metric(at, 30, tracked_30, lambda o: o.package.valid_tracking, 0.95, "GREATER_THAN")
    due_30 = within(30, lambda o: o.latest_delivery if o.package and o.package.valid_tracking and o.delivered else None)
    due_30 = [o for o in due_30 if o.delivered <= at]
    on_time, on_time_count = _metric(at, 30, due_30, lambda o: o.delivered <= o.latest_delivery, 0.9, "GREATER_THAN")
    units = sum(i.quantity for o in due_30 for i in o.items)
    units_on_time = sum(i.quantity for o in due_30 if o.delivered <= o.latest_delivery for i in o.items)
    unit_rate = _rate(units_on_time, units)
    invoice_start, invoice_end = _window(at, 7)
    policy_start, policy_end = _window(at, 180)

    def no_violations() -> dict:
        return {
            "reportingDateRange": _range(policy_start, policy_end - timedelta(minutes=1)),
            "defectsCount": 0,
            "status": "GOOD",
            "targetValue": 0,
            "targetCondition": "EQUALS",
        }

    bad_odr = any(block["status"] == "BAD" for block in odr.values())
    metrics = {
        "marketplaceId": marketplace.marketplace_id,
        "orderDefectRate": odr,
        "lateShipmentRate": {**late, "orderCount": len(shipped_30), "lateShipmentCount": late_count},
        "preFulfillmentCancellationRate": {**cancel, "orderCount": len(placed_7), "cancellationCount": cancel_count},
        "validTrackingRate": {**valid, "shipmentCount": len(tracked_30), "validTrackingCount": valid_count},
        "onTimeDeliveryRate": {
            **on_time,
            "shipmentCountWithValidTracking": len(due_30),
            "onTimeDeliveryCount": on_time_count,
        },
        "unitOnTimeDeliveryRate": {
            **on_time,
            "status": _status(unit_rate, units, 0.9, "GREATER_THAN"),
            "rate": unit_rate,
            "unitOnTimeDeliveryCount": units_on_time,
            "totalUnitCount": units,
        },
        "invoiceDefectRate": {
            "reportingDateRange": _range(invoice_start, invoice_end - timedelta(minutes=1)),
            "orderCount": len(placed_7),
            "invoiceDefect": {"count": 0, "status": "NONE"},
            "missingInvoice": {"count": 0, "status": "NONE"},
            "lateInvoice": {"count": 0, "status": "NONE"},
            "status": "NONE",
            "rate": 0.0,
            "targetValue": 0.05,
            "targetCondition": "LESS_THAN",
        },
        "warningStates": [],
        "accountHealthRating": {
            "ahrStatus": "WARNED" if bad_odr else "GREAT",
            "reportingDateRange": _range(policy_start, policy_end - timedelta(minutes=1)),
        },
        **{
            name: no_violations()
            for name in (
                "listingPolicyViolations",
                "productAuthenticityCustomerComplaints",
                "productConditionCustomerComplaints",
                "productSafetyCustomerComplaints",
                "receivedIntellectualPropertyComplaints",
                "restrictedProductPolicyViolations",
                "suspectedIntellectualPropertyViolations",
                "foodAndProductSafetyIssues",
                "otherPolicyViolations",
                "documentRequests",
            )
        },
    }
    document = {
        "accountStatuses": [
            {"marketplaceId": marketplace.marketplace_id, "status": "AT_RISK" if bad_odr else "NORMAL"}
        ],
        "performanceMetrics": [metrics],
    }
    validate_account_health(document)
    return Document(json.dumps(document, indent=2).encode(), "application/json")
