"""Reads of the metrics app: history, the defects behind a figure, the dashboard's data.

Every function costs a fixed number of queries, whatever the number of orders or days.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tickets.access import seller_accounts_visible_to
from tickets.models import SellerAccount

from .fulfillment import FulfillmentResult, Rate
from .models import AmazonOdr, HealthAlert, MetricSnapshot
from .odr import (
    ALL_CHANNELS,
    CHANNELS,
    FULFILLMENT_CHANNELS,
    Component,
    OdrResult,
    OdrWindow,
    defective_orders,
    percent,
    window_defects,
)
from .response_time import ResponseTimeResult

HISTORY_DAYS = 90


def odr_history(*, seller_account: SellerAccount, channel: str, days: int, until: date) -> QuerySet[MetricSnapshot]:
    """The stored ODR snapshots of the ``days`` days up to ``until``, oldest first."""
    return MetricSnapshot.objects.filter(
        seller_account=seller_account,
        metric=MetricSnapshot.Metric.ODR,
        channel=channel,
        day__gt=until - timedelta(days=days),
        day__lte=until,
    ).order_by("day")


@dataclass
class DefectCause:
    """One reason orders are defective: "A-to-z: Item not received", "Negative feedback 1★"."""

    label: str
    order_ids: list[int] = field(default_factory=list)

    @property
    def orders(self) -> int:
        return len(self.order_ids)


def defect_causes(*, seller_account: SellerAccount, channel: str, as_of: date) -> list[DefectCause]:
    """The counted defects of the window grouped by cause, most orders first (three
    queries: feedback, claims, chargebacks, each by the same rules as the ODR)."""
    window = OdrWindow.for_account(seller_account=seller_account, as_of=as_of)
    # The same defect sets as the figure (odr.window_defects), so the causes add up to it,
    # kept to the window's defective orders found as the figure finds them: a primary-key
    # probe per candidate defect, not a pass over every order of the window (363 → 89 ms
    # for the feedback of the biggest scale account).
    defects = window_defects(window=window)
    defective = defective_orders(seller_account=seller_account, channel=channel, window=window, defects=defects)
    feedback, claims, chargebacks = (qs.filter(order__in=defective.values("pk")) for qs in defects)
    causes: dict[str, set[int]] = defaultdict(set)
    for order_id, rating in feedback.values_list("order_id", "rating"):
        causes[f"Negative feedback {rating}★"].add(order_id)
    for order_id, reason in claims.values_list("order_id", "reason"):
        causes[f"A-to-z claim: {reason or 'no reason given'}"].add(order_id)
    for order_id, kind in chargebacks.values_list("order_id", "kind"):
        causes[f"Chargeback ({kind})"].add(order_id)
    ranked = sorted(causes.items(), key=lambda item: (-len(item[1]), item[0]))
    return [DefectCause(label=label, order_ids=sorted(ids, reverse=True)) for label, ids in ranked]


# The dashboard shows this many causes, each linking to at most this many of its orders.
CAUSES_SHOWN = 10
CAUSE_LINK_ORDERS = 100


def causes_as_details(causes: list[DefectCause]) -> list[dict]:
    """The top causes as stored on the day's combined ODR snapshot (``details["causes"]``):
    each with its order count and its latest orders (the dashboard's links)."""
    return [
        {"label": cause.label, "orders": cause.orders, "order_ids": cause.order_ids[:CAUSE_LINK_ORDERS]}
        for cause in causes[:CAUSES_SHOWN]
    ]


@dataclass
class StoredCause:
    label: str
    orders: int
    order_ids: list[int]  # the latest ones, at most CAUSE_LINK_ORDERS


@dataclass
class AccountHealthView:
    """What the managers' dashboard shows of one account: the figures of its latest recorded
    day (``day``, recorded at ``computed_at``), the ODR trend before it, and the alerts."""

    seller_account: SellerAccount
    as_of: date  # today: the trend runs up to it
    day: date | None  # the day of the figures; None when nothing was recorded yet
    computed_at: datetime | None
    odr: dict[str, OdrResult]
    response_time: dict[int, ResponseTimeResult]
    response_by_agent: list[dict]  # over RESPONSE_BREAKDOWN_DAYS
    response_by_team: list[dict]
    fulfillment: FulfillmentResult | None
    history: dict[str, list[tuple[date, float]]]
    causes: list[StoredCause]
    alerts: list[HealthAlert]

    @property
    def is_current(self) -> bool:
        return self.day == self.as_of


RESPONSE_BREAKDOWN_DAYS = 30

FULFILLMENT_METRICS = {
    MetricSnapshot.Metric.LATE_SHIPMENT: "late_shipment_10",
    MetricSnapshot.Metric.LATE_SHIPMENT_30: "late_shipment_30",
    MetricSnapshot.Metric.VALID_TRACKING: "valid_tracking",
    MetricSnapshot.Metric.PRE_FULFILLMENT_CANCEL: "pre_fulfillment_cancel",
    MetricSnapshot.Metric.RETURNS: "returns",
    MetricSnapshot.Metric.RETURNS_PREVENTED: "returns_prevented",
}
COMPONENT_METRICS = {
    MetricSnapshot.Metric.NEGATIVE_FEEDBACK: "negative_feedback",
    MetricSnapshot.Metric.A_TO_Z_CLAIMS: "a_to_z_claims",
    MetricSnapshot.Metric.CHARGEBACKS: "chargebacks",
}


def _odr_from_snapshots(rows: list[MetricSnapshot]) -> dict[str, OdrResult]:
    """The ODR of each recorded channel as the formula gave it, rebuilt from its rows."""
    components: dict[tuple[str, str], Component] = {
        (row.channel, COMPONENT_METRICS[row.metric]): Component(orders=row.numerator, rate=float(row.value))
        for row in rows
        if row.metric in COMPONENT_METRICS
    }
    results = {}
    for row in rows:
        if row.metric != MetricSnapshot.Metric.ODR:
            continue
        none = Component(orders=0, rate=0.0)
        results[row.channel] = OdrResult(
            seller_account_id=row.seller_account_id,
            channel=row.channel,
            as_of=row.day,
            window_start=row.window_start,
            window_end=row.window_end,
            orders=row.denominator,
            defective_orders=row.numerator,
            negative_feedback=components.get((row.channel, "negative_feedback"), none),
            a_to_z_claims=components.get((row.channel, "a_to_z_claims"), none),
            chargebacks=components.get((row.channel, "chargebacks"), none),
            recoverable_orders=row.details.get("recoverable_orders", 0),
            exact=percent(row.numerator, row.denominator),
        )
    return {channel: results[channel] for channel in CHANNELS if channel in results}


def _fulfillment_from_snapshots(rows: list[MetricSnapshot]) -> FulfillmentResult | None:
    rates = {
        FULFILLMENT_METRICS[row.metric]: Rate(
            row.numerator,
            row.denominator,
            (row.window_end - row.window_start).days + 1,
            None if row.target is None else float(row.target),
            row.target_condition,
        )
        for row in rows
        if row.metric in FULFILLMENT_METRICS
    }
    if len(rates) != len(FULFILLMENT_METRICS):
        return None
    return FulfillmentResult(seller_account_id=rows[0].seller_account_id, as_of=rows[0].day, **rates)


def _response_from_details(*, seller_account: SellerAccount, details: dict) -> dict[int, ResponseTimeResult]:
    def duration(seconds: int | None) -> timedelta | None:
        return None if seconds is None else timedelta(seconds=seconds)

    results = {}
    for days, figures in sorted(details.get("periods", {}).items(), key=lambda item: int(item[0])):
        results[int(days)] = ResponseTimeResult(
            seller_account_id=seller_account.pk,
            days=int(days),
            sla_hours=figures["sla_hours"],
            messages=figures["messages"],
            within_sla=figures["within_sla"]["messages"],
            late=figures["late"]["messages"],
            unanswered=figures["unanswered"]["messages"],
            pending=figures["pending"],
            average_response=duration(figures["average_response_seconds"]),
            median_response=duration(figures["median_response_seconds"]),
        )
    return results


def account_health(*, seller_account: SellerAccount, as_of: date | None = None) -> AccountHealthView:
    """Everything the managers' dashboard shows for one account: read from the snapshots of
    its latest recorded day up to ``as_of`` (today), recomputing nothing.

    Three queries whatever the data: the day's rows (ODR with components and causes,
    shipping rates, response tables), the ODR trend, the alerts. The figures are those of
    ``metric_snapshots_record`` (the daily task, the backfill or the dashboard's
    *Recompute now*), stamped with when they were computed.
    """
    as_of = as_of or timezone.now().date()
    latest_day = (
        MetricSnapshot.objects.filter(seller_account=seller_account, metric=MetricSnapshot.Metric.ODR, day__lte=as_of)
        .order_by("-day")
        .values("day")[:1]
    )
    rows = list(MetricSnapshot.objects.filter(seller_account=seller_account, day=Subquery(latest_day)))
    day = rows[0].day if rows else None
    history: dict[str, list[tuple[date, float]]] = {channel: [] for channel in CHANNELS}
    trend = (
        MetricSnapshot.objects.filter(
            seller_account=seller_account,
            metric=MetricSnapshot.Metric.ODR,
            day__gt=as_of - timedelta(days=HISTORY_DAYS),
            day__lte=as_of,
        )
        .order_by("day")
        .values_list("channel", "day", "value")
    )
    for channel, point_day, value in trend:
        history[channel].append((point_day, float(value)))
    by_metric = {(row.metric, row.channel): row for row in rows}
    response = by_metric.get((MetricSnapshot.Metric.RESPONSE_WITHIN_SLA, ALL_CHANNELS))
    response_details = response.details if response else {}
    odr_all = by_metric.get((MetricSnapshot.Metric.ODR, ALL_CHANNELS))
    return AccountHealthView(
        seller_account=seller_account,
        as_of=as_of,
        day=day,
        computed_at=max((row.computed_at for row in rows), default=None),
        odr=_odr_from_snapshots(rows),
        response_time=_response_from_details(seller_account=seller_account, details=response_details),
        response_by_agent=response_details.get("by_agent", []),
        response_by_team=response_details.get("by_team", []),
        fulfillment=_fulfillment_from_snapshots(rows) if rows else None,
        history=history,
        causes=[StoredCause(**cause) for cause in (odr_all.details.get("causes", []) if odr_all else [])],
        alerts=list(HealthAlert.objects.filter(seller_account=seller_account).order_by("-created_at")[:10]),
    )


def latest_odr_by_account(*, accounts: QuerySet[SellerAccount]) -> dict[tuple[int, str], MetricSnapshot]:
    """The most recent stored FBA and FBM ODR snapshot of each account, in one query."""
    recent = (
        MetricSnapshot.objects.filter(
            seller_account__in=accounts,
            metric=MetricSnapshot.Metric.ODR,
            channel__in=FULFILLMENT_CHANNELS,
            day__gte=timezone.now().date() - timedelta(days=7),
        )
        .defer("details")
        .order_by("-day")
    )
    latest: dict[tuple[int, str], MetricSnapshot] = {}
    for snapshot in recent:
        latest.setdefault((snapshot.seller_account_id, snapshot.channel), snapshot)
    return latest


@dataclass(frozen=True)
class OdrBadge:
    """The header badge of one seller account: its latest stored ODR in the channel that is
    worst off (Amazon judges seller-fulfilled and FBA orders separately, so a combined figure
    could hide an FBM rate near 1%)."""

    seller_account_id: int
    seller_account_name: str
    day: date | None  # the as-of date of the snapshot; None: never recorded
    value: Decimal | None  # percent
    status: str | None  # ok / warning / critical
    headroom_orders: int | None
    channel: str | None = None  # FBA or FBM (or "all" when neither has orders)
    # Amazon's own figure (its Account Health report) of the same channel, when connected.
    amazon_value: Decimal | None = None
    amazon_day: date | None = None


STATUS_SEVERITY = {"critical": 3, "warning": 2, "ok": 1}


def odr_badges_for(user: AbstractBaseUser) -> list[OdrBadge]:
    """For each seller account ``user`` can see (``seller_accounts_visible_to``), by name, the
    latest ODR snapshot of its worst channel: one query however many accounts (plus the user's
    permission lookup, which a request has usually made already), nothing recomputed.

    An account without any snapshot gets a badge without figures. The snapshot may be old
    (the daily task did not run): ``day`` says as of when the figure is.
    """
    latest_day = (
        MetricSnapshot.objects.filter(
            seller_account=OuterRef("pk"), metric=MetricSnapshot.Metric.ODR, channel=ALL_CHANNELS
        )
        .order_by("-day")
        .values("day")[:1]
    )
    # A LEFT JOIN on the account's snapshots of that day (the unique key's index), so an
    # account without snapshots still has its row; up to one row per channel.
    latest = FilteredRelation(
        "metric_snapshots",
        condition=Q(
            metric_snapshots__metric=MetricSnapshot.Metric.ODR,
            metric_snapshots__channel__in=CHANNELS,
            metric_snapshots__day=Subquery(latest_day),
        ),
    )
    # Amazon's own figure of the same channel (its Account Health report), in the same query.
    amazon = AmazonOdr.objects.filter(
        seller_account=OuterRef("pk"),
        channel=OuterRef("latest__channel"),
        day__gte=timezone.now().date() - timedelta(days=7),
    ).order_by("-day")
    rows = (
        seller_accounts_visible_to(user)
        .annotate(latest=latest)
        .annotate(amazon_value=Subquery(amazon.values("value")[:1]), amazon_day=Subquery(amazon.values("day")[:1]))
        .order_by("name", "pk")
        # Only the headroom out of the JSON details (the row also carries the day's causes).
        .values_list(
            "pk",
            "name",
            "latest__channel",
            "latest__denominator",
            "latest__day",
            "latest__value",
            "latest__status",
            "latest__details__headroom_orders",
            "amazon_value",
            "amazon_day",
        )
    )
    by_account: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_account[row[0]].append(row)
    badges = []
    for account_rows in by_account.values():
        pk, name = account_rows[0][:2]
        found = [row for row in account_rows if row[2] is not None]
        if not found:
            badges.append(OdrBadge(pk, name, None, None, None, None))
            continue
        # Channels without orders in the window say nothing; "all" only if neither has any.
        measured = (
            [row for row in found if row[2] != ALL_CHANNELS and row[3]]
            or [row for row in found if row[2] == ALL_CHANNELS]
            or found
        )
        _, _, channel, _, day, value, status, headroom, *_ = max(
            measured, key=lambda row: (STATUS_SEVERITY.get(row[6] or "", 0), row[5] or 0)
        )
        amazon_value, amazon_day = next((row[8:10] for row in measured if row[2] == channel), (None, None))
        badges.append(
            OdrBadge(
                pk,
                name,
                day,
                value,
                status,
                None if headroom is None else int(headroom),
                channel,
                amazon_value,
                amazon_day,
            )
        )
    return badges
