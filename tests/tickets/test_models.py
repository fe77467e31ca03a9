"""The database itself refuses records that break the domain's invariants."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import (
    AtoZClaimFactory,
    BuyerFactory,
    ChargebackFactory,
    MessageFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    SellerAccountFactory,
    TicketFactory,
)
from tickets.models import Order, OrderEvent, SellerAccount, Ticket

pytestmark = pytest.mark.django_db


def _refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_a_duplicate_amazon_order_id_in_one_account_is_refused():
    order = OrderFactory(amazon_order_id="113-0000001-0000001")
    _refused(OrderFactory, amazon_order_id="113-0000001-0000001", seller_account=order.seller_account)


def test_two_accounts_each_keep_their_own_order_with_the_same_amazon_id():
    first = OrderFactory(amazon_order_id="113-0000001-0000001")
    second = OrderFactory(amazon_order_id="113-0000001-0000001")
    assert first.seller_account_id != second.seller_account_id
    assert first.pk != second.pk


def test_the_same_claim_and_chargeback_ids_in_one_account_are_refused():
    claim = AtoZClaimFactory(claim_id="AZ-1")
    chargeback = ChargebackFactory(chargeback_id="CB-1")
    _refused(AtoZClaimFactory, claim_id="AZ-1", order=OrderFactory(seller_account=claim.seller_account))
    _refused(ChargebackFactory, chargeback_id="CB-1", order=OrderFactory(seller_account=chargeback.seller_account))


def test_a_claim_is_scoped_to_its_orders_account():
    claim = AtoZClaimFactory(claim_id="AZ-1")
    other = AtoZClaimFactory(claim_id="AZ-1")
    assert claim.seller_account_id == claim.order.seller_account_id
    assert other.seller_account_id == other.order.seller_account_id != claim.seller_account_id


def test_the_same_seller_account_cannot_be_registered_twice():
    SellerAccountFactory(merchant_id="A1", marketplace_id="ATVPDKIKX0DER")
    _refused(SellerAccountFactory, merchant_id="A1", marketplace_id="ATVPDKIKX0DER")


def test_the_same_merchant_may_sell_in_two_marketplaces():
    SellerAccountFactory(merchant_id="A1", marketplace_id="ATVPDKIKX0DER")
    SellerAccountFactory(merchant_id="A1", marketplace_id="A1F83G8C2ARO7P")
    assert SellerAccount.objects.filter(merchant_id="A1").count() == 2


def test_a_buyer_id_is_unique_within_a_seller_account_only():
    buyer = BuyerFactory(amazon_buyer_id="B-1")
    BuyerFactory(amazon_buyer_id="B-1")  # another account: a different buyer record
    _refused(BuyerFactory, amazon_buyer_id="B-1", seller_account=buyer.seller_account)


def test_an_asin_is_unique_within_a_seller_account():
    product = ProductFactory(asin="B0ESPRESS1")
    _refused(ProductFactory, asin="B0ESPRESS1", seller_account=product.seller_account)


def test_negative_money_is_refused():
    _refused(OrderFactory, order_total=Decimal("-1.00"))
    _refused(OrderItemFactory, unit_price=Decimal("-0.01"))
    _refused(AtoZClaimFactory, amount=Decimal("-5"))
    _refused(ChargebackFactory, amount=Decimal("-5"))


def test_an_order_item_needs_a_positive_quantity():
    _refused(OrderItemFactory, quantity=0)


def test_an_unknown_fulfillment_channel_is_refused():
    _refused(OrderFactory, fulfillment_channel="XYZ")


def test_an_unknown_ticket_status_is_refused():
    _refused(TicketFactory, status="archived")


def test_a_duplicate_external_message_id_in_one_account_is_refused():
    message = MessageFactory(external_id="amzn-msg-1")
    _refused(
        MessageFactory, external_id="amzn-msg-1", ticket=TicketFactory(seller_account=message.ticket.seller_account)
    )


def test_two_accounts_may_each_have_a_message_with_the_same_external_id():
    first, second = MessageFactory(external_id="amzn-msg-1"), MessageFactory(external_id="amzn-msg-1")
    assert (first.seller_account_id, second.seller_account_id) == (
        first.ticket.seller_account_id,
        second.ticket.seller_account_id,
    )


def test_the_same_event_without_an_id_is_stored_once_per_order():
    order, at = OrderFactory(), timezone.now()
    OrderEvent.objects.create(order=order, type="delivered", occurred_at=at)
    _refused(OrderEvent.objects.create, order=order, type="delivered", occurred_at=at)
    OrderEvent.objects.create(order=OrderFactory(), type="delivered", occurred_at=at)


def test_an_event_id_is_unique_per_order():
    order, at = OrderFactory(), timezone.now()
    OrderEvent.objects.create(order=order, type="shipped", occurred_at=at, event_id="evt-1")
    _refused(OrderEvent.objects.create, order=order, type="delivered", occurred_at=at, event_id="evt-1")
    OrderEvent.objects.create(order=OrderFactory(), type="shipped", occurred_at=at, event_id="evt-1")


def test_many_messages_may_have_no_external_id():
    MessageFactory(external_id=None)
    MessageFactory(external_id=None)


def test_a_malformed_amazon_order_id_fails_validation():
    order = OrderFactory.build(amazon_order_id="12345", seller_account=SellerAccountFactory(), buyer=None)
    with pytest.raises(ValidationError) as excinfo:
        order.full_clean()
    assert "amazon_order_id" in excinfo.value.message_dict


def test_a_malformed_asin_fails_validation():
    product = ProductFactory.build(asin="b0-lower", seller_account=SellerAccountFactory())
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    assert "asin" in excinfo.value.message_dict


class TestSlaState:
    def test_an_open_ticket_past_its_due_time_is_breached(self):
        ticket = TicketFactory(sla_due_at=timezone.now() - timedelta(minutes=1))
        assert ticket.sla_state() == "breached"
        assert Ticket.objects.open().breached().get() == ticket

    def test_an_open_ticket_due_within_four_hours_is_at_risk(self):
        ticket = TicketFactory(sla_due_at=timezone.now() + timedelta(hours=3, minutes=59))
        assert ticket.sla_state() == "at_risk"
        assert Ticket.objects.open().at_risk().get() == ticket

    def test_an_open_ticket_due_later_is_ok(self):
        assert TicketFactory(sla_due_at=timezone.now() + timedelta(hours=5)).sla_state() == "ok"

    def test_a_ticket_without_a_clock_has_no_sla_state(self):
        assert TicketFactory(sla_due_at=None).sla_state() == "none"

    def test_a_ticket_parked_with_its_clock_running_still_breaches(self):
        # The clock belongs to the buyer's messages: parking the ticket does not stop it.
        ticket = TicketFactory(status=Ticket.Status.PENDING, sla_due_at=timezone.now() - timedelta(hours=1))
        assert ticket.sla_state() == "breached"
        assert list(Ticket.objects.running()) == [ticket]
        assert not Ticket.objects.open().exists()


def test_order_fbm_flag_follows_the_fulfillment_channel():
    assert OrderFactory(fulfillment_channel="FBM").is_fbm
    assert not OrderFactory(fulfillment_channel="FBA").is_fbm
    assert Order.objects.count() == 2


def test_the_unfinished_sp_api_gateway_cannot_be_chosen():
    account = SellerAccountFactory(outbound_gateway="sp_api")
    with pytest.raises(ValidationError) as excinfo:
        account.full_clean()
    assert "outbound_gateway" in excinfo.value.message_dict
