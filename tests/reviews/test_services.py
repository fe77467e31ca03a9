"""Writes: review_record, the outreach workflow and feedback_record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import ProductReview, ReviewOutreachCase, ReviewRatingChange, ReviewThemeMatch, SellerFeedback
from reviews.services import (
    OutreachError,
    ReviewDataError,
    feedback_record,
    outreach_close,
    outreach_contact,
    outreach_resolve,
    review_record,
)
from tests.factories import OrderFactory, ProductFactory, SellerAccountFactory
from tickets.audit import audit_trail
from tickets.compliance import compliance_check
from tickets.models import BlockedMessage, Message, OutboundMessage, Ticket
from tickets.outbound.services import ComplianceRefused, message_send

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def order(account):
    return OrderFactory(seller_account=account)


@pytest.fixture
def product(account):
    return ProductFactory(seller_account=account, asin="B0ESPRESSO")


def record(product, *, rating=2, review_id="R1", order=None, **overrides):
    values = {
        "seller_account": product.seller_account,
        "product": product,
        "amazon_review_id": review_id,
        "rating": rating,
        "title": "Reservoir arrived cracked",
        "body": "The water tank leaks onto the counter.",
        "reviewed_at": NOW - timedelta(days=1),
        "verified_purchase": True,
        "order": order,
        "actor": "test",
    }
    return review_record(**{**values, **overrides})


# --- review_record ------------------------------------------------------------------


def test_a_new_review_is_created():
    review, created = record(ProductFactory())
    assert created and review.rating == 2


def test_the_same_payload_twice_changes_nothing(product):
    record(product)
    before = ProductReview.objects.values().get()
    review, created = record(product)
    assert not created
    assert ProductReview.objects.values().get() == before
    assert not ReviewRatingChange.objects.exists()


def test_a_verified_critical_review_opens_exactly_one_case(product):
    record(product)
    record(product, body="Edited text")
    assert ReviewOutreachCase.objects.count() == 1


@pytest.mark.parametrize("rating", [4, 5])
def test_a_four_or_five_star_review_opens_nothing(product, rating):
    record(product, rating=rating)
    assert not ReviewOutreachCase.objects.exists()


def test_an_unverified_critical_review_opens_nothing(product):
    record(product, verified_purchase=False)
    assert not ReviewOutreachCase.objects.exists()


def test_a_review_that_drops_to_three_stars_opens_a_case_then(product):
    record(product, rating=5)
    record(product, rating=3)
    assert ReviewOutreachCase.objects.get().review.rating == 3


def test_a_changed_rating_is_appended_to_the_history(product):
    record(product, rating=2)
    record(product, rating=4, observed_at=NOW)
    change = ReviewRatingChange.objects.get()
    assert (change.from_rating, change.to_rating, change.changed_at) == (2, 4, NOW)


def test_a_raised_rating_is_an_organic_update_on_the_case(product):
    record(product, rating=2)
    record(product, rating=4)
    case = ReviewOutreachCase.objects.get()
    assert (case.review_updated_from, case.review_updated_to, case.is_organic_update) == (2, 4, True)


def test_the_case_keeps_the_rating_it_was_opened_on(product):
    record(product, rating=2)
    record(product, rating=3)
    record(product, rating=5)
    case = ReviewOutreachCase.objects.get()
    assert (case.review_updated_from, case.review_updated_to) == (2, 5)


def test_opening_a_case_is_audited(product):
    review, _ = record(product)
    event = audit_trail(review.outreach_case).get()
    assert (event.action, event.actor_label) == ("review_outreach_case.created", "test")


def test_themes_are_recorded_with_the_review(product):
    review, _ = record(product)
    # The crack is the finding; "leaks onto the counter" may also read as a quality complaint.
    assert "arrived_damaged" in review.theme_matches.values_list("theme__slug", flat=True)


def test_themes_follow_an_edited_text(product):
    record(product)
    review, _ = record(product, title="Stopped working after a week", body="")
    assert list(review.theme_matches.values_list("theme__slug", flat=True)) == ["durability"]


def test_a_product_of_another_account_is_refused(product, other_account):
    with pytest.raises(ReviewDataError):
        record(product, seller_account=other_account)


# --- Outreach -----------------------------------------------------------------------


@pytest.fixture
def case(product, order):
    review, _ = record(product, order=order)
    return review.outreach_case


def test_contacting_records_the_template_and_when(case):
    case = outreach_contact(case=case, contact_reason="courtesy_refund", actor="test")
    case.refresh_from_db()
    assert (case.status, case.contact_reason) == ("contacted", "courtesy_refund")
    assert case.contacted_at is not None


def test_contacting_goes_through_the_one_outbound_path_with_amazons_fixed_text(case):
    outreach_contact(case=case, contact_reason="customer_support", actor="test")
    outbound = OutboundMessage.objects.get()
    assert outbound.purpose == "review_outreach"
    assert outbound.body.startswith("Amazon Contact Customer: Customer Support")


def test_contacting_is_audited(case):
    outreach_contact(case=case, contact_reason="courtesy_refund", actor="test")
    assert audit_trail(case).first().action == "review_outreach_case.contacted"


def test_only_amazons_two_templates_can_be_used(case):
    with pytest.raises(OutreachError):
        outreach_contact(case=case, contact_reason="please_update_review", actor="test")
    assert not OutboundMessage.objects.exists()


def test_a_case_is_contacted_only_once(case):
    outreach_contact(case=case, contact_reason="courtesy_refund", actor="test")
    with pytest.raises(OutreachError):
        outreach_contact(case=case, contact_reason="customer_support", actor="test")
    assert OutboundMessage.objects.count() == 1


def test_a_review_raised_above_three_stars_cannot_be_contacted(case, product):
    record(product, rating=4, order=case.review.order)
    with pytest.raises(OutreachError):
        outreach_contact(case=case, contact_reason="courtesy_refund", actor="test")


def test_a_review_without_a_known_buyer_cannot_be_contacted(product):
    review, _ = record(product, review_id="R2")
    with pytest.raises(OutreachError):
        outreach_contact(case=review.outreach_case, contact_reason="courtesy_refund", actor="test")


def test_a_contacted_case_resolves_with_a_refund(case):
    outreach_contact(case=case, contact_reason="courtesy_refund", actor="test")
    case = outreach_resolve(case=case, resolution="refund_issued", actor="test")
    assert (case.status, case.resolution) == ("resolved", "refund_issued")


def test_a_refund_before_any_contact_is_refused(case):
    with pytest.raises(OutreachError):
        outreach_resolve(case=case, resolution="refund_issued", actor="test")


def test_a_new_case_can_end_with_no_action_possible(case):
    assert outreach_resolve(case=case, resolution="no_action_possible", actor="test").status == "resolved"


def test_closed_is_final(case):
    outreach_close(case=case, actor="test")
    with pytest.raises(OutreachError):
        outreach_contact(case=case, contact_reason="courtesy_refund", actor="test")
    with pytest.raises(OutreachError):
        outreach_close(case=case, actor="test")


# --- Nothing on this path can ask to change a review ----------------------------------

CHANGE_REQUESTS = [
    "We refunded you, could you please update your review?",
    "Would you consider removing the 2-star rating now that it works?",
    "Here is your full refund. A revised review would mean a lot to us.",
]


def test_outreach_takes_no_text_at_all(case):
    with pytest.raises(TypeError):
        outreach_contact(case=case, contact_reason="courtesy_refund", actor="test", body=CHANGE_REQUESTS[0])


@pytest.mark.parametrize("text", CHANGE_REQUESTS)
def test_the_guard_refuses_any_text_on_the_outreach_purpose(case, text):
    with pytest.raises(ComplianceRefused) as refused:
        message_send(
            body=text,
            actor="test",
            channel="test",
            order=case.review.order,
            purpose="review_outreach",
            contact_reason="courtesy_refund",
        )
    assert "free_text_outreach" in {v.rule for v in refused.value.result.violations}
    assert not OutboundMessage.objects.exists() and BlockedMessage.objects.count() == 1


@pytest.mark.parametrize("text", CHANGE_REQUESTS)
def test_the_guard_refuses_a_follow_up_reply_asking_to_change_the_review(text):
    result = compliance_check(text=text, purpose="reply")
    assert not result.allowed


def test_the_text_amazon_sends_for_each_template_passes_nothing_else(case):
    outreach_contact(case=case, contact_reason="courtesy_refund", actor="test")
    body = OutboundMessage.objects.get().body
    assert "review" not in body.lower()


# --- Seller feedback ------------------------------------------------------------------


def feedback(order, *, rating=1, removed=False, **overrides):
    values = {"comment": "Arrived late and crushed.", "left_at": NOW - timedelta(hours=3)}
    return feedback_record(order=order, rating=rating, removed=removed, actor="test", **{**values, **overrides})


def test_negative_feedback_opens_a_ticket_for_the_csm(order):
    fb, created = feedback(order)
    ticket = fb.ticket
    assert created and ticket.kind == Ticket.Kind.NEGATIVE_FEEDBACK and ticket.order == order


def test_the_feedback_ticket_starts_with_an_internal_note_and_no_sla_clock(order):
    ticket = feedback(order)[0].ticket
    note = ticket.messages.get()
    assert note.direction == Message.Direction.NOTE and "Arrived late and crushed." in note.body
    assert ticket.sla_due_at is None


def test_removed_negative_feedback_opens_no_ticket(order):
    assert feedback(order, removed=True)[0].ticket is None


@pytest.mark.parametrize("rating", [3, 4, 5])
def test_neutral_or_positive_feedback_opens_no_ticket(order, rating):
    assert feedback(order, rating=rating)[0].ticket is None


def test_the_same_feedback_twice_changes_nothing(order):
    feedback(order)
    before = SellerFeedback.objects.values().get()
    fb, created = feedback(order)
    assert not created and SellerFeedback.objects.values().get() == before
    assert Ticket.objects.count() == 1


def test_feedback_that_turns_negative_opens_one_ticket_then(order):
    feedback(order, rating=5)
    feedback(order, rating=2)
    feedback(order, rating=1)
    assert Ticket.objects.filter(kind="negative_feedback").count() == 1


def test_feedback_removed_later_records_when(order):
    feedback(order)
    fb, _ = feedback(order, removed=True)
    assert fb.removed and fb.removed_at is not None


def test_feedback_of_an_order_without_a_buyer_opens_no_ticket():
    order = OrderFactory(seller_account=SellerAccountFactory(), buyer=None)
    assert feedback(order)[0].ticket is None


def test_review_themes_are_kept_apart_from_feedback(order):
    feedback(order)
    assert not ReviewThemeMatch.objects.exists() and not ProductReview.objects.exists()


def test_a_concurrent_insert_of_the_same_review_becomes_an_update(product, monkeypatch):
    # Simulate losing the race: the row appears between our lookup and our insert.
    from reviews import services

    real = services._locked_or_created

    def racing(existing, **values):
        if existing.model is ProductReview and not ProductReview.objects.exists():
            ProductReview.objects.create(**{**values, "rating": 5})
            monkeypatch.setattr(existing, "first", lambda: None)
        return real(existing, **values)

    monkeypatch.setattr(services, "_locked_or_created", racing)
    review, created = record(product, rating=2)
    assert not created and review.rating == 2
    assert ProductReview.objects.count() == 1 and ReviewRatingChange.objects.get().to_rating == 2
