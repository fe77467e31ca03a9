"""Helpers of the agent desk's tests: tickets made the way production makes them (a buyer
message through the SLA engine), so their clocks are real."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BuyerFactory, OrderFactory, OrderItemFactory, ProductFactory
from tickets.intake.messages import inbound_message_receive
from tickets.models import Product


@pytest.fixture
def buyer_writes():
    def write(account, body="Where is my package?", *, hours_ago=1.0, order=None, buyer=None, subject=""):
        buyer = buyer or (order.buyer if order else BuyerFactory(seller_account=account))
        message = inbound_message_receive(
            seller_account=account,
            buyer=buyer,
            body=body,
            received_at=timezone.now() - timedelta(hours=hours_ago),
            order=order,
            subject=subject,
            actor="test",
        ).message
        return message.ticket

    return write


@pytest.fixture
def fbm_order():
    def make(account, **kwargs):
        order = OrderFactory(seller_account=account, **kwargs)
        product = Product.objects.filter(seller_account=account, asin="B0ESPRESS1").first() or ProductFactory(
            seller_account=account, asin="B0ESPRESS1", title="Brewline Pro Espresso Machine"
        )
        OrderItemFactory(order=order, product=product)
        return order

    return make


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
