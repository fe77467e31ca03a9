"""The figures: sent, skipped by reason, and the reviews and feedback that followed within 30
days, per account and product, in /api/v1/metrics/review-requests/ and the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amazon.review_requests.models import ReviewRequest
from api.models import ApiKeyScope
from tests.api.conftest import KeyClient, make_key
from tests.factories import (
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    ProductReviewFactory,
    SellerAccountFactory,
    SellerFeedbackFactory,
)

Status, Reason = ReviewRequest.Status, ReviewRequest.Reason


def request_for(account, product, *, status=Status.SENT, reason="", days_ago=10):
    now = timezone.now()
    order = OrderFactory(seller_account=account, delivered_at=now - timedelta(days=days_ago + 7))
    OrderItemFactory(order=order, product=product)
    return ReviewRequest.objects.create(
        seller_account=account,
        order=order,
        product=product,
        fulfillment_channel=order.fulfillment_channel,
        delivered_at=order.delivered_at,
        due_at=now - timedelta(days=days_ago),
        status=status,
        skip_reason=reason,
        sent_at=now - timedelta(days=days_ago) if status == Status.SENT else None,
    )


@pytest.fixture
def figures_data(account):
    grinder, kettle = ProductFactory(seller_account=account), ProductFactory(seller_account=account)
    reviewed = request_for(account, grinder)
    ProductReviewFactory(product=grinder, order=reviewed.order, reviewed_at=reviewed.sent_at + timedelta(days=3))
    late = request_for(account, grinder, days_ago=50)
    ProductReviewFactory(product=grinder, order=late.order, reviewed_at=late.sent_at + timedelta(days=31))
    with_feedback = request_for(account, kettle)
    SellerFeedbackFactory(order=with_feedback.order, rating=5, left_at=with_feedback.sent_at + timedelta(days=1))
    request_for(account, kettle, status=Status.SKIPPED, reason=Reason.NOT_OFFERED)
    request_for(account, kettle, status=Status.SKIPPED, reason=Reason.CANCELLED)
    return grinder, kettle


def test_the_api_counts_sent_skipped_and_what_followed(account, figures_data):
    key = KeyClient(make_key(accounts=[account], scope=ApiKeyScope.READ)[1])
    body = key.get(f"/api/v1/metrics/review-requests/?seller_account={account.pk}").json()
    assert (body["sent"], body["skipped"]["not_offered"], body["skipped"]["cancelled"]) == (3, 1, 1)
    assert (body["reviews_within_30_days"], body["seller_feedback_within_30_days"]) == (1, 1)


def test_the_api_splits_by_product(account, figures_data):
    grinder, kettle = figures_data
    key = KeyClient(make_key(accounts=[account], scope=ApiKeyScope.READ)[1])
    products = key.get(f"/api/v1/metrics/review-requests/?seller_account={account.pk}").json()["products"]
    by_asin = {
        p["asin"]: (p["sent"], p["reviews_within_30_days"], p["seller_feedback_within_30_days"]) for p in products
    }
    assert by_asin == {grinder.asin: (2, 1, 0), kettle.asin: (1, 0, 1)}


def test_another_accounts_figures_are_not_found(account, figures_data):
    stranger = KeyClient(make_key(accounts=[SellerAccountFactory()], scope=ApiKeyScope.READ)[1])
    assert stranger.get(f"/api/v1/metrics/review-requests/?seller_account={account.pk}").status_code == 404


def test_bad_days_are_a_field_error(account):
    key = KeyClient(make_key(accounts=[account], scope=ApiKeyScope.READ)[1])
    response = key.get(f"/api/v1/metrics/review-requests/?seller_account={account.pk}&days=0")
    assert response.status_code == 400 and "days" in response.json()


def test_the_admin_shows_the_figures_in_a_fixed_number_of_queries(
    admin_client, account, figures_data, django_assert_max_num_queries
):
    for _ in range(5):
        request_for(account, figures_data[0])
    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/amazon/reviewrequest/")
    assert response.status_code == 200 and b"review-request-figures" in response.content


def test_the_figures_take_two_queries_whatever_the_rows(account, figures_data, django_assert_num_queries):
    from amazon.review_requests.selectors import review_request_figures

    for _ in range(5):
        request_for(account, figures_data[1])
    with django_assert_num_queries(2):
        review_request_figures(accounts=[account], since=timezone.now() - timedelta(days=90))
