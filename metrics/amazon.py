"""Amazon's own Order Defect Rate beside the desk's: the intake of Amazon's Account Health
report (``amazon_odr_record``), the reconciliation of the two, and the managers' alert when
they differ by more than one defective order.

The desk cannot see everything Amazon counts: the SP-API has no A-to-z claims or chargebacks
(they reach the desk by e-mail notices or the REST API), feedback on orders the desk has not
synced cannot be stored, and Amazon may have removed feedback the desk still counts. So the
two figures are compared over **Amazon's** window and defect instant (the report's), and the
difference is explained component by component in words a manager can act on.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tickets.models import SellerAccount

from .models import AmazonOdr, HealthAlert
from .odr import FULFILLMENT_CHANNELS, OdrResult, OdrWindow, midnight_utc, odr_compute_channels

# Amazon's names of the channels in the report.
REPORT_CHANNELS = {"afn": "FBA", "mfn": "FBM"}
# More than this many defective orders apart: the managers are told.
GAP_ALERT_ORDERS = 1


class ReportUnreadable(ValueError):
    """The document is not an Account Health report the desk can read."""


@dataclass(frozen=True)
class AmazonOdrFigures:
    channel: str
    window_start: date
    window_end: date
    orders: int
    defective_orders: int
    negative_feedback: int
    a_to_z_claims: int
    chargebacks: int
    rate: float  # a fraction, as Amazon gives it
    status: str

    @property
    def day(self) -> date:
        return self.window_end + timedelta(days=1)


def _count(block: dict, name: str) -> int:
    value = (block.get(name) or {}).get("count", 0)
    return int(value) if isinstance(value, int | float) and value >= 0 else 0


def performance_report_figures(document: dict, *, marketplace_id: str) -> tuple[list[AmazonOdrFigures], str]:
    """Amazon's ODR per channel out of an Account Health report (schema
    accountHealthReport-2020-11-18), for one marketplace; and the account's status there."""
    if not isinstance(document, dict):
        raise ReportUnreadable("The Account Health report is not a JSON object.")
    metrics = [m for m in document.get("performanceMetrics") or [] if isinstance(m, dict)]
    mine = next((m for m in metrics if m.get("marketplaceId") == marketplace_id), None)
    if mine is None:
        raise ReportUnreadable(f"The Account Health report has no figures for marketplace {marketplace_id}.")
    statuses = [s for s in document.get("accountStatuses") or [] if isinstance(s, dict)]
    account_status = next((s.get("status", "") for s in statuses if s.get("marketplaceId") == marketplace_id), "")
    figures = []
    for key, channel in REPORT_CHANNELS.items():
        block = (mine.get("orderDefectRate") or {}).get(key)
        if not isinstance(block, dict):
            continue
        dates = block.get("reportingDateRange") or {}
        start, end = (
            parse_datetime(dates.get("reportingDateFrom") or ""),
            parse_datetime(dates.get("reportingDateTo") or ""),
        )
        if start is None or end is None:
            raise ReportUnreadable(f"The {key} Order Defect Rate has no reporting dates.")
        figures.append(
            AmazonOdrFigures(
                channel=channel,
                window_start=start.date(),
                window_end=end.date(),
                orders=max(0, int(block.get("orderCount") or 0)),
                defective_orders=_count(block, "orderWithDefects"),
                negative_feedback=_count(block, "negativeFeedback"),
                a_to_z_claims=_count(block, "claims"),
                chargebacks=_count(block, "chargebacks"),
                rate=float(block.get("rate") or 0),
                status=str(block.get("status") or "NONE")[:8],
            )
        )
    return figures, str(account_status)[:20]


def desk_odr_over(*, seller_account: SellerAccount, figures: AmazonOdrFigures, at: datetime) -> OdrResult:
    """The desk's ODR of the channel over Amazon's window, with the defects that existed at
    ``at`` (when Amazon made its report)."""
    window = OdrWindow(
        as_of=figures.day,
        start=midnight_utc(figures.window_start),
        end=midnight_utc(figures.day),
        cutoff=at,
    )
    return odr_compute_channels(
        seller_account=seller_account, channels=(figures.channel,), as_of=figures.day, window=window
    )[figures.channel]


def odr_gap_reasons(*, amazon: AmazonOdrFigures, desk: OdrResult) -> list[str]:
    """Why the desk's figure differs from Amazon's, as far as the desk can tell."""
    reasons = []
    orders = amazon.orders - desk.orders
    if orders > 0:
        reasons.append(
            f"{orders} order{'s' if orders != 1 else ''} in Amazon's window "
            f"{'are' if orders != 1 else 'is'} not in the desk (not synced yet)."
        )
    elif orders < 0:
        reasons.append(
            f"The desk has {-orders} order{'s' if orders != -1 else ''} in the window that Amazon does not count."
        )
    components = (
        ("negative_feedback", "negative feedback", "feedback on orders not synced, or not read yet"),
        ("a_to_z_claims", "A-to-z claims", "Amazon's API gives no claims: they come by e-mail notice or the REST API"),
        ("chargebacks", "chargebacks", "Amazon's API gives no chargebacks: they come by the REST API"),
    )
    for name, label, why in components:
        difference = getattr(amazon, name) - getattr(desk, name).orders
        orders = f"{abs(difference)} order{'s' if abs(difference) != 1 else ''} with {label}"
        if difference > 0:
            reasons.append(f"Amazon counts {orders} the desk does not know ({why}).")
        elif difference < 0:
            reasons.append(
                f"The desk counts {orders} that Amazon does not "
                "(removed, decided for the seller, or not counted by Amazon)."
            )
    return reasons


@transaction.atomic
def amazon_odr_record(
    *, seller_account: SellerAccount, document: dict, report_id: str, reported_at: datetime
) -> list[AmazonOdr]:
    """Store Amazon's ODR of each channel for the report's day (one row per account, channel
    and day: a second read of the same day replaces it), with the desk's figures over the
    same window and the reasons they differ; alert managers of a gap over one defective order.

    ``reported_at``: when Amazon made the report (the defects it counted existed then)."""
    figures, account_status = performance_report_figures(document, marketplace_id=seller_account.marketplace_id)
    now = timezone.now()
    rows = []
    for amazon in figures:
        desk = desk_odr_over(seller_account=seller_account, figures=amazon, at=reported_at)
        gap = amazon.defective_orders - desk.defective_orders
        details = {
            "desk": {
                "orders": desk.orders,
                "defective_orders": desk.defective_orders,
                "odr": round(desk.odr, 3),
                "negative_feedback": desk.negative_feedback.orders,
                "a_to_z_claims": desk.a_to_z_claims.orders,
                "chargebacks": desk.chargebacks.orders,
            },
            "defect_gap": gap,
            "reasons": odr_gap_reasons(amazon=amazon, desk=desk),
        }
        row, _ = AmazonOdr.objects.update_or_create(
            seller_account=seller_account,
            channel=amazon.channel,
            day=amazon.day,
            defaults={
                "window_start": amazon.window_start,
                "window_end": amazon.window_end,
                "orders": amazon.orders,
                "defective_orders": amazon.defective_orders,
                "negative_feedback": amazon.negative_feedback,
                "a_to_z_claims": amazon.a_to_z_claims,
                "chargebacks": amazon.chargebacks,
                "value": (Decimal(str(amazon.rate)) * 100).quantize(Decimal("0.001")),
                "amazon_status": amazon.status,
                "account_status": account_status,
                "report_id": report_id[:64],
                "fetched_at": now,
                "details": details,
            },
        )
        rows.append(row)
        if abs(gap) > GAP_ALERT_ORDERS:
            amazon_gap_alert_raise(amazon=row, desk=desk)
    return rows


def amazon_gap_alert_raise(*, amazon: AmazonOdr, desk: OdrResult) -> HealthAlert | None:
    """One alert a day per account and channel: the desk's ODR and Amazon's differ by more
    than one defective order. Mailed to the managers after commit (``health_alert_notify``)."""
    from .services import _decimal, _notify_later

    gap = amazon.details["defect_gap"]
    message = (
        f"{amazon.channel}: Amazon counts {amazon.defective_orders} defective of {amazon.orders} orders "
        f"({amazon.value}%), the desk {desk.defective_orders} of {desk.orders} ({desk.odr:.3f}%), "
        f"{amazon.window_start}–{amazon.window_end}. " + " ".join(amazon.details["reasons"])
    )
    alert, created = HealthAlert.objects.get_or_create(
        seller_account_id=amazon.seller_account_id,
        channel=amazon.channel,
        kind=HealthAlert.Kind.AMAZON_GAP,
        day=amazon.day,
        defaults={
            "status": desk.status,
            "odr": _decimal(desk.odr),
            "headroom_orders": gap,
            "message": message,
            "created_at": timezone.now(),
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda pk=alert.pk: _notify_later(pk))
    return alert


def amazon_odr_latest(*, seller_account: SellerAccount, as_of: date) -> dict[str, AmazonOdr]:
    """Amazon's ODR rows of the latest day up to ``as_of``, by channel (one query)."""
    rows = list(
        AmazonOdr.objects.filter(seller_account=seller_account, day__lte=as_of, day__gt=as_of - timedelta(days=7))
        .order_by("-day", "channel")
        .defer("report_id")
    )
    latest = rows[0].day if rows else None
    return {row.channel: row for row in rows if row.day == latest}


def _worst(statuses: list[str]) -> str:
    return next((s for s in ("BAD", "GOOD") if s in statuses), "NONE")


def amazon_odr_as_dict(rows: dict[str, AmazonOdr], channel: str) -> dict | None:
    """Amazon's figure for ``channel`` (FBA, FBM, or "all": both added up) for the API."""
    chosen = [rows[c] for c in FULFILLMENT_CHANNELS if c in rows] if channel == "all" else [rows.get(channel)]
    chosen = [row for row in chosen if row is not None]
    if not chosen:
        return None

    def total(name: str) -> int:
        return sum(getattr(row, name) for row in chosen)

    orders, defective = total("orders"), total("defective_orders")
    reasons = [reason for row in chosen for reason in row.details.get("reasons", [])]
    return {
        "channel": channel,
        "day": chosen[0].day,
        "window_start": chosen[0].window_start,
        "window_end": chosen[0].window_end,
        "orders": orders,
        "defective_orders": defective,
        "odr": chosen[0].value if len(chosen) == 1 else round(Decimal(100 * defective) / (orders or 1), 3),
        "negative_feedback": total("negative_feedback"),
        "a_to_z_claims": total("a_to_z_claims"),
        "chargebacks": total("chargebacks"),
        "status": _worst([row.amazon_status for row in chosen]),
        "account_status": chosen[0].account_status,
        "desk_defective_orders": sum(row.details.get("desk", {}).get("defective_orders", 0) for row in chosen),
        "defect_gap": sum(row.details.get("defect_gap", 0) for row in chosen),
        "reasons": reasons,
        "fetched_at": max(row.fetched_at for row in chosen),
    }
