"""The trend alert: a complaint theme whose share of a product's reviews rises over the
product's own baseline, so the listing team hears of it before the rating moves.

Rule (settings, with defaults): over the last ``INSIGHT_RECENT_DAYS`` (30) days, the share of
the product's reviews that the desk read as a complaint of the theme is at least
``INSIGHT_RISE_POINTS`` (10) percentage points above its share in the ``INSIGHT_BASELINE_DAYS``
(180) before, and at least ``INSIGHT_RISE_FACTOR`` (1.5) times it, from at least
``INSIGHT_MIN_MATCHES`` (3) such reviews; the baseline needs ``INSIGHT_MIN_BASELINE`` (10) reviews
(a new product has no baseline of its own to rise over). One alert per product, theme and day;
a theme alerted within the recent window is not alerted again until it has fallen back.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from tickets.manager_mail import alert_mail_managers_once

from .models import InsightAlert, ProductReview, ReviewTheme, ReviewThemeMatch, ThemePolarity


@dataclass(frozen=True)
class Rise:
    product_id: int
    theme_id: int
    recent_reviews: int
    recent_matches: int
    baseline_reviews: int
    baseline_matches: int

    @property
    def recent_share(self) -> float:
        return self.recent_matches / self.recent_reviews if self.recent_reviews else 0.0

    @property
    def baseline_share(self) -> float:
        return self.baseline_matches / self.baseline_reviews if self.baseline_reviews else 0.0


def _windows(now: datetime) -> tuple[datetime, datetime]:
    recent = now - timedelta(days=settings.INSIGHT_RECENT_DAYS)
    return recent, recent - timedelta(days=settings.INSIGHT_BASELINE_DAYS)


def rising_themes(*, now: datetime, product_ids: list[int] | None = None) -> list[Rise]:
    """Every (product, complaint theme) rising over its baseline at ``now``. Two queries,
    whatever the number of products and reviews."""
    recent_start, baseline_start = _windows(now)
    reviews = ProductReview.objects.filter(reviewed_at__gte=baseline_start, reviewed_at__lt=now)
    if product_ids is not None:
        reviews = reviews.filter(product_id__in=product_ids)
    totals = {
        row["product_id"]: (row["recent"], row["baseline"])
        for row in reviews.values("product_id")
        .annotate(
            recent=Count("pk", filter=Q(reviewed_at__gte=recent_start)),
            baseline=Count("pk", filter=Q(reviewed_at__lt=recent_start)),
        )
        .order_by()
    }
    matches = (
        ReviewThemeMatch.objects.filter(review__in=reviews, polarity=ThemePolarity.COMPLAINT, theme__is_active=True)
        .values("review__product_id", "theme_id")
        .annotate(
            recent=Count("review_id", filter=Q(review__reviewed_at__gte=recent_start), distinct=True),
            baseline=Count("review_id", filter=Q(review__reviewed_at__lt=recent_start), distinct=True),
        )
        .order_by()
    )
    rises = []
    for row in matches:
        recent_reviews, baseline_reviews = totals.get(row["review__product_id"], (0, 0))
        rise = Rise(
            row["review__product_id"], row["theme_id"], recent_reviews, row["recent"], baseline_reviews, row["baseline"]
        )
        if _is_rising(rise):
            rises.append(rise)
    return rises


def _is_rising(rise: Rise) -> bool:
    if rise.recent_matches < settings.INSIGHT_MIN_MATCHES or rise.baseline_reviews < settings.INSIGHT_MIN_BASELINE:
        return False
    points = 100 * (rise.recent_share - rise.baseline_share)
    return (
        points >= settings.INSIGHT_RISE_POINTS
        and rise.recent_share >= settings.INSIGHT_RISE_FACTOR * rise.baseline_share
    )


def insight_alerts_raise(*, now: datetime | None = None, product_ids: list[int] | None = None) -> list[InsightAlert]:
    """Record an alert for each newly rising theme, mail it to managers after commit and send
    the ``insight.rising`` webhook. A theme already alerted within the recent window is not
    alerted again."""
    from api.webhooks import webhook_emit

    now = now or timezone.now()
    day = timezone.localdate(now)
    rises = rising_themes(now=now, product_ids=product_ids)
    if not rises:
        return []
    recent_start, _ = _windows(now)
    already = set(
        InsightAlert.objects.filter(
            created_at__gte=recent_start, product_id__in={r.product_id for r in rises}
        ).values_list("product_id", "theme_id")
    )
    themes = ReviewTheme.objects.in_bulk({r.theme_id for r in rises})
    from tickets.models import Product

    products = Product.objects.select_related("seller_account").in_bulk({r.product_id for r in rises})
    alerts = []
    for rise in rises:
        if (rise.product_id, rise.theme_id) in already:
            continue
        product, theme = products[rise.product_id], themes[rise.theme_id]
        with transaction.atomic():
            alert, created = InsightAlert.objects.get_or_create(
                product=product,
                theme=theme,
                day=day,
                defaults={
                    "recent_reviews": rise.recent_reviews,
                    "recent_matches": rise.recent_matches,
                    "recent_share": round(rise.recent_share, 4),
                    "baseline_reviews": rise.baseline_reviews,
                    "baseline_share": round(rise.baseline_share, 4),
                    "message": _message(product, theme, rise),
                    "created_at": now,
                },
            )
            if not created:
                continue
            webhook_emit(
                event="insight.rising",
                seller_account=product.seller_account,
                payload={
                    "asin": product.asin,
                    "theme": theme.slug,
                    "polarity": ThemePolarity.COMPLAINT,
                    "day": day,
                    "recent_share": alert.recent_share,
                    "baseline_share": alert.baseline_share,
                    "recent_reviews": rise.recent_reviews,
                    "recent_matches": rise.recent_matches,
                    "window_days": settings.INSIGHT_RECENT_DAYS,
                    "baseline_days": settings.INSIGHT_BASELINE_DAYS,
                },
            )
            transaction.on_commit(lambda pk=alert.pk: _notify_later(pk))
        alerts.append(alert)
    return alerts


def _message(product, theme: ReviewTheme, rise: Rise) -> str:
    return (
        f"{theme.name} complaints on {product.title} ({product.asin}): {100 * rise.recent_share:.0f}% of the last "
        f"{settings.INSIGHT_RECENT_DAYS} days' reviews ({rise.recent_matches} of {rise.recent_reviews}), against "
        f"{100 * rise.baseline_share:.0f}% over the {settings.INSIGHT_BASELINE_DAYS} days before "
        f"({rise.baseline_matches} of {rise.baseline_reviews})."
    )


def _notify_later(alert_id: int) -> None:
    from .tasks import notify_insight_alert

    notify_insight_alert.delay(alert_id)


def insight_alert_notify(*, alert_id: int) -> bool:
    """Email the alert to every active manager with an address, once (the row is claimed
    with a conditional UPDATE; a failed send releases it for the task's retry)."""
    return alert_mail_managers_once(
        model=InsightAlert,
        alert_id=alert_id,
        related=("product__seller_account", "theme"),
        compose=lambda alert: (
            f"[CSM Desk] Rising complaints: {alert.theme.name} on {alert.product.asin}",
            f"{alert.product.seller_account}\n\n{alert.message}\n",
        ),
    )
