"""Reads for reviews, outreach and review insights: set-based queries whose count does
not grow with the number of rows. Access always goes through the permission gate,
``tickets.access``."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, DateTimeField, ExpressionWrapper, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from tickets.models import Product

from .aspects import detect_language
from .models import (
    OutreachResolution,
    ProductReview,
    ReviewOutreachCase,
    ReviewTheme,
    ReviewThemeCorrection,
    ReviewThemeMatch,
    ThemePolarity,
)
from .themes import normalize

# A theme's share must move by this much (5 percentage points) to show an arrow, and
# rest on a few reviews: one complaint in six months is no trend.
TREND_THRESHOLD = 0.05
TREND_MIN_REVIEWS = 3


# --- Theme insights -------------------------------------------------------------------


def month_starts(*, months: int, as_of: datetime | None = None) -> list[date]:
    """The first days of the last ``months`` calendar months, oldest first, ending with
    the month of ``as_of``."""
    as_of = timezone.localtime(as_of or timezone.now())
    year, month = as_of.year, as_of.month
    out = []
    for _ in range(months):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _as_date(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


@dataclass
class ThemeTrend:
    theme: ReviewTheme
    reviews: int  # reviews in the period with this theme
    share: float  # of all reviews in the period
    avg_rating: float | None
    monthly: list[tuple[date, int, float]]  # (month, reviews with the theme, share of that month's reviews)
    trend: str  # "up", "down" or "flat"

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓"}.get(self.trend, "→")


@dataclass
class ProductInsights:
    product: Product
    months: list[date]
    reviews: int
    avg_rating: float | None
    monthly_reviews: list[tuple[date, int, float | None]]  # (month, reviews, average rating)
    themes: list[ThemeTrend] = field(default_factory=list)


def trend_of(counts: list[int], totals: list[int], *, window: int) -> str:
    """Compare the theme's share in the last ``window`` months with the ``window`` before."""
    recent_total, earlier_total = sum(totals[-window:]), sum(totals[-2 * window : -window])
    if not recent_total or not earlier_total or sum(counts[-2 * window :]) < TREND_MIN_REVIEWS:
        return "flat"
    delta = sum(counts[-window:]) / recent_total - sum(counts[-2 * window : -window]) / earlier_total
    if delta >= TREND_THRESHOLD:
        return "up"
    if delta <= -TREND_THRESHOLD:
        return "down"
    return "flat"


def product_theme_insights(
    *, product: Product, months: int = 6, as_of: datetime | None = None, trend_window: int = 3
) -> ProductInsights:
    """Per theme: reviews, share and average rating over the last ``months`` months, the
    monthly counts and shares, and the trend arrow. Three queries whatever the volume."""
    starts = month_starts(months=months, as_of=as_of)
    since = timezone.make_aware(datetime.combine(starts[0], datetime.min.time()))
    reviews = ProductReview.objects.filter(product=product, reviewed_at__gte=since)
    if as_of is not None:
        reviews = reviews.filter(reviewed_at__lte=as_of)
    per_month = {
        _as_date(row["month"]): (row["n"], row["avg"])
        for row in reviews.annotate(month=TruncMonth("reviewed_at"))
        .values("month")
        .annotate(n=Count("pk"), avg=Avg("rating"))
        .order_by()
    }
    totals = [per_month.get(m, (0, None))[0] for m in starts]
    matches = (
        # Complaints only: insights show what goes wrong and how often (praise is kept apart).
        ReviewThemeMatch.objects.filter(review__in=reviews, polarity=ThemePolarity.COMPLAINT)
        .annotate(month=TruncMonth("review__reviewed_at"))
        .values("theme_id", "month")
        .annotate(n=Count("review_id"), rating_sum=Sum("review__rating"))
        .order_by()
    )
    by_theme: dict[int, dict[date, tuple[int, float]]] = {}
    for row in matches:
        by_theme.setdefault(row["theme_id"], {})[_as_date(row["month"])] = (row["n"], row["rating_sum"])
    total_reviews = sum(totals)
    rating_sum = sum(n * avg for n, avg in per_month.values() if avg is not None)
    insights = ProductInsights(
        product=product,
        months=starts,
        reviews=total_reviews,
        avg_rating=rating_sum / total_reviews if total_reviews else None,
        monthly_reviews=[(m, *per_month.get(m, (0, None))) for m in starts],
    )
    for theme in ReviewTheme.objects.filter(is_active=True):
        cells = by_theme.get(theme.pk, {})
        counts = [cells.get(m, (0, 0))[0] for m in starts]
        n = sum(counts)
        ratings = sum(cells.get(m, (0, 0))[1] or 0 for m in starts)
        insights.themes.append(
            ThemeTrend(
                theme=theme,
                reviews=n,
                share=n / total_reviews if total_reviews else 0.0,
                avg_rating=ratings / n if n else None,
                monthly=[(m, c, c / t if t else 0.0) for m, c, t in zip(starts, counts, totals, strict=True)],
                trend=trend_of(counts, totals, window=trend_window),
            )
        )
    insights.themes.sort(key=lambda t: (-t.reviews, t.theme.position))
    return insights


def product_theme_examples(*, product: Product, per_theme: int = 3) -> dict[int, list[ReviewThemeMatch]]:
    """The newest ``per_theme`` complaint matches of each theme for a product (one query, a
    window function picks the top rows per theme), each with its review."""
    ranked = (
        ReviewThemeMatch.objects.filter(
            review__product=product, theme__is_active=True, polarity=ThemePolarity.COMPLAINT
        )
        .select_related("review")
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("theme_id")], order_by=[F("review__reviewed_at").desc(), F("pk")])
        )
        .filter(rank__lte=per_theme)
        .order_by("theme_id", "rank")
    )
    examples: dict[int, list[ReviewThemeMatch]] = {}
    for match in ranked:
        examples.setdefault(match.theme_id, []).append(match)
    return examples


# --- Outreach numbers -------------------------------------------------------------------


def outreach_numbers(
    *, cases: QuerySet[ReviewOutreachCase], contacted_within_days: int = 2, by_month: bool = True
) -> list[dict]:
    """Per product (and per month of the review): cases opened, contacted, contacted within
    ``contacted_within_days`` of the review, resolved by refund / replacement, organic
    updates (contacted cases whose review rating later rose) and their rate. One query.

    Counted from the review date because Amazon shows a review on the Customer Reviews
    page within a day or two of publishing: that is when the outreach clock starts."""
    deadline = ExpressionWrapper(
        F("review__reviewed_at") + timedelta(days=contacted_within_days), output_field=DateTimeField()
    )
    contacted = Q(contacted_at__isnull=False)
    group = ["review__product_id", "review__product__title", "review__product__asin"]
    qs = cases.annotate(deadline=deadline)
    if by_month:
        qs = qs.annotate(month=TruncMonth("review__reviewed_at"))
        group.append("month")
    rows = (
        qs.values(*group)
        .annotate(
            opened=Count("pk"),
            contacted=Count("pk", filter=contacted),
            contacted_in_time=Count("pk", filter=contacted & Q(contacted_at__lte=F("deadline"))),
            refunds=Count("pk", filter=Q(resolution=OutreachResolution.REFUND_ISSUED)),
            replacements=Count("pk", filter=Q(resolution=OutreachResolution.REPLACEMENT_SENT)),
            organic_updates=Count("pk", filter=contacted & Q(review_updated_to__gt=F("review_updated_from"))),
        )
        .order_by("review__product__title", *(["-month"] if by_month else []))
    )
    out = []
    for row in rows:
        out.append(
            {
                "product_id": row["review__product_id"],
                "product": row["review__product__title"],
                "asin": row["review__product__asin"],
                "month": _as_date(row["month"]) if by_month else None,
                "opened": row["opened"],
                "contacted": row["contacted"],
                "contacted_in_time": row["contacted_in_time"],
                "refunds": row["refunds"],
                "replacements": row["replacements"],
                "organic_updates": row["organic_updates"],
                "organic_update_rate": row["organic_updates"] / row["contacted"] if row["contacted"] else None,
            }
        )
    return out


# --- Labelled data -----------------------------------------------------------------------


def theme_corrections_labelled(*, corrections: QuerySet[ReviewThemeCorrection] | None = None) -> Iterator[dict]:
    """The managers' corrections as labelled reviews, in the bench's JSONL shape (``id``,
    ``language``, ``rating``, ``title``, ``text``, ``themes``), oldest first. Streams."""
    rows = (ReviewThemeCorrection.objects.all() if corrections is None else corrections).order_by("pk")
    rows = rows.values_list(
        "review__seller_account_id",
        "review__amazon_review_id",
        "review__rating",
        "review__title",
        "review__body",
        "themes",
    )
    for account_id, review_id, rating, title, body, themes in rows.iterator(chunk_size=1000):
        yield {
            "id": f"{account_id}:{review_id}",  # Amazon's review ids are unique per seller account
            "language": detect_language(normalize(f"{title}\n{body}")),
            "rating": rating,
            "title": title,
            "text": body,
            "themes": themes,
        }
