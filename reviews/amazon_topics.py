"""Amazon's own review topics for a product (Customer Feedback API), beside the desk's themes.

One intake (``amazon_topics_record``: the SP-API fetch calls it with Amazon's JSON) and the
reads the insights page and the API share: the latest fetch with its topics, and the 1–3★
reviews the desk matched to a topic's theme, with their outreach cases.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.dateparse import parse_datetime

from tickets.models import Product

from .models import (
    AmazonReviewTopic,
    AmazonTopicFetch,
    ProductReview,
    ReviewTheme,
    ReviewThemeMatch,
    ThemePolarity,
)

# Amazon's topic names (Seller Central's wording, lower case) → the desk's theme slugs. A
# topic not listed maps to the active theme of the same name, else to none (shown unlinked).
TOPIC_THEMES = {
    "durability": "durability",
    "value for money": "value",
    "price": "value",
    "damaged on arrival": "arrived_damaged",
    "packaging": "arrived_damaged",
    "missing parts": "missing_parts",
    "accuracy of description": "not_as_described",
    "ease of use": "ease_of_use",
    "easy to use": "ease_of_use",
    "build quality": "quality",
    "quality": "quality",
    "delivery": "shipping",
    "shipping": "shipping",
}
MAX_TOPICS = 10  # per polarity, as Amazon serves them
CRITICAL_RATING = 3  # the reviews outreach works on: 1–3★


def amazon_topic_theme(topic: str, themes: dict[str, ReviewTheme]) -> ReviewTheme | None:
    """The desk theme an Amazon topic speaks of (``themes``: active themes by slug)."""
    slug = TOPIC_THEMES.get(topic.strip().lower())
    if slug in themes:
        return themes[slug]
    by_name = {theme.name.lower(): theme for theme in themes.values()}
    return by_name.get(topic.strip().lower())


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _trends(trends: dict | None) -> dict[tuple[str, str], list]:
    out = {}
    for key, polarity in (("negativeTopics", ThemePolarity.COMPLAINT), ("positiveTopics", ThemePolarity.PRAISE)):
        for trend in ((trends or {}).get("reviewTrends") or {}).get(key) or []:
            points = []
            for point in trend.get("trendMetrics") or []:
                occurrence = _number((point.get("asinMetrics") or {}).get("occurrencePercentage"))
                start = (point.get("dateRange") or {}).get("startDate", "")[:10]
                if occurrence is not None and start:
                    points.append([start, occurrence])
            out[(str(trend.get("topic", ""))[:200], polarity)] = points
    return out


@transaction.atomic
def amazon_topics_record(
    *,
    product: Product,
    fetched_at: datetime,
    topics: dict,
    trends: dict | None = None,
    browse_node: dict | None = None,
    return_topics: dict | None = None,
) -> AmazonTopicFetch:
    """Store one fetch of Amazon's topics for ``product`` (Amazon's JSON of
    getItemReviewTopics, getItemReviewTrends, getItemBrowseNode and
    getBrowseNodeReturnTopics), each topic mapped to a desk theme. History is kept: every
    fetch is a new record; the latest is the one shown."""
    dates = topics.get("dateRange") or {}
    browse_node = browse_node or {}
    fetch = AmazonTopicFetch.objects.create(
        product=product,
        fetched_at=fetched_at,
        browse_node_id=str(browse_node.get("browseNodeId", ""))[:32],
        browse_node_name=str(browse_node.get("displayName", ""))[:200],
        period_start=parse_datetime(dates.get("startDate") or "") if dates.get("startDate") else None,
        period_end=parse_datetime(dates.get("endDate") or "") if dates.get("endDate") else None,
        return_topics=[
            {
                "topic": str(item.get("topic", ""))[:200],
                "occurrence": _number(
                    ((item.get("browseNodeMetrics") or {}).get("occurrencePercentage") or {}).get("allProducts")
                ),
            }
            for item in (return_topics or {}).get("topics") or []
        ][:MAX_TOPICS],
    )
    themes = {theme.slug: theme for theme in ReviewTheme.objects.filter(is_active=True)}
    trend_points = _trends(trends)
    rows, seen = [], set()
    body = topics.get("topics") or {}
    for key, polarity in (("negativeTopics", ThemePolarity.COMPLAINT), ("positiveTopics", ThemePolarity.PRAISE)):
        for item in (body.get(key) or [])[:MAX_TOPICS]:
            name = str(item.get("topic", "")).strip()[:200]
            if not name or (name, polarity) in seen:
                continue
            seen.add((name, polarity))
            asin = item.get("asinMetrics") or {}
            node = item.get("browseNodeMetrics") or {}
            rows.append(
                AmazonReviewTopic(
                    fetch=fetch,
                    polarity=polarity,
                    topic=name,
                    theme=amazon_topic_theme(name, themes),
                    mentions=asin.get("numberOfMentions") if isinstance(asin.get("numberOfMentions"), int) else None,
                    occurrence=_number(asin.get("occurrencePercentage")),
                    star_rating_impact=_number(asin.get("starRatingImpact")),
                    category_occurrence=_number((node.get("occurrencePercentage") or {}).get("allProducts")),
                    category_star_rating_impact=_number((node.get("starRatingImpact") or {}).get("allProducts")),
                    trend=trend_points.get((name, polarity), []),
                    snippets=[str(s)[:300] for s in (item.get("reviewSnippets") or [])[:3]],
                )
            )
    AmazonReviewTopic.objects.bulk_create(rows)
    return fetch


# --- Reads ------------------------------------------------------------------------------


def amazon_topics_latest(*, product: Product) -> tuple[AmazonTopicFetch | None, list[AmazonReviewTopic]]:
    """The latest fetch for ``product`` and its topics (complaints first, most mentioned
    first). Two queries."""
    fetch = AmazonTopicFetch.objects.filter(product=product).order_by("-fetched_at").first()
    if fetch is None:
        return None, []
    topics = list(fetch.topics.select_related("theme").order_by("polarity", "-mentions", "topic"))
    return fetch, topics


def topic_reviews(*, product: Product, theme: ReviewTheme) -> QuerySet[ProductReview]:
    """The product's 1–3★ reviews the desk matched to ``theme`` as a complaint, newest first,
    with their outreach cases: the reviews behind an Amazon topic."""
    return (
        ProductReview.objects.filter(
            product=product,
            rating__lte=CRITICAL_RATING,
            theme_matches__theme=theme,
            theme_matches__polarity=ThemePolarity.COMPLAINT,
        )
        .select_related("outreach_case")
        .distinct()
        .order_by("-reviewed_at", "-pk")
    )


def critical_reviews_per_theme(*, product: Product) -> dict[int, int]:
    """Theme id → the product's 1–3★ reviews the desk matched to it as a complaint (one query)."""
    rows = (
        ReviewThemeMatch.objects.filter(
            review__product=product, review__rating__lte=CRITICAL_RATING, polarity=ThemePolarity.COMPLAINT
        )
        .values("theme_id")
        .annotate(n=Count("review_id", distinct=True))
        .order_by()
    )
    return {row["theme_id"]: row["n"] for row in rows}
