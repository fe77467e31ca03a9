"""Issue 7, done when: a 2★ "reservoir cracked" review ingested through the API shows up
as an outreach case with its theme "Arrived damaged"; the CSM contacts via Courtesy
Refund; a later 4★ update of that review shows as an organic update."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import ReviewOutreachCase
from reviews.selectors import outreach_numbers
from tests.factories import OrderFactory, ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reviews.urls")]


def test_the_cracked_reservoir_story_end_to_end(client, alice, account):
    ProductFactory(seller_account=account, asin="B0ESPRESSO", title="Brewline Pro Espresso Machine")
    order = OrderFactory(seller_account=account)
    client.force_login(alice)
    review = {
        "seller_account": account.pk,
        "amazon_review_id": "R2STORY0000001",
        "asin": "B0ESPRESSO",
        "amazon_order_id": order.amazon_order_id,
        "rating": 2,
        "title": "Reservoir cracked",
        "body": "The reservoir arrived cracked and leaks onto the counter.",
        "reviewed_at": (timezone.now() - timedelta(days=1)).isoformat(),
        "verified_purchase": True,
    }
    assert client.post("/api/v1/reviews/", review, content_type="application/json").status_code == 201

    [listed] = client.get("/api/v1/outreach-cases/").json()["results"]
    assert (listed["status"], listed["themes"]) == ("new", ["arrived_damaged"])

    response = client.patch(
        f"/api/v1/outreach-cases/{listed['id']}/",
        {"contact_reason": "courtesy_refund"},
        content_type="application/json",
    )
    assert (response.json()["status"], response.json()["contact_reason"]) == ("contacted", "courtesy_refund")

    updated = {**review, "rating": 4, "body": "Update: the seller refunded me quickly."}
    assert client.post("/api/v1/reviews/", updated, content_type="application/json").status_code == 200

    case = ReviewOutreachCase.objects.get(pk=listed["id"])
    assert (case.review_updated_from, case.review_updated_to, case.is_organic_update) == (2, 4, True)
    [numbers] = outreach_numbers(cases=ReviewOutreachCase.objects.all(), by_month=False)
    assert numbers["organic_update_rate"] == 1.0
