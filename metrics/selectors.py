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
    defective_orders,
    odr_compute_channels,
    window_defects,
)
from .response_time import RESPONSE_TIME_DAYS, ResponseTimeResult, response_figures

AGENT_DAYS = 30

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


@dataclass
class AccountHealthView:
    seller_account: SellerAccount
    as_of: date
    odr: dict[str, OdrResult]
    response_time: dict[int, ResponseTimeResult]
    response_by_agent: list[dict]  # over AGENT_DAYS
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
    response_time, response_by_agent = response_figures(
        seller_account=seller_account, periods=RESPONSE_TIME_DAYS, agent_days=AGENT_DAYS, now=now
    )
    return AccountHealthView(
        seller_account=seller_account,
        as_of=as_of,
        odr=odr_compute_channels(seller_account=seller_account, channels=CHANNELS, as_of=as_of),
        response_time=response_time,
        response_by_agent=response_by_agent,
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
