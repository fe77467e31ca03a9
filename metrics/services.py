"""Writes of the metrics app: daily snapshots, ODR alerts and their notification.

Snapshots are upserts keyed by (account, metric, channel, day): recomputing a day, from
the daily task, the backfill command or by hand, gives the same rows. Alerts are raised
once per (account, channel, kind, day), written first and mailed after commit.
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tickets.manager_mail import alert_mail_managers_once
from tickets.models import FulfillmentChannel, SellerAccount

from .fulfillment import Rate, fulfillment_compute
from .models import HealthAlert, MetricSnapshot
from .odr import ALL_CHANNELS, CHANNELS, OdrResult, OdrStatus, midnight_utc, odr_compute_channels, setting
from .response_time import RESPONSE_TIME_DAYS, response_figures
from .selectors import causes_as_details, defect_causes

logger = logging.getLogger(__name__)

SNAPSHOT_KEY = ["seller_account", "metric", "channel", "day"]
SNAPSHOT_VALUES = [
    "value",
    "target",
    "target_condition",
    "status",
    "numerator",
    "denominator",
    "window_start",
    "window_end",
    "details",
    "computed_at",
]
# Amazon judges ODR per channel; the combined figure is ours, so it raises no alert.
ALERT_CHANNELS = (FulfillmentChannel.FBA.value, FulfillmentChannel.FBM.value)
RESPONSE_TIME_SNAPSHOT_DAYS = 30


def headroom_alert_orders() -> int:
    # Below this many orders of headroom managers hear about it (METRICS_ODR_HEADROOM_ALERT_ORDERS).
    return int(setting("METRICS_ODR_HEADROOM_ALERT_ORDERS", 2))


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"))


def _odr_snapshots(result: OdrResult, *, computed_at) -> list[MetricSnapshot]:
    common = {
        "seller_account_id": result.seller_account_id,
        "channel": result.channel,
        "day": result.as_of,
        "denominator": result.orders,
        "window_start": result.window_start,
        "window_end": result.window_end,
        "computed_at": computed_at,
    }
    rows = [
        MetricSnapshot(
            metric=MetricSnapshot.Metric.ODR,
            value=_decimal(result.odr),
            target=_decimal(result.target),
            target_condition=MetricSnapshot.TargetCondition.LESS_THAN,
            status=result.status,
            numerator=result.defective_orders,
            details={"headroom_orders": result.headroom_orders, "recoverable_orders": result.recoverable_orders},
            **common,
        )
    ]
    for metric, component in (
        (MetricSnapshot.Metric.NEGATIVE_FEEDBACK, result.negative_feedback),
        (MetricSnapshot.Metric.A_TO_Z_CLAIMS, result.a_to_z_claims),
        (MetricSnapshot.Metric.CHARGEBACKS, result.chargebacks),
    ):
        rows.append(
            MetricSnapshot(
                metric=metric,
                value=_decimal(component.rate),
                target=None,
                target_condition="",
                status=MetricSnapshot.Status.NONE,
                numerator=component.orders,
                details={},
                **common,
            )
        )
    return rows


def _rate_snapshot(
    rate: Rate, *, metric: str, seller_account: SellerAccount, channel: str, day: date, end: date, computed_at
) -> MetricSnapshot:
    return MetricSnapshot(
        seller_account_id=seller_account.pk,
        channel=channel,
        metric=metric,
        day=day,
        value=_decimal(rate.value),
        target=None if rate.target is None else _decimal(rate.target),
        target_condition=rate.target_condition,
        status=rate.status,
        numerator=rate.numerator,
        denominator=rate.denominator,
        window_start=end - timedelta(days=rate.days),
        window_end=end - timedelta(days=1),
        details={},
        computed_at=computed_at,
    )


def metric_snapshots_record(*, seller_account: SellerAccount, day: date, alert: bool = True) -> list[MetricSnapshot]:
    """Compute every figure of ``seller_account`` as of ``day`` and upsert its snapshots.

    The rows also keep what the managers' dashboard shows beside the figures, so that it
    reads them instead of recomputing: the response times per period, agent and team (on the
    ``response_within_sla`` row) and the top defect causes (on the combined ODR row).

    With ``alert`` the ODR of each channel is compared with the account's previous
    snapshot and managers are warned when it got worse (``health_alerts_raise``).
    """
    computed_at = timezone.now()
    results = odr_compute_channels(seller_account=seller_account, channels=CHANNELS, as_of=day)
    if alert:
        previous = _previous_odr_snapshots(seller_account=seller_account, day=day)
    rows = [row for result in results.values() for row in _odr_snapshots(result, computed_at=computed_at)]

    fulfillment = fulfillment_compute(seller_account=seller_account, as_of=day)
    common = {"seller_account": seller_account, "day": day, "end": day, "computed_at": computed_at}
    fbm = MetricSnapshot.Channel.FBM
    rows += [
        _rate_snapshot(fulfillment.late_shipment_10, metric=MetricSnapshot.Metric.LATE_SHIPMENT, channel=fbm, **common),
        _rate_snapshot(
            fulfillment.late_shipment_30, metric=MetricSnapshot.Metric.LATE_SHIPMENT_30, channel=fbm, **common
        ),
        _rate_snapshot(fulfillment.valid_tracking, metric=MetricSnapshot.Metric.VALID_TRACKING, channel=fbm, **common),
        _rate_snapshot(
            fulfillment.pre_fulfillment_cancel,
            metric=MetricSnapshot.Metric.PRE_FULFILLMENT_CANCEL,
            channel=fbm,
            **common,
        ),
        _rate_snapshot(fulfillment.returns, metric=MetricSnapshot.Metric.RETURNS, channel="all", **common),
        _rate_snapshot(
            fulfillment.returns_prevented, metric=MetricSnapshot.Metric.RETURNS_PREVENTED, channel="all", **common
        ),
    ]
    # As of a past day the response figures stop at its end; today they stop now.
    now = min(midnight_utc(day + timedelta(days=1)), computed_at)
    response = response_figures(
        seller_account=seller_account, periods=RESPONSE_TIME_DAYS, breakdown_days=RESPONSE_TIME_SNAPSHOT_DAYS, now=now
    )
    within = response.periods[RESPONSE_TIME_SNAPSHOT_DAYS]
    response_row = _rate_snapshot(
        Rate(within.within_sla, within.messages, RESPONSE_TIME_SNAPSHOT_DAYS),
        metric=MetricSnapshot.Metric.RESPONSE_WITHIN_SLA,
        channel="all",
        **{**common, "end": day + timedelta(days=1)},
    )
    # The dashboard's response tables as they were at ``now`` (metrics.selectors.account_health).
    response_row.details = {
        "now": now.isoformat(),
        "periods": {str(days): result.as_dict() for days, result in response.periods.items()},
        "by_agent": response.by_agent,
        "by_team": response.by_team,
    }
    rows.append(response_row)
    # The dashboard's top defect causes of the day, on the combined ODR row.
    causes = defect_causes(seller_account=seller_account, channel=ALL_CHANNELS, as_of=day)
    odr_all = next(r for r in rows if r.metric == MetricSnapshot.Metric.ODR and r.channel == ALL_CHANNELS)
    odr_all.details = {**odr_all.details, "causes": causes_as_details(causes)}
    with transaction.atomic():
        MetricSnapshot.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=SNAPSHOT_KEY, update_fields=SNAPSHOT_VALUES
        )
        if alert:
            for channel in ALERT_CHANNELS:
                health_alerts_raise(result=results[channel], previous=previous.get(channel))
    return rows


def _previous_odr_snapshots(*, seller_account: SellerAccount, day: date) -> dict[str, MetricSnapshot]:
    """The latest ODR snapshot before ``day`` of each channel (one query)."""
    latest = {}
    snapshots = MetricSnapshot.objects.filter(
        seller_account=seller_account,
        metric=MetricSnapshot.Metric.ODR,
        day__lt=day,
        day__gte=day - timedelta(days=7),
    ).order_by("-day")
    for snapshot in snapshots:
        latest.setdefault(snapshot.channel, snapshot)
    return latest


def health_alerts_raise(*, result: OdrResult, previous: MetricSnapshot | None) -> list[HealthAlert]:
    """Warn managers when the ODR status got worse than the previous snapshot (no previous
    snapshot counts as ok), or when the headroom fell below the threshold.

    Each alert is one row per (account, channel, kind, day), mailed once after commit;
    a worsened status also goes to ``odr_status_changed_emit``.
    """
    previous_status = previous.status if previous else OdrStatus.OK
    previous_headroom = previous.headroom_orders if previous and previous.headroom_orders is not None else None
    threshold = headroom_alert_orders()
    kinds = []
    if OdrStatus.RANK[result.status] > OdrStatus.RANK.get(previous_status, 0):
        kinds.append(HealthAlert.Kind.STATUS_WORSENED)
    headroom_was_fine = previous_headroom is None or previous_headroom >= threshold
    if result.orders and result.headroom_orders < threshold and headroom_was_fine:
        kinds.append(HealthAlert.Kind.HEADROOM_LOW)
    alerts = []
    for kind in kinds:
        alert, created = HealthAlert.objects.get_or_create(
            seller_account_id=result.seller_account_id,
            channel=result.channel,
            kind=kind,
            day=result.as_of,
            defaults={
                "previous_status": previous_status,
                "status": result.status,
                "odr": _decimal(result.odr),
                "headroom_orders": result.headroom_orders,
                "message": _alert_message(kind=kind, result=result, previous_status=previous_status),
                "created_at": timezone.now(),
            },
        )
        if not created and not _alert_escalated(alert, result=result):
            continue
        alerts.append(alert)
        transaction.on_commit(lambda pk=alert.pk: _notify_later(pk))
        if kind == HealthAlert.Kind.STATUS_WORSENED:
            odr_status_changed_emit(alert=alert)
    return alerts


def _alert_escalated(alert: HealthAlert, *, result: OdrResult) -> bool:
    """The day's status alert, raised earlier today, when the ODR got worse again since
    (warning this morning, critical by the hourly run this afternoon): it takes the new
    figures and is mailed again. A headroom alert, or no change for the worse, stays as is."""
    worse = OdrStatus.RANK[result.status] > OdrStatus.RANK.get(alert.status, 0)
    if alert.kind != HealthAlert.Kind.STATUS_WORSENED or not worse:
        return False
    alert.status = result.status
    alert.odr = _decimal(result.odr)
    alert.headroom_orders = result.headroom_orders
    alert.message = _alert_message(kind=alert.kind, result=result, previous_status=alert.previous_status)
    alert.notified_at, alert.recipients = None, ""  # mail the new figures (claimed again by the task)
    alert.save(update_fields=["status", "odr", "headroom_orders", "message", "notified_at", "recipients"])
    return True


def _notify_later(alert_id: int) -> None:
    from .tasks import notify_health_alert

    notify_health_alert.delay(alert_id)


def _alert_message(*, kind: str, result: OdrResult, previous_status: str) -> str:
    figure = (
        f"{result.channel} Order Defect Rate {result.odr:.2f}% ({result.defective_orders} of {result.orders} "
        f"orders, {result.window_start}–{result.window_end}); headroom {result.headroom_orders} orders"
    )
    if kind == HealthAlert.Kind.STATUS_WORSENED:
        return f"Status {previous_status} → {result.status}: {figure}."
    return f"Headroom below {headroom_alert_orders()} orders: {figure}."


def odr_status_changed_emit(*, alert: HealthAlert) -> None:
    """The ``odr.status_changed`` webhook event (api-contract.md, "Events out"): an outbox
    row per subscriber, posted by Celery after the transaction that records ``alert``."""
    from api.webhooks import webhook_emit

    webhook_emit(
        event="odr.status_changed",
        seller_account=alert.seller_account,
        payload={
            "channel": alert.channel,
            "kind": alert.kind,
            "day": alert.day,
            "previous_status": alert.previous_status,
            "status": alert.status,
            "odr": alert.odr,
            "headroom_orders": alert.headroom_orders,
        },
    )


def health_alert_notify(*, alert_id: int) -> bool:
    """Email the alert to every active manager with an address, once.

    The row is claimed with a conditional UPDATE so two workers never mail it twice; a
    failed send releases the claim so that the task's retry can try again.
    """
    return alert_mail_managers_once(
        model=HealthAlert,
        alert_id=alert_id,
        related=("seller_account",),
        compose=lambda alert: (
            f"[CSM Desk] {alert.get_kind_display()}: {alert.seller_account.name} {alert.channel}",
            f"{alert.seller_account}\n\n{alert.message}\n",
        ),
    )


def metric_snapshots_backfill(*, days: int, until: date | None = None, accounts=None) -> int:
    """Record the snapshots of the last ``days`` days up to ``until`` (today), without alerts:
    history is not news. Returns the number of (account, day) pairs computed."""
    until = until or timezone.now().date()
    accounts = list(accounts if accounts is not None else SellerAccount.objects.all())
    count = 0
    for offset in range(days - 1, -1, -1):
        day = until - timedelta(days=offset)
        for account in accounts:
            metric_snapshots_record(seller_account=account, day=day, alert=False)
            count += 1
    return count
