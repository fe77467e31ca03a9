"""Amazon's review topics per product, fetched through the SP-API (Customer Feedback API
2024-06-01) and stored through the reviews intake (``reviews.amazon_topics``).

Amazon recomputes the topics over months of reviews, so each product is fetched at most once
per ``SPAPI_CUSTOMER_FEEDBACK_HOURS`` (a day by default), the longest-unfetched first, and a run takes at
most ``SPAPI_CUSTOMER_FEEDBACK_CALLS // 3`` products: one call of each operation per product, so with
the default 30 each operation is called at most 10 times a run, its burst (Amazon's limits are
per operation), and one run never meets a 429 by itself (a 429 from other traffic ends the
run, keeping the products stored; the next beat goes on). A run is claimed per
account in the cache (an atomic add), so two workers never fetch one account together.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Q
from django.utils import timezone

from reviews.amazon_topics import amazon_topics_record
from tickets.models import Product

from .client import SpApiClient, SpApiError, Throttled
from .models import SpApiConnection

CALLS_PER_PRODUCT = 3  # topics, trends, browse node (+1 per new browse node: its return topics)
CLAIM_SECONDS = 15 * 60


@dataclass
class FeedbackResult:
    claimed: bool
    products: int = 0
    calls: int = 0
    retry_after: float | None = None
    error: str = ""


def products_due(*, connection: SpApiConnection, now: datetime) -> list[Product]:
    """The account's products whose topics were never fetched or not within the interval,
    the longest-unfetched first."""
    fresh = now - timedelta(hours=settings.SPAPI_CUSTOMER_FEEDBACK_HOURS)
    return list(
        Product.objects.filter(seller_account_id=connection.seller_account_id)
        .annotate(last_fetch=Max("amazon_topic_fetches__fetched_at"))
        .filter(Q(last_fetch__isnull=True) | Q(last_fetch__lt=fresh))
        .order_by("last_fetch", "pk")[: max(1, settings.SPAPI_CUSTOMER_FEEDBACK_CALLS // CALLS_PER_PRODUCT)]
    )


def customer_feedback_sync(*, connection_id: int) -> FeedbackResult:
    """Fetch Amazon's review topics, trends, browse node and the category's return topics for
    the account's due products and store each product's fetch whole (a product whose calls
    did not all answer stores nothing and stays due)."""
    key = f"spapi-feedback-claim:{connection_id}"
    if not cache.add(key, 1, CLAIM_SECONDS):
        return FeedbackResult(claimed=False)
    result = FeedbackResult(claimed=True)
    try:
        connection = SpApiConnection.objects.filter(pk=connection_id, status=SpApiConnection.Status.CONNECTED).first()
        if connection is None or not connection.marketplace_ids:
            return result
        now = timezone.now()
        client = SpApiClient(endpoint=connection.endpoint, refresh_token=connection.refresh_token())
        marketplace_id = connection.marketplace_ids[0]
        returns: dict[str, dict] = {}
        for product in products_due(connection=connection, now=now):
            try:
                topics = client.item_review_topics(asin=product.asin, marketplace_id=marketplace_id)
                trends = client.item_review_trends(asin=product.asin, marketplace_id=marketplace_id)
                node = client.item_browse_node(asin=product.asin, marketplace_id=marketplace_id)
                result.calls += 3
                node_id = node.get("browseNodeId", "")
                if node_id and node_id not in returns:
                    returns[node_id] = client.browse_node_return_topics(
                        browse_node_id=node_id, marketplace_id=marketplace_id
                    )
                    result.calls += 1
            except Throttled as exc:
                result.retry_after = exc.retry_after
                break
            except SpApiError as exc:
                # The orders sync owns the connection's state (revoked, stopped): here the run ends.
                result.error = f"Amazon: {exc.message}"
                break
            amazon_topics_record(
                product=product,
                fetched_at=now,
                topics=topics,
                trends=trends,
                browse_node=node,
                return_topics=returns.get(node_id),
            )
            result.products += 1
    finally:
        cache.delete(key)
    return result
