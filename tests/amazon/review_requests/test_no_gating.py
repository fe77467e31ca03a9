"""No review gating: whatever the buyer's experience — tickets of any kind and status, a
product review of any rating, a return, a refund, seller feedback of any rating, an A-to-z
claim — an order's review request comes out exactly as it would without it. Only Amazon's
eligibility, cancellation and the account's switch decide (README, "Review requests")."""

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amazon.review_requests.models import ReviewRequest
from amazon.review_requests.services import review_request_send, review_requests_schedule
from tests.factories import AtoZClaimFactory, MessageFactory, ProductReviewFactory, SellerFeedbackFactory, TicketFactory
from tickets.models import Order, Ticket

from .conftest import START, delivered_lately, mirror

experience = st.fixed_dictionaries(
    {
        "tickets": st.lists(
            st.tuples(st.sampled_from(Ticket.Kind.values), st.sampled_from(Ticket.Status.values), st.booleans()),
            max_size=3,
        ),
        "review_rating": st.none() | st.integers(min_value=1, max_value=5),
        "feedback_rating": st.none() | st.integers(min_value=1, max_value=5),
        "returned": st.booleans(),
        "refunded": st.booleans(),
        "a_to_z_claim": st.booleans(),
    }
)


def give(order, state, at):
    """The buyer's experience of ``order``, as the desk would have recorded it by ``at``."""
    for kind, status, angry in state["tickets"]:
        ticket = TicketFactory(
            seller_account=order.seller_account, buyer=order.buyer, order=order, kind=kind, status=status
        )
        MessageFactory(ticket=ticket, body="This is broken and I am furious!" if angry else "Thanks, all good.")
    product = order.items.first().product
    if state["review_rating"] is not None:
        ProductReviewFactory(
            product=product, order=order, buyer=order.buyer, rating=state["review_rating"], reviewed_at=at
        )
    if state["feedback_rating"] is not None:
        SellerFeedbackFactory(order=order, rating=state["feedback_rating"], left_at=at)
    if state["a_to_z_claim"]:
        AtoZClaimFactory(order=order, seller_account=order.seller_account)
    Order.objects.filter(pk=order.pk).update(
        returned_at=at if state["returned"] else None, refunded_at=at if state["refunded"] else None
    )


def outcome(sandbox, connection, order, now) -> tuple[str, str, bool]:
    """The request's fate, in a savepoint rolled back afterwards; Amazon's record likewise."""
    amazon_before = dict(sandbox.contacts.solicited)
    with transaction.atomic():
        review_requests_schedule(now=now)
        request = ReviewRequest.objects.get(order=order)
        review_request_send(request_id=request.pk, now=now)
        request.refresh_from_db()
        solicited = sandbox.contacts.solicited.get((connection.selling_partner_id, order.amazon_order_id))
        result = (request.status, request.skip_reason, solicited == now)
        transaction.set_rollback(True)
    sandbox.contacts.solicited.clear()
    sandbox.contacts.solicited.update(amazon_before)
    return result


@pytest.fixture
def situation(seller_account, connection, sandbox, marketplace, advance):
    seller_account.review_requests_enabled = True
    seller_account.review_request_day = 7
    seller_account.save()
    sandbox.limiter.allow = lambda **kwargs: True  # Amazon's rate limit is not what this test is about
    eligible, ineligible = (mirror(seller_account, o) for o in delivered_lately(marketplace, n=2))
    # Amazon no longer lists the second one (sent from Seller Central already).
    sandbox.contacts.solicited[(connection.selling_partner_id, ineligible.amazon_order_id)] = START
    now = max(eligible.delivered_at, ineligible.delivered_at) + timedelta(days=7, hours=1)
    advance(seconds=(now - START).total_seconds())
    return sandbox, connection, eligible, ineligible, now


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(state=experience, which=st.sampled_from(["eligible", "ineligible"]))
def test_the_buyers_experience_never_changes_the_request(situation, state, which):
    sandbox, connection, eligible, ineligible, now = situation
    order = eligible if which == "eligible" else ineligible
    without = outcome(sandbox, connection, order, now)
    with transaction.atomic():
        give(order, state, at=order.delivered_at + timedelta(days=2))
        with_experience = outcome(sandbox, connection, order, now)
        transaction.set_rollback(True)
    assert with_experience == without
    assert without == (("sent", "", True) if which == "eligible" else ("skipped", "not_offered", False))
