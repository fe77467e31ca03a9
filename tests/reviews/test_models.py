"""Ratings are 1–5 stars, and outreach only ever uses Amazon's two templates."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import (
    ProductReviewFactory,
    ReviewOutreachCaseFactory,
    ReviewRatingChangeFactory,
    SellerFeedbackFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rating", [0, 6])
def test_a_review_rating_outside_one_to_five_is_refused(rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductReviewFactory(rating=rating)


@pytest.mark.parametrize("rating", [0, 6])
def test_a_feedback_rating_outside_one_to_five_is_refused(rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        SellerFeedbackFactory(rating=rating)


def test_a_rating_change_outside_one_to_five_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRatingChangeFactory(from_rating=2, to_rating=7)


def test_a_duplicate_amazon_review_id_in_one_account_is_refused():
    review = ProductReviewFactory(amazon_review_id="R1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductReviewFactory(amazon_review_id="R1", seller_account=review.seller_account, product=review.product)


def test_two_accounts_may_each_have_a_review_with_the_same_amazon_id():
    first, second = ProductReviewFactory(amazon_review_id="R1"), ProductReviewFactory(amazon_review_id="R1")
    assert first.seller_account_id != second.seller_account_id


def test_an_order_has_at_most_one_seller_feedback():
    feedback = SellerFeedbackFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SellerFeedbackFactory(order=feedback.order)


def test_a_review_has_at_most_one_outreach_case():
    case = ReviewOutreachCaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewOutreachCaseFactory(review=case.review)


def test_outreach_can_only_use_amazons_two_contact_reasons():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewOutreachCaseFactory(contact_reason="ask_update")  # fits the column: the constraint must refuse it


def test_a_contacted_case_must_record_which_template_was_used():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewOutreachCaseFactory(contacted_at=timezone.now(), contact_reason="")


@pytest.mark.parametrize(("rating", "negative"), [(1, True), (2, True), (3, False), (5, False)])
def test_one_and_two_star_feedback_is_negative(rating, negative):
    assert SellerFeedbackFactory.build(rating=rating).is_negative is negative


@pytest.mark.parametrize(("rating", "critical"), [(1, True), (3, True), (4, False)])
def test_one_to_three_star_reviews_are_critical(rating, critical):
    assert ProductReviewFactory.build(rating=rating).is_critical is critical


def test_a_raised_rating_after_contact_is_an_organic_update():
    case = ReviewOutreachCaseFactory(review_updated_from=2, review_updated_to=4)
    assert case.is_organic_update
    case.review_updated_to = 1
    assert not case.is_organic_update
