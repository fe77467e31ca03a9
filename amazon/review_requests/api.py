"""Review-request figures in the REST API (``GET /api/v1/metrics/review-requests/``), beside
the account-health metrics: sent, skipped by reason, and the reviews and seller feedback that
followed within 30 days, for one seller account (through the permission gate) and per product."""

from datetime import timedelta

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import errors
from tickets.access import seller_accounts_visible_to

from .models import SkipReason
from .selectors import review_request_figures


class ReviewRequestQuerySerializer(serializers.Serializer):
    seller_account = serializers.IntegerField(min_value=1)
    days = serializers.IntegerField(
        min_value=1, max_value=365, default=90, help_text="Requests due in the last N days."
    )


class FiguresSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Scheduled, being sent, or waiting to retry.")
    skipped = serializers.DictField(
        child=serializers.IntegerField(), help_text=f"By reason: {', '.join(SkipReason.values)}."
    )
    reviews_within_30_days = serializers.IntegerField(
        help_text="Sent requests whose order got a product review within 30 days."
    )
    seller_feedback_within_30_days = serializers.IntegerField()


class ProductFiguresSerializer(FiguresSerializer):
    product = serializers.IntegerField(allow_null=True)
    asin = serializers.CharField()
    title = serializers.CharField()


class ReviewRequestFiguresSerializer(FiguresSerializer):
    seller_account = serializers.IntegerField()
    since = serializers.DateTimeField()
    products = ProductFiguresSerializer(many=True)


class ReviewRequestFiguresView(APIView):
    @extend_schema(
        summary="Review requests: sent, skipped by reason, and the reviews and feedback that followed",
        parameters=[ReviewRequestQuerySerializer],
        responses={200: ReviewRequestFiguresSerializer, **errors(400, 404)},
        examples=[
            OpenApiExample(
                "Ninety days",
                response_only=True,
                value={
                    "seller_account": 1,
                    "since": "2026-09-06T00:00:00Z",
                    "sent": 412,
                    "pending": 31,
                    "skipped": {**dict.fromkeys(SkipReason.values, 0), "not_offered": 18, "cancelled": 4},
                    "reviews_within_30_days": 37,
                    "seller_feedback_within_30_days": 22,
                    "products": [],
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = ReviewRequestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        account = seller_accounts_visible_to(request.user).filter(pk=query.validated_data["seller_account"]).first()
        if account is None:
            raise Http404("No such seller account.")
        since = timezone.now() - timedelta(days=query.validated_data["days"])
        figures = review_request_figures(accounts=[account], since=since)
        empty = {
            "sent": 0,
            "pending": 0,
            "skipped": dict.fromkeys(SkipReason.values, 0),
            "reviews_within_30_days": 0,
            "seller_feedback_within_30_days": 0,
            "products": [],
        }
        row = figures[0] if figures else empty
        payload = {
            **empty,
            **{k: v for k, v in row.items() if k != "name"},
            "seller_account": account.pk,
            "since": since,
        }
        return Response(ReviewRequestFiguresSerializer(payload).data)


urlpatterns = [path("metrics/review-requests/", ReviewRequestFiguresView.as_view(), name="metrics-review-requests")]
