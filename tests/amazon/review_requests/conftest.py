"""Review requests against the local Amazon: the SP-API fixtures (a sandbox on a moved clock,
the connected account) and ``mirror``, the desk's copy of a sandbox order as the sync stores it."""

from datetime import timedelta

import pytest

from tests.amazon.spapi.conftest import (  # noqa: F401 - fixtures
    START,
    advance,
    clock,
    connection,
    desk_clock,
    marketplace,
    sandbox,
    sandbox_url,
    seller,
    seller_account,
)
from tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from tickets.models import Order, Product


def mirror(account, sandbox_order, **fields):
    """The desk's order for a sandbox order: its id, channel, delivery dates and first product."""
    channel = "FBA" if sandbox_order.channel == "AFN" else "FBM"
    order = OrderFactory(
        seller_account=account,
        amazon_order_id=sandbox_order.order_id,
        fulfillment_channel=channel,
        status=Order.Status.DELIVERED if sandbox_order.delivered else Order.Status.SHIPPED,
        purchased_at=sandbox_order.created,
        earliest_delivery_date=sandbox_order.earliest_delivery,
        latest_delivery_date=sandbox_order.latest_delivery,
        shipped_at=sandbox_order.shipped,
        delivered_at=sandbox_order.delivered,
        **fields,
    )
    asin = sandbox_order.items[0].product.asin
    product = Product.objects.filter(seller_account=account, asin=asin).first()
    product = product or ProductFactory(seller_account=account, asin=asin)
    OrderItemFactory(order=order, product=product)
    return order


def delivered_lately(market, n=1):
    """Sandbox orders delivered in the two days before START (their day comes after it)."""
    found = [
        o
        for o in market.visible(START)
        if o.delivered and START - timedelta(days=2) < o.delivered <= START and o.status(START) == "SHIPPED"
    ]
    return found[:n]


@pytest.fixture
def enabled(seller_account):  # noqa: F811 - the fixture imported above
    seller_account.review_requests_enabled = True
    seller_account.review_request_day = 7
    seller_account.save()
    return seller_account
