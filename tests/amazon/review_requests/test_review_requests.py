"""Review requests through the local Amazon: one solicitation per delivered order on the
account's day, only when Amazon lists it, once, and never beside the quick-start guide."""

from datetime import timedelta

import pytest

from amazon.review_requests.models import ReviewRequest
from amazon.review_requests.services import (
    ReviewRequestRefused,
    review_request_now,
    review_request_send,
    review_requests_due,
    review_requests_schedule,
    review_requests_sweep,
)
from tests.factories import TicketFactory, UserFactory
from tickets.models import Order

from .conftest import START, delivered_lately, mirror

Status, Reason = ReviewRequest.Status, ReviewRequest.Reason


def day_of(order, days=7, hours=1):
    return (order.delivered_at + timedelta(days=days, hours=hours) - START).total_seconds()


def run_sweep(now):
    """The beat, with the worker inline (the broker is not part of these tests)."""
    review_requests_schedule(now=now)
    return [review_request_send(request_id=pk, now=now) for pk in review_requests_due(now=now)]


def test_a_delivered_order_gets_its_request_on_the_accounts_day(enabled, connection, sandbox, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order, days=6))
    early = run_sweep(START + timedelta(seconds=day_of(order, days=6)))
    advance(days=1)
    sent = run_sweep(START + timedelta(seconds=day_of(order, days=7)))
    assert (early, sent) == ([], ["sent"])
    assert list(sandbox.contacts.solicited) == [(connection.selling_partner_id, order.amazon_order_id)]


def test_nothing_is_sent_while_the_switch_is_off(seller_account, connection, marketplace, advance):
    order = mirror(seller_account, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order))
    assert run_sweep(START + timedelta(seconds=day_of(order))) == [] and not ReviewRequest.objects.exists()


def test_the_sweep_twice_sends_once(enabled, connection, sandbox, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order))
    now = START + timedelta(seconds=day_of(order))
    outcomes = run_sweep(now) + run_sweep(now)
    assert (outcomes, len(sandbox.contacts.solicited), ReviewRequest.objects.count()) == (["sent"], 1, 1)


def test_a_second_send_of_the_same_row_is_not_claimed(enabled, connection, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order))
    now = START + timedelta(seconds=day_of(order))
    review_requests_schedule(now=now)
    pk = ReviewRequest.objects.get().pk
    assert [review_request_send(request_id=pk, now=now) for _ in range(3)] == ["sent", "not_claimed", "not_claimed"]


def test_a_worker_killed_after_amazon_accepted_is_not_sent_twice(enabled, connection, sandbox, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order))
    now = START + timedelta(seconds=day_of(order))
    review_requests_schedule(now=now)
    request = ReviewRequest.objects.get()
    # The worker claimed it, called Amazon (which accepted), then died before recording it.
    ReviewRequest.objects.filter(pk=request.pk).update(status=Status.SENDING, claimed_at=now, requested_at=now)
    sandbox.contacts.solicited[(connection.selling_partner_id, order.amazon_order_id)] = now
    later = now + timedelta(minutes=11)  # past the claim's lease
    assert review_request_send(request_id=request.pk, now=later) == "sent"
    assert len(sandbox.contacts.solicited) == 1


def test_amazons_list_decides(enabled, connection, sandbox, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    sandbox.contacts.solicited[(connection.selling_partner_id, order.amazon_order_id)] = START  # sent in Seller Central
    advance(seconds=day_of(order))
    run_sweep(START + timedelta(seconds=day_of(order)))
    assert ReviewRequest.objects.get().skip_reason == Reason.NOT_OFFERED


def test_a_cancelled_order_gets_none(enabled, connection, sandbox, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    Order.objects.filter(pk=order.pk).update(cancelled_at=order.delivered_at)
    advance(seconds=day_of(order))
    run_sweep(START + timedelta(seconds=day_of(order)))
    assert (ReviewRequest.objects.get().skip_reason, sandbox.contacts.solicited) == (Reason.CANCELLED, {})


def test_an_order_type_set_to_the_guide_gets_no_request(enabled, connection, marketplace, advance):
    enabled.proactive_guides_enabled = True
    enabled.post_delivery_fba = enabled.post_delivery_fbm = "guide"
    enabled.save()
    order = mirror(enabled, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order))
    assert run_sweep(START + timedelta(seconds=day_of(order))) == [] and not ReviewRequest.objects.exists()


def test_an_order_that_had_the_guide_gets_no_request(enabled, connection, sandbox, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0], post_delivery_contact="guide")
    advance(seconds=day_of(order))
    run_sweep(START + timedelta(seconds=day_of(order)))
    assert (ReviewRequest.objects.get().skip_reason, sandbox.contacts.solicited) == (Reason.PROACTIVE_MESSAGE, {})


def test_a_sent_request_takes_the_orders_one_proactive_contact(enabled, connection, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order))
    run_sweep(START + timedelta(seconds=day_of(order)))
    order.refresh_from_db()
    assert order.post_delivery_contact == "review_request"


def test_amazons_rate_limit_is_retried_later(enabled, connection, sandbox, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order))
    sandbox.limiter.allow = lambda **kwargs: False
    run_sweep(START + timedelta(seconds=day_of(order)))
    request = ReviewRequest.objects.get()
    assert (request.status, request.due_at > START + timedelta(seconds=day_of(order))) == (Status.FAILED, True)


def test_an_account_not_connected_records_why(enabled, sandbox_url, marketplace, advance):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    advance(seconds=day_of(order))
    run_sweep(START + timedelta(seconds=day_of(order)))
    assert ReviewRequest.objects.get().skip_reason == Reason.NOT_CONNECTED


def test_the_sweep_enqueues_what_is_due(enabled, connection, marketplace, advance, monkeypatch):
    orders = [mirror(enabled, o) for o in delivered_lately(marketplace, n=3)]
    latest = max(o.delivered_at for o in orders)
    now = latest + timedelta(days=7, hours=1)
    enqueued = []
    monkeypatch.setattr(
        "amazon.review_requests.services.review_request_enqueue", lambda request_id: enqueued.append(request_id) or True
    )
    result = review_requests_sweep(now=now)
    assert (result.scheduled, result.enqueued, len(enqueued)) == (3, 3, 3)


# --- the workspace's button ---------------------------------------------------------------


@pytest.fixture
def agent(seller_account):
    user = UserFactory()
    seller_account.agents.add(user)
    return user


def test_the_button_requests_a_review_in_the_window(enabled, connection, sandbox, marketplace, advance, agent):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    ticket = TicketFactory(seller_account=enabled, buyer=order.buyer, order=order)
    advance(seconds=(order.earliest_delivery_date + timedelta(days=5, hours=1) - START).total_seconds())
    request = review_request_now(ticket=ticket, user=agent)
    assert (request.status, request.manual, len(sandbox.contacts.solicited)) == (Status.SENT, True, 1)


def test_the_button_says_why_before_amazons_window(enabled, connection, marketplace, agent):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    ticket = TicketFactory(seller_account=enabled, buyer=order.buyer, order=order)
    with pytest.raises(ReviewRequestRefused, match="Amazon does not offer|window opens"):
        review_request_now(ticket=ticket, user=agent)


def test_the_button_refuses_a_second_request(enabled, connection, marketplace, advance, agent):
    order = mirror(enabled, delivered_lately(marketplace)[0])
    ticket = TicketFactory(seller_account=enabled, buyer=order.buyer, order=order)
    advance(seconds=(order.earliest_delivery_date + timedelta(days=6) - START).total_seconds())
    review_request_now(ticket=ticket, user=agent)
    with pytest.raises(ReviewRequestRefused, match="already requested"):
        review_request_now(ticket=ticket, user=agent)


def test_the_button_refuses_an_order_not_delivered(enabled, connection, agent):
    ticket = TicketFactory(seller_account=enabled)
    with pytest.raises(ReviewRequestRefused, match="no order"):
        review_request_now(ticket=ticket, user=agent)
