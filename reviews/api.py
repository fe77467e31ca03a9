"""REST adapters for reviews, seller feedback, outreach and review insights (``/api/v1/``).

Thin: validate, fetch through the permission gate (``seller_accounts_visible_to``; a
foreign object is a 404), call a service, serialize. ``urlpatterns`` is included by the
project under ``/api/v1/``.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import request_actor
from api.fields import DateTimeField
from api.schema import WRITE_ERRORS, errors
from tickets.access import outreach_cases_visible_to, seller_accounts_visible_to
from tickets.api.references import order_from_body, seller_account_from_body

from . import selectors, services
from .amazon_topics import amazon_topics_latest, critical_reviews_per_theme
from .models import (
    OutreachContactReason,
    OutreachResolution,
    OutreachStatus,
    ProductReview,
    ReviewOutreachCase,
    ReviewThemeMatch,
    SellerFeedback,
    ThemePolarity,
)
from .themes import snippet


class OutreachConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The change conflicts with the outreach case's current state."
    default_code = "conflict"


def _visible_account(request, seller_account_id: int):
    account = seller_accounts_visible_to(request.user).filter(pk=seller_account_id).first()
    if account is None:
        raise NotFound("No such seller account.")
    return account


# --- Serializers ----------------------------------------------------------------------


class ThemeMatchSerializer(serializers.Serializer):
    theme = serializers.CharField(source="theme.slug")
    name = serializers.CharField(source="theme.name")
    polarity = serializers.CharField()
    spans = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))


class ReviewSerializer(serializers.ModelSerializer):
    seller_account = serializers.IntegerField(source="seller_account_id")
    asin = serializers.CharField(source="product.asin")
    amazon_order_id = serializers.SerializerMethodField()
    outreach_case = serializers.SerializerMethodField()
    themes = ThemeMatchSerializer(source="theme_matches", many=True)

    class Meta:
        model = ProductReview
        fields = [
            "id",
            "amazon_review_id",
            "seller_account",
            "asin",
            "amazon_order_id",
            "rating",
            "title",
            "body",
            "reviewed_at",
            "verified_purchase",
            "outreach_case",
            "themes",
        ]

    def get_amazon_order_id(self, review: ProductReview) -> str | None:
        return review.order.amazon_order_id if review.order else None

    def get_outreach_case(self, review: ProductReview) -> int | None:
        case = getattr(review, "outreach_case", None)
        return case.pk if case else None


class ReviewIngestSerializer(serializers.Serializer):
    seller_account = serializers.IntegerField()
    amazon_review_id = serializers.CharField(max_length=64)
    asin = serializers.CharField(max_length=10)
    amazon_order_id = serializers.CharField(max_length=19, required=False, allow_null=True, allow_blank=True)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    body = serializers.CharField(allow_blank=True, required=False, default="", max_length=20_000)
    reviewed_at = DateTimeField()
    verified_purchase = serializers.BooleanField(default=True)


class FeedbackIngestSerializer(serializers.Serializer):
    amazon_order_id = serializers.CharField(max_length=19)
    seller_account = serializers.IntegerField(
        min_value=1, required=False, help_text="Needed only when the order id is in several of your seller accounts."
    )
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=5_000)
    left_at = DateTimeField()
    removed = serializers.BooleanField(default=False)


class FeedbackSerializer(serializers.ModelSerializer):
    amazon_order_id = serializers.CharField(source="order.amazon_order_id")
    is_negative = serializers.BooleanField()
    ticket = serializers.IntegerField(source="ticket_id", allow_null=True)

    class Meta:
        model = SellerFeedback
        fields = ["id", "amazon_order_id", "rating", "comment", "left_at", "removed", "is_negative", "ticket"]


class OutreachCaseSerializer(serializers.ModelSerializer):
    review = serializers.CharField(source="review.amazon_review_id")
    rating = serializers.IntegerField(source="review.rating")
    asin = serializers.CharField(source="review.product.asin")
    seller_account = serializers.IntegerField(source="review.seller_account_id")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    themes = serializers.SerializerMethodField()
    is_organic_update = serializers.BooleanField()

    class Meta:
        model = ReviewOutreachCase
        fields = [
            "id",
            "review",
            "rating",
            "asin",
            "seller_account",
            "status",
            "contact_reason",
            "contacted_at",
            "resolution",
            "resolved_at",
            "assignee",
            "ticket",
            "review_updated_from",
            "review_updated_to",
            "is_organic_update",
            "themes",
            "created_at",
        ]

    def get_themes(self, case: ReviewOutreachCase) -> list[str]:
        return [m.theme.slug for m in case.review.theme_matches.all()]


class OutreachUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OutreachStatus.choices, required=False)
    contact_reason = serializers.ChoiceField(choices=OutreachContactReason.choices, required=False)
    resolution = serializers.ChoiceField(choices=OutreachResolution.choices, required=False)

    def validate(self, data: dict) -> dict:
        if not data:
            raise serializers.ValidationError("Send status, contact_reason or resolution.")
        return data


class InsightMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    reviews = serializers.IntegerField()
    share = serializers.FloatField()


class InsightExampleSerializer(serializers.Serializer):
    amazon_review_id = serializers.CharField()
    rating = serializers.IntegerField()
    reviewed_at = serializers.DateTimeField()
    snippet = serializers.CharField(help_text="Plain text; highlight snippet[start:end] for each span.")
    spans = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))


class InsightThemeSerializer(serializers.Serializer):
    theme = serializers.CharField()
    name = serializers.CharField()
    reviews = serializers.IntegerField()
    share = serializers.FloatField()
    avg_rating = serializers.FloatField(allow_null=True)
    trend = serializers.ChoiceField(choices=["up", "down", "flat"])
    monthly = InsightMonthSerializer(many=True)
    examples = InsightExampleSerializer(many=True)


class AmazonTrendPointSerializer(serializers.Serializer):
    month = serializers.DateField()
    occurrence = serializers.FloatField(help_text="Share of the month's reviews that mention the topic (%).")


class AmazonTopicSerializer(serializers.Serializer):
    topic = serializers.CharField(help_text="Amazon's name of the topic.")
    polarity = serializers.ChoiceField(choices=ThemePolarity.choices)
    theme = serializers.CharField(allow_null=True, help_text="The desk theme it maps to (slug), if any.")
    mentions = serializers.IntegerField(allow_null=True)
    occurrence = serializers.FloatField(allow_null=True, help_text="Share of the item's reviews (%).")
    star_rating_impact = serializers.FloatField(allow_null=True)
    trend = AmazonTrendPointSerializer(many=True)
    category_occurrence = serializers.FloatField(allow_null=True)
    category_star_rating_impact = serializers.FloatField(allow_null=True)
    critical_reviews = serializers.IntegerField(
        help_text="The product's 1–3★ reviews the desk matched to the topic's theme as a complaint."
    )


class AmazonReturnTopicSerializer(serializers.Serializer):
    topic = serializers.CharField()
    occurrence = serializers.FloatField(allow_null=True, help_text="Share of the category's returns (%).")


class AmazonInsightsSerializer(serializers.Serializer):
    fetched_at = serializers.DateTimeField()
    period_start = serializers.DateTimeField(allow_null=True)
    period_end = serializers.DateTimeField(allow_null=True)
    browse_node_id = serializers.CharField()
    browse_node_name = serializers.CharField()
    topics = AmazonTopicSerializer(many=True)
    return_topics = AmazonReturnTopicSerializer(many=True)


class InsightsSerializer(serializers.Serializer):
    seller_account = serializers.IntegerField()
    asin = serializers.CharField()
    reviews = serializers.IntegerField()
    avg_rating = serializers.FloatField(allow_null=True)
    themes = InsightThemeSerializer(many=True, help_text="The desk's own reading of each review.")
    amazon = AmazonInsightsSerializer(
        allow_null=True, help_text="Amazon's review topics (Customer Feedback API), latest fetch; null before one."
    )


# --- Views ----------------------------------------------------------------------------

_MATCHES = Prefetch("theme_matches", queryset=ReviewThemeMatch.objects.select_related("theme"))
# An outreach case lists the review's complaint themes.
_COMPLAINTS = ReviewThemeMatch.objects.filter(polarity=ThemePolarity.COMPLAINT).select_related("theme")


class ReviewIngestView(APIView):
    """Ingest a product review (idempotent by ``amazon_review_id``)."""

    write_scope = "ingest"

    @extend_schema(
        request=ReviewIngestSerializer,
        responses={201: ReviewSerializer, 200: ReviewSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request):
        serializer = ReviewIngestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = seller_account_from_body(request, data["seller_account"])
        product = account.products.filter(asin=data["asin"]).first()
        if product is None:
            raise serializers.ValidationError({"asin": ["Unknown ASIN for this seller account."]})
        order = None
        if data.get("amazon_order_id"):
            order = order_from_body(request, data["amazon_order_id"], seller_account_id=account.pk)
        try:
            review, created = services.review_record(
                seller_account=account,
                product=product,
                amazon_review_id=data["amazon_review_id"],
                rating=data["rating"],
                title=data["title"],
                body=data["body"],
                reviewed_at=data["reviewed_at"],
                verified_purchase=data["verified_purchase"],
                order=order,
                actor=request_actor(request),
            )
        except services.ReviewDataError as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from None
        review = (
            ProductReview.objects.select_related("product", "order", "outreach_case")
            .prefetch_related(_MATCHES)
            .get(pk=review.pk)
        )
        return Response(
            ReviewSerializer(review).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class FeedbackIngestView(APIView):
    """Ingest seller feedback (idempotent by order). 1–2★ not removed opens a ticket."""

    write_scope = "ingest"

    @extend_schema(
        request=FeedbackIngestSerializer,
        responses={201: FeedbackSerializer, 200: FeedbackSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request):
        serializer = FeedbackIngestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = order_from_body(request, data["amazon_order_id"], seller_account_id=data.get("seller_account"))
        feedback, created = services.feedback_record(
            order=order,
            rating=data["rating"],
            comment=data["comment"],
            left_at=data["left_at"],
            removed=data["removed"],
            actor=request_actor(request),
        )
        return Response(
            FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class OutreachCasePagination(CursorPagination):
    ordering = "-id"
    page_size = 50


def _cases_for(request):
    return (
        outreach_cases_visible_to(request.user)
        .select_related("review__product", "assignee")
        .prefetch_related(Prefetch("review__theme_matches", queryset=_COMPLAINTS))
    )


class OutreachCaseListView(ListAPIView):
    """Review outreach cases of the caller's seller accounts, newest first."""

    serializer_class = OutreachCaseSerializer
    pagination_class = OutreachCasePagination
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=OutreachStatus.values),
            OpenApiParameter("seller_account", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        cases = _cases_for(self.request)
        params = self.request.query_params
        if params.get("status") in OutreachStatus.values:
            cases = cases.filter(status=params["status"])
        if params.get("seller_account", "").isdigit():
            cases = cases.filter(review__seller_account_id=int(params["seller_account"]))
        return cases


class OutreachCaseDetailView(APIView):
    """One outreach case; PATCH moves it through the workflow (409 when not allowed).

    ``{"contact_reason": "courtesy_refund"}`` (with or without ``"status": "contacted"``)
    contacts the buyer through Amazon's template; ``{"resolution": …}`` resolves;
    ``{"status": "closed"}`` closes. No text can be sent: Amazon's templates are fixed."""

    @extend_schema(responses={200: OutreachCaseSerializer})
    def get(self, request, pk: int):
        return Response(OutreachCaseSerializer(get_object_or_404(_cases_for(request), pk=pk)).data)

    @extend_schema(
        request=OutreachUpdateSerializer,
        responses={
            200: OutreachCaseSerializer,
            409: OpenApiResponse(description="Not allowed in the case's state"),
            422: OpenApiResponse(description="Refused by the compliance guard"),
        },
    )
    def patch(self, request, pk: int):
        case = get_object_or_404(_cases_for(request), pk=pk)
        serializer = OutreachUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = data.get("status")
        try:
            if "contact_reason" in data or target == OutreachStatus.CONTACTED:
                if "contact_reason" not in data:
                    raise serializers.ValidationError({"contact_reason": ["Choose Amazon's template."]})
                services.outreach_contact(
                    case=case, contact_reason=data["contact_reason"], actor=request_actor(request), channel="api"
                )
            elif "resolution" in data or target == OutreachStatus.RESOLVED:
                if "resolution" not in data:
                    raise serializers.ValidationError({"resolution": ["Say how the case was resolved."]})
                services.outreach_resolve(case=case, resolution=data["resolution"], actor=request_actor(request))
            elif target == OutreachStatus.CLOSED:
                services.outreach_close(case=case, actor=request_actor(request))
            elif target != case.status:
                raise OutreachConflict(f"An outreach case cannot go back to {target}.")
        except services.OutreachError as exc:
            raise OutreachConflict(str(exc)) from None
        return Response(OutreachCaseSerializer(_cases_for(request).get(pk=pk)).data)


class ProductInsightsView(APIView):
    """Complaint themes of one product over the last months, with trends and examples."""

    @extend_schema(
        parameters=[
            OpenApiParameter("seller_account", int, required=True),
            OpenApiParameter("months", int, description="1–24, default 6"),
        ],
        responses={200: InsightsSerializer},
    )
    def get(self, request, asin: str):
        account_id = request.query_params.get("seller_account", "")
        if not account_id.isdigit():
            raise serializers.ValidationError({"seller_account": ["Required: the seller account id."]})
        account = _visible_account(request, int(account_id))
        product = get_object_or_404(account.products, asin=asin)
        months = request.query_params.get("months", "6")
        months = min(max(int(months), 1), 24) if months.isdigit() else 6
        insights = selectors.product_theme_insights(product=product, months=months)
        examples = selectors.product_theme_examples(product=product)
        themes = []
        for trend in insights.themes:
            shown = []
            for match in examples.get(trend.theme.pk, []):
                text, spans = snippet(match.review.theme_text, [tuple(s) for s in match.spans])
                shown.append(
                    {
                        "amazon_review_id": match.review.amazon_review_id,
                        "rating": match.review.rating,
                        "reviewed_at": match.review.reviewed_at,
                        "snippet": text,
                        "spans": [list(s) for s in spans],
                    }
                )
            themes.append(
                {
                    "theme": trend.theme.slug,
                    "name": trend.theme.name,
                    "reviews": trend.reviews,
                    "share": round(trend.share, 4),
                    "avg_rating": trend.avg_rating,
                    "trend": trend.trend,
                    "monthly": [{"month": m, "reviews": c, "share": round(s, 4)} for m, c, s in trend.monthly],
                    "examples": shown,
                }
            )
        payload = {
            "seller_account": account.pk,
            "asin": product.asin,
            "reviews": insights.reviews,
            "avg_rating": insights.avg_rating,
            "themes": themes,
            "amazon": _amazon_insights(product),
        }
        return Response(InsightsSerializer(payload).data)


def _amazon_insights(product) -> dict | None:
    fetch, topics = amazon_topics_latest(product=product)
    if fetch is None:
        return None
    critical = critical_reviews_per_theme(product=product)
    return {
        "fetched_at": fetch.fetched_at,
        "period_start": fetch.period_start,
        "period_end": fetch.period_end,
        "browse_node_id": fetch.browse_node_id,
        "browse_node_name": fetch.browse_node_name,
        "topics": [
            {
                "topic": t.topic,
                "polarity": t.polarity,
                "theme": t.theme.slug if t.theme else None,
                "mentions": t.mentions,
                "occurrence": t.occurrence,
                "star_rating_impact": t.star_rating_impact,
                "trend": [{"month": month, "occurrence": value} for month, value in t.trend],
                "category_occurrence": t.category_occurrence,
                "category_star_rating_impact": t.category_star_rating_impact,
                "critical_reviews": critical.get(t.theme_id, 0) if t.polarity == ThemePolarity.COMPLAINT else 0,
            }
            for t in topics
        ],
        "return_topics": fetch.return_topics,
    }


urlpatterns = [
    path("reviews/", ReviewIngestView.as_view(), name="review-ingest"),
    path("feedback/", FeedbackIngestView.as_view(), name="feedback-ingest"),
    path("outreach-cases/", OutreachCaseListView.as_view(), name="outreach-case-list"),
    path("outreach-cases/<int:pk>/", OutreachCaseDetailView.as_view(), name="outreach-case-detail"),
    path("products/<str:asin>/insights/", ProductInsightsView.as_view(), name="product-insights"),
]
