"""The Order Defect Rate, exactly as Amazon counts it: the one place of the formula.

Amazon (Seller Central G200285170; notes/amazon.md §1): "all orders with one or more
defects represented as a percentage of total orders during a given 60-day time period",
per seller account and separately for seller-fulfilled (FBM) and FBA orders. An order
with negative feedback *and* a claim is one defective order: we count **distinct
orders**, never a sum of the component counts. Every component rate is also counted in
orders (orders with negative feedback ÷ orders, and so on).

Time, as of a date ``as_of`` (all UTC):

- The window is ``window_days`` of *order dates* ending ``offset_days`` before ``as_of``:
  orders with ``purchased_at`` in ``[as_of - offset - window_days, as_of - offset)``, at
  midnight UTC. ``window_end`` (as Amazon's report shows it) is the last day inside.
- A defect counts when it exists by the end of the as-of day (``cutoff`` = the next
  midnight): feedback left, a claim or chargeback filed on or before ``as_of``.
- A claim or chargeback leaves the figure on the day it is decided in the seller's favour
  (``decided_at``), not before: as of an earlier date it still counted, as Amazon showed
  it then. A decision without ``decided_at`` cannot be dated and is taken as already made.
  Feedback removed by Amazon leaves on ``removed_at`` in the same way.

The unverified rules (notes/amazon.md §1) are settings, defaults stated beside them.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from reviews.models import SellerFeedback
from tickets.models import AtoZClaim, Chargeback, FulfillmentChannel, Order, SellerAccount

from .models import OrderDayCount

ALL_CHANNELS = "all"
FULFILLMENT_CHANNELS = (FulfillmentChannel.FBA.value, FulfillmentChannel.FBM.value)
CHANNELS = (*FULFILLMENT_CHANNELS, ALL_CHANNELS)

# Amazon: "maintain an ODR under 1%"; the Account Health report: targetValue 0.01, LESS_THAN.
TARGET_PERCENT = Fraction(1)
NEGATIVE_RATING_MAX = 2  # "One- and two-star ratings are considered negative."
# Defects are searched from the window's start less this slack (date-only ingest).
DEFECT_SLACK = timedelta(days=1)


class OdrStatus:
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"

    # Worse statuses rank higher; an alert fires when the rank goes up.
    RANK = {OK: 0, WARNING: 1, CRITICAL: 2}


def setting(name: str, default):
    """A metrics setting from ``django.conf.settings`` with its embedded default."""
    return getattr(settings, name, default)


def withdrawn_claims_count() -> bool:
    # UNVERIFIED whether a claim the buyer withdraws stays a defect (Amazon's list is
    # collapsed in every stored copy; Amazon Pay, another program, counts them).
    # Default False: a withdrawn claim leaves the figure like a denied one.
    return bool(setting("METRICS_ODR_WITHDRAWN_CLAIMS_COUNT", False))


def fraud_chargebacks_count() -> bool:
    # Payment-fraud chargebacks are Amazon's responsibility; that they stay out of ODR is
    # third-party only (UNVERIFIED). Default False: only service chargebacks count.
    return bool(setting("METRICS_ODR_FRAUD_CHARGEBACKS_COUNT", False))


def chargebacks_won_excluded() -> bool:
    # UNVERIFIED (no Amazon text): a chargeback decided for the seller leaves the figure.
    return bool(setting("METRICS_ODR_CHARGEBACKS_WON_EXCLUDED", True))


def warning_percent() -> Fraction:
    return Fraction(str(setting("METRICS_ODR_WARNING_PERCENT", "0.75")))


# --- Time ---------------------------------------------------------------------------


def midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class OdrWindow:
    """The order-date window and the defect cutoff of one as-of date."""

    as_of: date
    start: datetime  # first instant inside (midnight UTC)
    end: datetime  # first instant after (midnight UTC)
    cutoff: datetime  # defects that exist before this instant count

    @classmethod
    def for_account(cls, *, seller_account: SellerAccount, as_of: date) -> "OdrWindow":
        end = midnight_utc(as_of) - timedelta(days=seller_account.odr_offset_days)
        return cls(
            as_of=as_of,
            start=end - timedelta(days=seller_account.odr_window_days),
            end=end,
            cutoff=midnight_utc(as_of + timedelta(days=1)),
        )

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()


# --- The rules: which rows are counted defects as of a cutoff --------------------------
#
# Each exclusion is its own named function returning the Q of the rows it takes out, so
# the tests, the dashboard ("why does this not count?") and the formula share them.


def _decided_before(cutoff: datetime) -> Q:
    # Undated decisions are taken as made: the status is all we know.
    return Q(decided_at__isnull=True) | Q(decided_at__lt=cutoff)


def feedback_excluded_removed(*, cutoff: datetime) -> Q:
    """Amazon removed the feedback: "the impact … will be removed from your … Order Defect Rate"
    (help 20231). It counted until it was removed."""
    return Q(removed=True) & (Q(removed_at__isnull=True) | Q(removed_at__lt=cutoff))


def feedback_counted(*, cutoff: datetime) -> Q:
    """Negative seller feedback (1–2★) left by the cutoff and not removed by then."""
    return Q(rating__lte=NEGATIVE_RATING_MAX, left_at__lt=cutoff) & ~feedback_excluded_removed(cutoff=cutoff)


def claim_excluded_denied(*, cutoff: datetime) -> Q:
    """ "An A-to-z Guarantee claim that is not denied" counts (G200285170): denied ones leave."""
    return Q(status=AtoZClaim.Status.DENIED) & _decided_before(cutoff)


def claim_excluded_appeal_won(*, cutoff: datetime) -> Q:
    """ "If you win the appeal … the claim will no longer affect your ODR" (help 27951)."""
    return Q(status=AtoZClaim.Status.APPEAL_WON) & _decided_before(cutoff)


def claim_excluded_buy_shipping_protected(*, cutoff: datetime) -> Q:
    """Buy Shipping "Claims Protected": Amazon funds it and does not count it (forum, notes §1)."""
    return Q(buy_shipping_protected=True)


def claim_excluded_withdrawn(*, cutoff: datetime) -> Q:
    """Withdrawn by the buyer: leaves the figure unless METRICS_ODR_WITHDRAWN_CLAIMS_COUNT."""
    if withdrawn_claims_count():
        return Q(pk__in=[])
    return Q(status=AtoZClaim.Status.WITHDRAWN) & _decided_before(cutoff)


CLAIM_EXCLUSIONS = (
    claim_excluded_denied,
    claim_excluded_appeal_won,
    claim_excluded_buy_shipping_protected,
    claim_excluded_withdrawn,
)


def claim_counted(*, cutoff: datetime) -> Q:
    """An A-to-z claim filed by the cutoff that no exclusion takes out."""
    q = Q(filed_at__lt=cutoff)
    for exclusion in CLAIM_EXCLUSIONS:
        q &= ~exclusion(cutoff=cutoff)
    return q


def chargeback_excluded_fraud(*, cutoff: datetime) -> Q:
    """Payment-fraud chargebacks are Amazon's, unless METRICS_ODR_FRAUD_CHARGEBACKS_COUNT."""
    if fraud_chargebacks_count():
        return Q(pk__in=[])
    return ~Q(kind=Chargeback.Kind.SERVICE)


def chargeback_excluded_won(*, cutoff: datetime) -> Q:
    """Decided for the seller: leaves the figure while METRICS_ODR_CHARGEBACKS_WON_EXCLUDED."""
    if not chargebacks_won_excluded():
        return Q(pk__in=[])
    return Q(status=Chargeback.Status.DECIDED_FOR_SELLER) & _decided_before(cutoff)


CHARGEBACK_EXCLUSIONS = (chargeback_excluded_fraud, chargeback_excluded_won)


def chargeback_counted(*, cutoff: datetime) -> Q:
    """A chargeback filed by the cutoff that no exclusion takes out."""
    q = Q(filed_at__lt=cutoff)
    for exclusion in CHARGEBACK_EXCLUSIONS:
        q &= ~exclusion(cutoff=cutoff)
    return q


def counted_feedback(*, cutoff: datetime) -> QuerySet[SellerFeedback]:
    return SellerFeedback.objects.filter(feedback_counted(cutoff=cutoff))


def counted_claims(*, cutoff: datetime) -> QuerySet[AtoZClaim]:
    return AtoZClaim.objects.filter(claim_counted(cutoff=cutoff))


def counted_chargebacks(*, cutoff: datetime) -> QuerySet[Chargeback]:
    return Chargeback.objects.filter(chargeback_counted(cutoff=cutoff))


def in_window(*, seller_account: SellerAccount, channel: str, window: OdrWindow, prefix: str = "") -> Q:
    """The condition on an order (on ``<prefix>`` fields: ``order__`` from a defect row)
    of being one of the window's orders: the denominator, and the rows the defects hang off."""
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}: one of {', '.join(CHANNELS)}.")
    # "all" as IN (FBA, FBM) rather than no condition: the (account, channel, date)
    # index then answers it with two range scans instead of reading the whole account.
    channels = list(FULFILLMENT_CHANNELS) if channel == ALL_CHANNELS else [channel]
    return Q(
        **{
            f"{prefix}seller_account": seller_account,
            f"{prefix}fulfillment_channel__in": channels,
            f"{prefix}purchased_at__gte": window.start,
            f"{prefix}purchased_at__lt": window.end,
        }
    )


def window_orders(*, seller_account: SellerAccount, channel: str, window: OdrWindow) -> QuerySet[Order]:
    """The orders of the window (see :func:`in_window`)."""
    return Order.objects.filter(in_window(seller_account=seller_account, channel=channel, window=window))


# --- The figure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    orders: int
    rate: float  # percent of the window's orders


@dataclass(frozen=True)
class OdrResult:
    seller_account_id: int
    channel: str
    as_of: date
    window_start: date
    window_end: date  # the last order date inside, as Amazon's report shows it
    orders: int
    defective_orders: int
    negative_feedback: Component
    a_to_z_claims: Component
    chargebacks: Component
    recoverable_orders: int
    target: float = float(TARGET_PERCENT)
    exact: Fraction = field(default=Fraction(0), repr=False)

    @property
    def odr(self) -> float:
        return round(float(self.exact), 3)

    @property
    def status(self) -> str:
        return odr_status(self.exact)

    @property
    def headroom_orders(self) -> int:
        return odr_headroom(orders=self.orders, defective_orders=self.defective_orders)

    def as_dict(self) -> dict:
        return {
            "seller_account": self.seller_account_id,
            "channel": self.channel,
            "as_of": self.as_of.isoformat(),
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "orders": self.orders,
            "defective_orders": self.defective_orders,
            "odr": self.odr,
            "negative_feedback": {"orders": self.negative_feedback.orders, "rate": self.negative_feedback.rate},
            "a_to_z_claims": {"orders": self.a_to_z_claims.orders, "rate": self.a_to_z_claims.rate},
            "chargebacks": {"orders": self.chargebacks.orders, "rate": self.chargebacks.rate},
            "target": self.target,
            "status": self.status,
            "headroom_orders": self.headroom_orders,
            "recoverable_orders": self.recoverable_orders,
        }


def percent(numerator: int, denominator: int) -> Fraction:
    return Fraction(100 * numerator, denominator) if denominator else Fraction(0)


def odr_status(exact_percent: Fraction) -> str:
    """critical at or above the 1% target (ODR must stay *below* it), warning from the
    warning threshold (METRICS_ODR_WARNING_PERCENT, default 0.75), ok under it."""
    if exact_percent >= TARGET_PERCENT:
        return OdrStatus.CRITICAL
    if exact_percent >= warning_percent():
        return OdrStatus.WARNING
    return OdrStatus.OK


def odr_headroom(*, orders: int, defective_orders: int) -> int:
    """The largest h with (defective_orders + h) / orders strictly below the target; 0 when
    the window is already at or over it (or empty: any defect would be 100%)."""
    # (d + h) / n < t/100  <=>  100 (d + h) < t n; with t = p/q: 100 q (d + h) < p n.
    p, q = TARGET_PERCENT.numerator, TARGET_PERCENT.denominator
    max_defective = (p * orders - 1) // (100 * q) if orders else -1
    return max(max_defective - defective_orders, 0)


def _candidates(*defects: QuerySet) -> QuerySet:
    """The order ids of the defect rows: a UNION ALL the planner hashes once, then probes
    each id's order by primary key."""
    first, *others = (qs.values("order_id") for qs in defects)
    return first.union(*others, all=True)


def defective_orders(
    *, seller_account: SellerAccount, channel: str, window: OdrWindow, defects: tuple[QuerySet, ...]
) -> QuerySet[Order]:
    """The window's orders with any of ``defects`` (:func:`window_defects`): each one row."""
    return window_orders(seller_account=seller_account, channel=channel, window=window).filter(
        pk__in=_candidates(*defects)
    )


def order_counts_toward_odr(*, order: Order, seller_account: SellerAccount, as_of: date) -> bool:
    """Whether one order is a defective order of its account's window as of ``as_of``
    (the desk's "this order counts toward ODR"): inside the window, with at least one
    counted defect. One statement for the three kinds of defect."""
    window = OdrWindow.for_account(seller_account=seller_account, as_of=as_of)
    if not window.start <= order.purchased_at < window.end:
        return False
    defect = (
        Exists(counted_feedback(cutoff=window.cutoff).filter(order=OuterRef("pk")))
        | Exists(counted_claims(cutoff=window.cutoff).filter(order=OuterRef("pk")))
        | Exists(counted_chargebacks(cutoff=window.cutoff).filter(order=OuterRef("pk")))
    )
    return Order.objects.filter(defect, pk=order.pk).exists()


def window_order_count(*, seller_account: SellerAccount, channel: str, window: OdrWindow) -> Subquery:
    """The number of the window's orders (:func:`in_window`) as a scalar subquery (0 when empty).

    Summed from the per-day counts the database keeps (``OrderDayCount``: ≤ 60 rows a
    channel, plus the appended changes not yet compacted) instead of counting the orders,
    which read ~200k index entries for a big account; the window is whole UTC days, so the
    two agree exactly (tested).
    """
    channels = list(FULFILLMENT_CHANNELS) if channel == ALL_CHANNELS else [channel]
    counted = (
        OrderDayCount.objects.filter(
            seller_account=seller_account,
            fulfillment_channel__in=channels,
            day__gte=window.first_day,
            day__lte=window.last_day,
        )
        .order_by()
        .values("seller_account")
        .annotate(n=Sum("orders"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def window_defects(*, window: OdrWindow) -> tuple[QuerySet[SellerFeedback], QuerySet[AtoZClaim], QuerySet[Chargeback]]:
    """The counted feedback, claims and chargebacks that can be about the window's orders.

    Defects are looked for from the window's first day on (less a day of slack for
    date-only ingest): feedback, claims and chargebacks follow the order they are about,
    and the dated indexes on the defect tables keep that search small.
    """
    since = window.start - DEFECT_SLACK
    return (
        counted_feedback(cutoff=window.cutoff).filter(left_at__gte=since).order_by(),
        counted_claims(cutoff=window.cutoff).filter(filed_at__gte=since).order_by(),
        counted_chargebacks(cutoff=window.cutoff).filter(filed_at__gte=since).order_by(),
    )


COUNTS = ("orders", "defective_orders", "negative_feedback", "a_to_z_claims", "chargebacks", "recoverable")


def odr_compute_channels(
    *,
    seller_account: SellerAccount,
    channels: tuple[str, ...] = CHANNELS,
    as_of: date,
    window: "OdrWindow | None" = None,
) -> dict[str, OdrResult]:
    """The Order Defect Rate of one account as of a date for each of ``channels``: one
    aggregate query, however many channels.

    The query runs over the window's orders that have any counted defect (a semi-join on
    the union of the three defect tables), so every defective order is one row, however
    many defects it has: the count is of distinct orders. Per row, a membership test per
    component gives the component counts. Several channels are counted per fulfillment
    channel (``FILTER``), "all" being the sum of FBA and FBM, which share no order; one
    channel alone is counted as it is. The window's order count of each is a scalar
    subquery in the same statement. ``recoverable_orders``: defective
    orders whose only counted defects are open claims or chargebacks, which leave the
    figure if the seller wins them.
    """
    for channel in channels:
        if channel not in CHANNELS:
            raise ValueError(f"Unknown channel {channel!r}: one of {', '.join(CHANNELS)}.")
    # ``window``: another window than the account's (Amazon's own report's, to compare with it).
    window = window or OdrWindow.for_account(seller_account=seller_account, as_of=as_of)
    feedback, claims, chargebacks = window_defects(window=window)
    parts = {c: [c] if c != ALL_CHANNELS else list(FULFILLMENT_CHANNELS) for c in channels}
    needed = [c for c in FULFILLMENT_CHANNELS if any(c in p for p in parts.values())]
    orders = Order.objects.filter(
        seller_account=seller_account,
        fulfillment_channel__in=needed,
        purchased_at__gte=window.start,
        purchased_at__lt=window.end,
    )
    # Uncorrelated "id IN (…)" tests: each defect set is read once into a hash and probed
    # per defective order. (Correlated EXISTS per order measured 8 s over 220k orders.)
    has_feedback = Q(pk__in=feedback.values("order_id"))
    has_claim = Q(pk__in=claims.values("order_id"))
    has_chargeback = Q(pk__in=chargebacks.values("order_id"))
    settled_claim = Q(pk__in=claims.exclude(status__in=AtoZClaim.OPEN_STATUSES).values("order_id"))
    settled_chargeback = Q(pk__in=chargebacks.exclude(status__in=Chargeback.OPEN_STATUSES).values("order_id"))
    if len(set(channels)) == 1:
        # One channel: its own columns (no per-channel split to add up again).
        groups, parts = [channels[0]], {channels[0]: [channels[0]]}
    else:
        groups = needed
    aggregates = {}
    for c in groups:
        total = window_order_count(seller_account=seller_account, channel=c, window=window)
        in_channel = Q(fulfillment_channel=c) if len(groups) > 1 else Q()
        aggregates.update(
            {
                # MAX over the defective rows, or the subquery itself when there are none.
                f"{c}_orders": Coalesce(Max(total), total, 0),
                f"{c}_defective_orders": Count("pk", filter=in_channel or None),
                f"{c}_negative_feedback": Count("pk", filter=in_channel & has_feedback),
                f"{c}_a_to_z_claims": Count("pk", filter=in_channel & has_claim),
                f"{c}_chargebacks": Count("pk", filter=in_channel & has_chargeback),
                f"{c}_recoverable": Count(
                    "pk", filter=in_channel & ~has_feedback & ~settled_claim & ~settled_chargeback
                ),
            }
        )
    defective = orders.filter(pk__in=_candidates(feedback, claims, chargebacks))
    counts = defective.aggregate(**aggregates)
    return {
        channel: _odr_result(
            seller_account=seller_account,
            channel=channel,
            window=window,
            counts={key: sum(counts[f"{c}_{key}"] for c in parts[channel]) for key in COUNTS},
        )
        for channel in channels
    }


def odr_compute(*, seller_account: SellerAccount, channel: str, as_of: date) -> OdrResult:
    """The Order Defect Rate of one account and channel as of a date: one aggregate query
    (see :func:`odr_compute_channels`)."""
    return odr_compute_channels(seller_account=seller_account, channels=(channel,), as_of=as_of)[channel]


def _odr_result(*, seller_account: SellerAccount, channel: str, window: OdrWindow, counts: dict[str, int]) -> OdrResult:
    n = counts["orders"]

    def component(key: str) -> Component:
        return Component(orders=counts[key], rate=round(float(percent(counts[key], n)), 3))

    return OdrResult(
        seller_account_id=seller_account.pk,
        channel=channel,
        as_of=window.as_of,
        window_start=window.first_day,
        window_end=window.last_day,
        orders=n,
        defective_orders=counts["defective_orders"],
        negative_feedback=component("negative_feedback"),
        a_to_z_claims=component("a_to_z_claims"),
        chargebacks=component("chargebacks"),
        recoverable_orders=counts["recoverable"],
        exact=percent(counts["defective_orders"], n),
    )
