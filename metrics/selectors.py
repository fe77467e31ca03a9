"""Reads of the metrics app: history, the defects behind a figure, the dashboard's data.

Every function costs a fixed number of queries, whatever the number of orders or days.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tickets.models import SellerAccount

from .fulfillment import FulfillmentResult, fulfillment_compute
from .models import HealthAlert, MetricSnapshot
from .odr import (
    ALL_CHANNELS,
    CHANNELS,
    OdrResult,
    OdrWindow,
    counted_chargebacks,
    counted_claims,
    counted_feedback,
    odr_compute,
    window_orders,
)
from .response_time import RESPONSE_TIME_DAYS, ResponseTimeResult, response_times_compute

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
    orders = window_orders(seller_account=seller_account, channel=channel, window=window).values("pk")
    causes: dict[str, set[int]] = defaultdict(set)
    for order_id, rating in (
        counted_feedback(cutoff=window.cutoff).filter(order__in=orders).values_list("order_id", "rating")
    ):
        causes[f"Negative feedback {rating}★"].add(order_id)
    for order_id, reason in (
        counted_claims(cutoff=window.cutoff).filter(order__in=orders).values_list("order_id", "reason")
    ):
        causes[f"A-to-z claim: {reason or 'no reason given'}"].add(order_id)
    for order_id, kind in (
        counted_chargebacks(cutoff=window.cutoff).filter(order__in=orders).values_list("order_id", "kind")
    ):
        causes[f"Chargeback ({kind})"].add(order_id)
    ranked = sorted(causes.items(), key=lambda item: (-len(item[1]), item[0]))
    return [DefectCause(label=label, order_ids=sorted(ids, reverse=True)) for label, ids in ranked]


@dataclass
class AccountHealthView:
    seller_account: SellerAccount
    as_of: date
    odr: dict[str, OdrResult]
    response_time: dict[int, ResponseTimeResult]
    fulfillment: FulfillmentResult
    history: dict[str, list[MetricSnapshot]]
    causes: list[DefectCause]
    alerts: list[HealthAlert]

    @property
    def defect_cause_orders(self) -> int:
        return len({pk for cause in self.causes for pk in cause.order_ids})


def account_health(*, seller_account: SellerAccount, as_of: date | None = None) -> AccountHealthView:
    """Everything the managers' dashboard shows for one account, now."""
    now = timezone.now()
    as_of = as_of or now.date()
    history: dict[str, list[MetricSnapshot]] = {channel: [] for channel in CHANNELS}
    snapshots = MetricSnapshot.objects.filter(
        seller_account=seller_account,
        metric=MetricSnapshot.Metric.ODR,
        day__gt=as_of - timedelta(days=HISTORY_DAYS),
        day__lte=as_of,
    ).order_by("day")
    for snapshot in snapshots:
        history[snapshot.channel].append(snapshot)
    return AccountHealthView(
        seller_account=seller_account,
        as_of=as_of,
        odr={c: odr_compute(seller_account=seller_account, channel=c, as_of=as_of) for c in CHANNELS},
        response_time=response_times_compute(seller_account=seller_account, periods=RESPONSE_TIME_DAYS, now=now),
        fulfillment=fulfillment_compute(seller_account=seller_account, as_of=as_of),
        history=history,
        causes=defect_causes(seller_account=seller_account, channel=ALL_CHANNELS, as_of=as_of),
        alerts=list(HealthAlert.objects.filter(seller_account=seller_account).order_by("-created_at")[:10]),
    )


def latest_odr_by_account(*, accounts: QuerySet[SellerAccount]) -> dict[tuple[int, str], MetricSnapshot]:
    """The most recent stored ODR snapshot of each (account, channel), in one query."""
    recent = MetricSnapshot.objects.filter(
        seller_account__in=accounts,
        metric=MetricSnapshot.Metric.ODR,
        day__gte=timezone.now().date() - timedelta(days=7),
    ).order_by("-day")
    latest: dict[tuple[int, str], MetricSnapshot] = {}
    for snapshot in recent:
        latest.setdefault((snapshot.seller_account_id, snapshot.channel), snapshot)
    return latest
