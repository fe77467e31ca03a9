"""Review-request figures: sent, skipped by reason, and the reviews and seller feedback that
followed within 30 days, per seller account and product. One grouped query each; never a
query per row."""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q

from reviews.models import ProductReview, SellerFeedback
from tickets.models import SellerAccount

from .models import ReviewRequest

FOLLOW_UP = timedelta(days=30)
Status, Reason = ReviewRequest.Status, ReviewRequest.Reason


def _counts() -> dict:
    counts = {
        "sent": Count("pk", filter=Q(status=Status.SENT)),
        "reviews": Count("pk", filter=Q(status=Status.SENT, reviewed=True)),
        "feedback": Count("pk", filter=Q(status=Status.SENT, feedback_left=True)),
        "pending": Count("pk", filter=Q(status__in=[Status.SCHEDULED, Status.SENDING, Status.FAILED])),
    }
    counts.update({f"skipped_{r}": Count("pk", filter=Q(status=Status.SKIPPED, skip_reason=r)) for r in Reason.values})
    return counts


def _requests(*, accounts, since: datetime):
    followed_review = ProductReview.objects.filter(
        order=OuterRef("order"), reviewed_at__gte=OuterRef("sent_at"), reviewed_at__lte=OuterRef("sent_at") + FOLLOW_UP
    )
    followed_feedback = SellerFeedback.objects.filter(
        order=OuterRef("order"), left_at__gte=OuterRef("sent_at"), left_at__lte=OuterRef("sent_at") + FOLLOW_UP
    )
    return ReviewRequest.objects.filter(seller_account__in=accounts, due_at__gte=since).annotate(
        reviewed=Exists(followed_review), feedback_left=Exists(followed_feedback)
    )


def _shape(row: dict) -> dict:
    return {
        "sent": row["sent"],
        "pending": row["pending"],
        "skipped": {r: row[f"skipped_{r}"] for r in Reason.values},
        "reviews_within_30_days": row["reviews"],
        "seller_feedback_within_30_days": row["feedback"],
    }


def review_request_figures(*, accounts: list[SellerAccount] | object, since: datetime) -> list[dict]:
    """Per account (``accounts``: a queryset or list), then per product within it."""
    requests = _requests(accounts=accounts, since=since)
    per_account = requests.order_by().values("seller_account", name=F("seller_account__name")).annotate(**_counts())
    per_product = (
        requests.order_by()
        .values("seller_account", "product", asin=F("product__asin"), title=F("product__title"))
        .annotate(**_counts())
        .order_by("seller_account", "-sent", "asin")
    )
    products: dict[int, list] = {}
    for row in per_product:
        products.setdefault(row["seller_account"], []).append(
            {"product": row["product"], "asin": row["asin"] or "", "title": row["title"] or "", **_shape(row)}
        )
    return [
        {
            "seller_account": row["seller_account"],
            "name": row["name"],
            **_shape(row),
            "products": products.get(row["seller_account"], []),
        }
        for row in sorted(per_account, key=lambda r: r["name"])
    ]
