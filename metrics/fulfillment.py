"""Seller-fulfilled (FBM) shipping figures and the return rate, from order data.

Definitions (notes/amazon.md §2), each as of the start of ``as_of`` (midnight UTC), the
window being the ``days`` before it:

- Late Shipment Rate: FBM orders ship-confirmed after their ``latest_ship_date`` ÷ FBM
  orders ship-confirmed, by ship-by date in the window (10 and 30 days, target < 4%).
  Orders not shipped yet are left out until they are.
- Valid Tracking Rate: FBM orders shipped in the window (30 days) with a tracking number
  ÷ FBM orders shipped (target > 95%). Amazon also requires a carrier scan, which we do
  not receive: a present tracking number is the best we can check. Amazon's two-week lag
  is not applied (UNVERIFIED details).
- Pre-fulfillment Cancel Rate: FBM orders purchased in the window (7 days) cancelled
  before shipping, not at the buyer's request ÷ FBM orders (target < 2.5%).
- Return rate: orders of the channel purchased in the window (30 days) returned ÷ orders
  (no Amazon target).
- Tickets resolved without a return (the CSMs' "returns prevented"): of the solved or
  closed tickets opened in the window (30 days) about an order and of a kind that can end in
  a return (setup trouble, replacement part, warranty, a return request), those whose order
  was not returned by the end of the window (no target). Solved or closed is the ticket's
  status now: no solve date is kept, so a past day's figure uses today's statuses.

Two aggregate queries per call (orders, tickets).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q

from tickets.models import FulfillmentChannel, Order, SellerAccount, Ticket

from .odr import ALL_CHANNELS, midnight_utc


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    days: int
    target: float | None = None
    target_condition: str = ""  # "LESS_THAN" / "GREATER_THAN", as in Amazon's report

    @property
    def value(self) -> float:
        return round(100 * self.numerator / self.denominator, 3) if self.denominator else 0.0

    @property
    def status(self) -> str:
        if self.target is None:
            return "none"
        if not self.denominator:
            return "ok"
        if self.target_condition == "LESS_THAN":
            return "ok" if self.value < self.target else "critical"
        return "ok" if self.value > self.target else "critical"


@dataclass(frozen=True)
class FulfillmentResult:
    seller_account_id: int
    as_of: date
    late_shipment_10: Rate
    late_shipment_30: Rate
    valid_tracking: Rate
    pre_fulfillment_cancel: Rate
    returns: Rate
    returns_prevented: Rate


def fulfillment_compute(
    *, seller_account: SellerAccount, as_of: date, channel: str = ALL_CHANNELS
) -> FulfillmentResult:
    """The FBM shipping rates of an account, and the return rate of ``channel``."""
    end = midnight_utc(as_of)

    def since(days: int):
        return end - timedelta(days=days)

    fbm = Q(fulfillment_channel=FulfillmentChannel.FBM)
    shipped = Q(shipped_at__isnull=False)
    late = Q(shipped_at__gt=F("latest_ship_date"))

    def ship_by_within(days: int) -> Q:
        return fbm & shipped & Q(latest_ship_date__gte=since(days), latest_ship_date__lt=end)

    shipped_30 = fbm & Q(shipped_at__gte=since(30), shipped_at__lt=end)
    purchased_7 = fbm & Q(purchased_at__gte=since(7), purchased_at__lt=end)
    seller_cancelled = Q(cancelled_at__isnull=False, cancelled_by_buyer=False) & (
        Q(shipped_at__isnull=True) | Q(cancelled_at__lt=F("shipped_at"))
    )
    purchased_30 = Q(purchased_at__gte=since(30), purchased_at__lt=end)
    if channel != ALL_CHANNELS:
        purchased_30 &= Q(fulfillment_channel=channel)
    # Ship-by and ship dates follow the purchase within days: FBM orders of the last 90
    # days hold every row of the 30-day shipping windows (a pre-order shipped more than 60
    # days after purchase would be missed), and only the return rate reads other channels,
    # over 30 days. Every count below needs one of the two, so the scan is bounded to them:
    # two ranges of the (account, channel, date) index instead of 90 days of every channel.
    rows = Order.objects.filter(
        Q(fulfillment_channel=FulfillmentChannel.FBM, purchased_at__gte=since(90))
        | Q(fulfillment_channel__in=FulfillmentChannel.values, purchased_at__gte=since(30)),
        seller_account=seller_account,
        purchased_at__lt=end,
    )
    c = rows.aggregate(
        late_10=Count("pk", filter=ship_by_within(10) & late),
        ship_by_10=Count("pk", filter=ship_by_within(10)),
        late_30=Count("pk", filter=ship_by_within(30) & late),
        ship_by_30=Count("pk", filter=ship_by_within(30)),
        tracked=Count("pk", filter=shipped_30 & ~Q(tracking_number="")),
        shipped=Count("pk", filter=shipped_30),
        cancelled=Count("pk", filter=purchased_7 & seller_cancelled),
        purchased=Count("pk", filter=purchased_7),
        returned=Count("pk", filter=purchased_30 & Q(returned_at__isnull=False, returned_at__lt=end)),
        orders=Count("pk", filter=purchased_30),
    )
    return FulfillmentResult(
        seller_account_id=seller_account.pk,
        as_of=as_of,
        late_shipment_10=Rate(c["late_10"], c["ship_by_10"], 10, 4.0, "LESS_THAN"),
        late_shipment_30=Rate(c["late_30"], c["ship_by_30"], 30, 4.0, "LESS_THAN"),
        valid_tracking=Rate(c["tracked"], c["shipped"], 30, 95.0, "GREATER_THAN"),
        pre_fulfillment_cancel=Rate(c["cancelled"], c["purchased"], 7, 2.5, "LESS_THAN"),
        returns=Rate(c["returned"], c["orders"], 30),
        returns_prevented=returns_prevented_compute(seller_account=seller_account, as_of=as_of),
    )


# The ticket kinds whose trouble can end in a return: what a CSM's answer can prevent.
RETURN_RISK_KINDS = (Ticket.Kind.SETUP, Ticket.Kind.REPLACEMENT_PART, Ticket.Kind.WARRANTY, Ticket.Kind.RETURN)
RESOLVED_STATUSES = (Ticket.Status.SOLVED, Ticket.Status.CLOSED)


def returns_prevented_compute(*, seller_account: SellerAccount, as_of: date, days: int = 30) -> Rate:
    """Tickets resolved without a return ÷ tickets resolved, of the return-risk kinds opened
    in the ``days`` before ``as_of`` (see the module's definition)."""
    end = midnight_utc(as_of)
    resolved = Ticket.objects.filter(
        seller_account=seller_account,
        kind__in=RETURN_RISK_KINDS,
        status__in=RESOLVED_STATUSES,
        order__isnull=False,
        created_at__gte=end - timedelta(days=days),
        created_at__lt=end,
    )
    c = resolved.aggregate(
        resolved=Count("pk"),
        kept=Count("pk", filter=Q(order__returned_at__isnull=True) | Q(order__returned_at__gte=end)),
    )
    return Rate(c["kept"], c["resolved"], days)
