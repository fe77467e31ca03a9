"""Review outreach in the agent desk: the queue and the case page, worked only through
Amazon's two Contact Customer templates."""

import pytest

from reviews.models import ReviewOutreachCase
from reviews.services import review_record
from tests.factories import BuyerFactory, OrderFactory, ProductFactory, ProductReviewFactory
from tickets.models import MessagePurpose, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def critical_review(account):
    def make(rating=2, title="Reservoir cracked", body="The water reservoir arrived cracked and leaks."):
        product = ProductFactory(seller_account=account)
        order = OrderFactory(seller_account=account, buyer=BuyerFactory(seller_account=account))
        review, _ = review_record(
            seller_account=account,
            product=product,
            amazon_review_id=f"R-{product.asin}",
            rating=rating,
            title=title,
            body=body,
            reviewed_at=order.purchased_at,
            order=order,
            buyer=order.buyer,
            verified_purchase=True,
            actor="test",
        )
        return review

    return make


def test_the_outreach_queue_lists_new_cases_of_the_agents_accounts(alice_client, critical_review, other_account):
    review = critical_review()
    foreign = ProductReviewFactory(product__seller_account=other_account, title="Foreign review")
    ReviewOutreachCase.objects.create(review=foreign)
    html = alice_client.get("/outreach/").content.decode()
    assert "Reservoir cracked" in html
    assert "Foreign review" not in html
    assert f"/outreach/{review.outreach_case.pk}/" in html


def test_a_case_page_shows_the_review_and_its_theme(alice_client, critical_review):
    case = critical_review().outreach_case
    html = alice_client.get(f"/outreach/{case.pk}/").content.decode()
    assert "The water reservoir arrived cracked and leaks." in html
    assert "Arrived damaged" in html
    assert "Contact: Courtesy Refund" in html and "Contact: Customer Support" in html


def test_a_review_without_order_or_buyer_offers_no_contact_and_says_why(alice_client, account):
    review = ProductReviewFactory(product__seller_account=account, rating=1)
    case = ReviewOutreachCase.objects.create(review=review)
    html = alice_client.get(f"/outreach/{case.pk}/").content.decode()
    assert "not linked to an order or a buyer yet" in html
    assert "Contact: Courtesy Refund" not in html
    # Linked to its order later, the buttons appear: the order's buyer is the one contacted.
    review.order = OrderFactory(seller_account=account, buyer=BuyerFactory(seller_account=account))
    review.save()
    assert "Contact: Courtesy Refund" in alice_client.get(f"/outreach/{case.pk}/").content.decode()


def test_contacting_through_courtesy_refund_records_amazons_template(alice_client, critical_review):
    case = critical_review().outreach_case
    response = alice_client.post(f"/outreach/{case.pk}/contact/", {"contact_reason": "courtesy_refund"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.contact_reason) == ("contacted", "courtesy_refund")
    outbound = OutboundMessage.objects.get(purpose=MessagePurpose.REVIEW_OUTREACH)
    assert "Courtesy Refund" in outbound.body
    assert "review" not in outbound.body.lower()


def test_free_text_cannot_be_sent_as_a_contact_reason(alice_client, critical_review):
    case = critical_review().outreach_case
    response = alice_client.post(f"/outreach/{case.pk}/contact/", {"contact_reason": "please update your review"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "new"
    assert not OutboundMessage.objects.exists()


def test_a_case_can_be_contacted_only_once(alice_client, critical_review):
    case = critical_review().outreach_case
    alice_client.post(f"/outreach/{case.pk}/contact/", {"contact_reason": "courtesy_refund"})
    response = alice_client.post(f"/outreach/{case.pk}/contact/", {"contact_reason": "customer_support"})
    assert response.status_code == 409
    assert "Amazon allows one contact" in response.content.decode()
    assert OutboundMessage.objects.count() == 1


def test_a_contacted_case_is_resolved_then_closed(alice_client, critical_review):
    case = critical_review().outreach_case
    alice_client.post(f"/outreach/{case.pk}/contact/", {"contact_reason": "customer_support"})
    alice_client.post(f"/outreach/{case.pk}/resolve/", {"resolution": "replacement_sent"})
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("resolved", "replacement_sent")
    alice_client.post(f"/outreach/{case.pk}/close/")
    case.refresh_from_db()
    assert case.status == "closed"


def test_another_accounts_case_is_a_404(client, charlie, critical_review):
    case = critical_review().outreach_case
    client.force_login(charlie)
    assert client.get(f"/outreach/{case.pk}/").status_code == 404
    assert client.post(f"/outreach/{case.pk}/contact/", {"contact_reason": "courtesy_refund"}).status_code == 404
    assert not OutboundMessage.objects.exists()


def test_the_queue_counts_cases_per_status(alice_client, critical_review):
    critical_review()
    html = alice_client.get("/outreach/", {"status": "contacted"}).content.decode()
    assert "No contacted outreach cases." in html


def test_a_critical_review_ingested_through_the_api_appears_in_the_agent_desk_with_its_theme(
    alice_client, account, alice
):
    """Issue 7's path end to end: an integration pushes a 2★ "reservoir cracked" review, the
    agent finds the case with the theme "Arrived damaged" and contacts via Courtesy Refund, and
    the buyer's later 4★ update shows as an organic update."""
    from tests.api.conftest import KeyClient, make_key

    _, raw = make_key(accounts=[account], scope="ingest")
    api = KeyClient(raw)
    product = ProductFactory(seller_account=account, asin="B0ESPRESS1")
    order = OrderFactory(seller_account=account)
    review = {
        "amazon_order_id": order.amazon_order_id,
        "amazon_review_id": "R-CRACKED-1",
        "asin": product.asin,
        "rating": 2,
        "title": "Reservoir cracked",
        "body": "The water reservoir arrived cracked and leaks all over the counter.",
        "reviewed_at": "2026-11-20T10:00:00Z",
        "verified_purchase": True,
        "seller_account": account.pk,
    }
    assert api.post("/api/v1/reviews/", review).status_code == 201
    case = ReviewOutreachCase.objects.get(review__amazon_review_id="R-CRACKED-1")
    queue = alice_client.get("/outreach/").content.decode()
    assert "Reservoir cracked" in queue and "Arrived damaged" in queue
    assert alice_client.post(f"/outreach/{case.pk}/contact/", {"contact_reason": "courtesy_refund"}).status_code == 302
    assert api.post("/api/v1/reviews/", {**review, "rating": 4}).status_code == 200
    html = alice_client.get(f"/outreach/{case.pk}/").content.decode()
    assert "The buyer updated this review on their own: 2★ → 4★." in html
