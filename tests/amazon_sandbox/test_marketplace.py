"""The generated marketplace: deterministic, orders over time, and the defect rules the ODR uses."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from amazon_sandbox.documents import odr_figures
from amazon_sandbox.marketplace import MFN, Chargeback, Claim, Feedback, Marketplace, generate

from .conftest import START


def market(seed=1, orders=300):
    return generate(selling_partner_id="ATESTSELLER001", seller_name="Test", seed=seed, orders=orders, anchor=START)


def test_the_same_seed_gives_the_same_orders():
    generate.cache_clear()
    first = [o.order_id for o in market().orders]
    generate.cache_clear()
    assert first == [o.order_id for o in market().orders] != [o.order_id for o in market(seed=2).orders]


def test_orders_span_both_channels_and_every_status():
    orders = market().orders
    statuses = {o.status(START) for o in orders if o.exists(START)}
    assert {o.channel for o in orders} == {"AFN", "MFN"} and statuses == {
        "PENDING",
        "UNSHIPPED",
        "SHIPPED",
        "CANCELLED",
    }


def test_orders_appear_and_ship_as_time_moves():
    m = market()
    later = START + timedelta(days=3)
    assert len(m.visible(later)) > len(m.visible(START))


def test_an_order_ships_before_it_is_delivered_and_updates_with_it():
    order = next(o for o in market().orders if o.delivered)
    assert order.created < order.shipped < order.delivered and order.last_updated(order.delivered) == order.delivered


def test_an_order_with_negative_feedback_and_a_claim_is_one_defect():
    template = next(
        o
        for o in market().orders
        if o.channel == MFN and o.delivered and START - timedelta(days=50) < o.created < START - timedelta(days=2)
    )
    order = replace(
        template,
        feedback=Feedback(rating=1, comment="Never arrived.", left_at=START - timedelta(hours=2)),
        claims=[Claim("AZ-1", START - timedelta(hours=1), "open", Decimal("10"))],
        chargebacks=[],
    )
    alone = Marketplace(selling_partner_id="ATEST", seller_name="Test", anchor=START, orders=[order], products=[])
    figures = odr_figures(alone, at=START, channel=MFN)
    counts = (figures["orderWithDefects"]["count"], figures["negativeFeedback"]["count"], figures["claims"]["count"])
    assert counts == (1, 1, 1)


def test_a_denied_claim_counts_until_its_decision():
    claim = Claim("AZ-2", START, "denied", Decimal("5"), decided_at=START + timedelta(days=3))
    assert (claim.counted(START + timedelta(days=1)), claim.counted(START + timedelta(days=4))) == (True, False)


def test_removed_feedback_leaves_when_amazon_removes_it():
    feedback = Feedback(rating=2, comment="late", left_at=START, removed_at=START + timedelta(days=2))
    assert (feedback.counted(START + timedelta(days=1)), feedback.counted(START + timedelta(days=3))) == (True, False)


def test_fraud_chargebacks_and_buy_shipping_protected_claims_never_count():
    fraud = Chargeback("CB-1", START, "fraud", "open", Decimal("5"))
    protected = Claim("AZ-3", START, "granted_seller_funded", Decimal("5"), buy_shipping_protected=True)
    assert (fraud.counted(START), protected.counted(START)) == (False, False)
