"""FBM shipping figures and the return rate (metrics/fulfillment.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from metrics.fulfillment import fulfillment_compute
from tests.factories import OrderFactory, TicketFactory
from tickets.models import FulfillmentChannel, Ticket

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 10, 31)
MIDNIGHT = datetime(2026, 10, 31, tzinfo=UTC)


def figures(account):
    return fulfillment_compute(seller_account=account, as_of=AS_OF)


def shipped(account, *, ship_by_days_ago, late, tracking="1Z999", channel=FulfillmentChannel.FBM):
    ship_by = MIDNIGHT - timedelta(days=ship_by_days_ago)
    return OrderFactory(
        seller_account=account,
        fulfillment_channel=channel,
        purchased_at=ship_by - timedelta(days=2),
        latest_ship_date=ship_by,
        shipped_at=ship_by + timedelta(hours=1 if late else -1),
        tracking_number=tracking,
    )


def test_an_order_shipped_after_its_ship_by_date_is_late(account):
    shipped(account, ship_by_days_ago=3, late=True)
    shipped(account, ship_by_days_ago=3, late=False)
    result = figures(account)
    assert (result.late_shipment_10.numerator, result.late_shipment_10.denominator) == (1, 2)
    assert (result.late_shipment_10.value, result.late_shipment_10.status) == (50.0, "critical")


def test_the_10_day_window_leaves_out_older_ship_by_dates_the_30_day_one_keeps(account):
    shipped(account, ship_by_days_ago=15, late=True)
    result = figures(account)
    assert (result.late_shipment_10.denominator, result.late_shipment_30.numerator) == (0, 1)


def test_fba_orders_are_not_in_the_seller_fulfilled_figures(account):
    shipped(account, ship_by_days_ago=3, late=True, channel=FulfillmentChannel.FBA)
    assert figures(account).late_shipment_10.denominator == 0


def test_valid_tracking_counts_shipped_orders_with_a_tracking_number(account):
    shipped(account, ship_by_days_ago=3, late=False)
    shipped(account, ship_by_days_ago=4, late=False, tracking="")
    result = figures(account).valid_tracking
    assert (result.numerator, result.denominator, result.status) == (1, 2, "critical")


def test_a_seller_cancellation_counts_and_a_buyer_request_does_not(account):
    purchased = MIDNIGHT - timedelta(days=2)
    OrderFactory(seller_account=account, purchased_at=purchased, cancelled_at=purchased + timedelta(hours=5))
    OrderFactory(
        seller_account=account,
        purchased_at=purchased,
        cancelled_at=purchased + timedelta(hours=5),
        cancelled_by_buyer=True,
    )
    OrderFactory(seller_account=account, purchased_at=purchased)
    OrderFactory(seller_account=account, purchased_at=purchased)
    result = figures(account).pre_fulfillment_cancel
    assert (result.numerator, result.denominator, result.value) == (1, 4, 25.0)


def test_the_return_rate_counts_returned_orders_of_the_last_30_days(account):
    purchased = MIDNIGHT - timedelta(days=20)
    OrderFactory(seller_account=account, purchased_at=purchased, returned_at=purchased + timedelta(days=5))
    OrderFactory(seller_account=account, purchased_at=purchased, fulfillment_channel=FulfillmentChannel.FBA)
    result = figures(account).returns
    assert (result.numerator, result.denominator, result.status) == (1, 2, "none")


def test_no_orders_are_ok(account):
    result = figures(account)
    assert (result.late_shipment_10.value, result.valid_tracking.status) == (0.0, "ok")


def resolved_ticket(account, *, kind=Ticket.Kind.SETUP, status=Ticket.Status.SOLVED, days_ago=5, returned_at=None):
    order = OrderFactory(seller_account=account, purchased_at=MIDNIGHT - timedelta(days=40), returned_at=returned_at)
    return TicketFactory(
        seller_account=account, order=order, kind=kind, status=status, created_at=MIDNIGHT - timedelta(days=days_ago)
    )


def test_tickets_resolved_without_a_return_of_the_return_risk_kinds(account, other_account):
    resolved_ticket(account)  # setup trouble solved, nothing returned: prevented
    resolved_ticket(account, kind=Ticket.Kind.WARRANTY, status=Ticket.Status.CLOSED)  # prevented
    resolved_ticket(account, kind=Ticket.Kind.RETURN, returned_at=MIDNIGHT - timedelta(days=2))  # returned
    # Returned only after the as-of date: without a return as of then.
    resolved_ticket(account, kind=Ticket.Kind.REPLACEMENT_PART, returned_at=MIDNIGHT + timedelta(days=3))
    # Not counted: still open, a kind that cannot end in a return, opened before the window,
    # no order, another account's.
    resolved_ticket(account, status=Ticket.Status.OPEN)
    resolved_ticket(account, kind=Ticket.Kind.WHERE_IS_MY_PACKAGE)
    resolved_ticket(account, days_ago=31)
    solved_without_order = {"kind": Ticket.Kind.SETUP, "status": Ticket.Status.SOLVED}
    TicketFactory(seller_account=account, created_at=MIDNIGHT - timedelta(days=5), **solved_without_order)
    resolved_ticket(other_account)
    prevented = figures(account).returns_prevented
    assert (prevented.numerator, prevented.denominator, prevented.value) == (3, 4, 75.0)
    assert prevented.status == "none"  # no Amazon target
