"""Reads of the metrics app (metrics/selectors.py): the agents' ODR header badges."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from metrics.selectors import OdrBadge, odr_badges_for
from metrics.services import metric_snapshots_record
from tests.factories import OrderFactory, SellerAccountFactory, SellerFeedbackFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 31)
IN_WINDOW = datetime(2026, 10, 1, tzinfo=UTC)


def orders_with_defects(account, *, orders, defective):
    made = [OrderFactory(seller_account=account, purchased_at=IN_WINDOW) for _ in range(orders)]
    for order in made[:defective]:
        SellerFeedbackFactory(order=order, rating=1, left_at=datetime(2026, 10, 20, tzinfo=UTC))


def test_a_badge_is_the_latest_odr_snapshot(alice, account):
    orders_with_defects(account, orders=200, defective=1)
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    # 1 of 200 = 0.5 %: ok; headroom: 1 more defective order keeps it below 1 % (2 of 200 is not).
    assert odr_badges_for(alice) == [
        OdrBadge(
            seller_account_id=account.pk,
            seller_account_name="Espresso Co.",
            day=DAY,
            value=Decimal("0.500"),
            status="ok",
            headroom_orders=0,
            channel="FBM",
        )
    ]


def test_a_badge_shows_the_worst_channel_not_the_combined_figure(alice, account):
    # FBM: 1 defective of 100 (1 %: critical); FBA: 0 of 300. Combined 0.25 % would look fine.
    orders_with_defects(account, orders=100, defective=1)
    for _ in range(300):
        OrderFactory(seller_account=account, purchased_at=IN_WINDOW, fulfillment_channel="FBA")
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    [badge] = odr_badges_for(alice)
    assert (badge.channel, badge.value, badge.status) == ("FBM", Decimal("1.000"), "critical")


def test_the_newest_day_wins(alice, account):
    orders_with_defects(account, orders=100, defective=0)
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    late_order = OrderFactory(seller_account=account, purchased_at=IN_WINDOW)
    SellerFeedbackFactory(order=late_order, rating=2, left_at=datetime(2026, 11, 1, tzinfo=UTC))
    metric_snapshots_record(seller_account=account, day=date(2026, 11, 1), alert=False)
    [badge] = odr_badges_for(alice)
    # 1 defective of 101 orders as of Nov 1: 0.990 %, just under the target: warning.
    assert (badge.day, badge.value, badge.status) == (date(2026, 11, 1), Decimal("0.990"), "warning")


def test_an_account_without_snapshots_has_a_badge_without_figures(alice, account):
    [badge] = odr_badges_for(alice)
    assert (badge.seller_account_id, badge.day, badge.value, badge.status, badge.headroom_orders) == (
        account.pk,
        None,
        None,
        None,
        None,
    )


def test_an_agent_sees_only_the_badges_of_their_accounts(charlie, account, other_account):
    metric_snapshots_record(seller_account=account, day=DAY, alert=False)
    assert [b.seller_account_id for b in odr_badges_for(charlie)] == [other_account.pk]


def test_a_manager_sees_every_accounts_badge_by_name(manager, account, other_account):
    assert [b.seller_account_name for b in odr_badges_for(manager)] == ["Espresso Co.", "Grinders Ltd."]


def test_badges_cost_one_query_however_many_accounts(manager, account, django_assert_num_queries):
    for index in range(4):
        extra = SellerAccountFactory()
        orders_with_defects(extra, orders=50, defective=index % 2)
        for day in (date(2026, 10, 30), DAY):
            metric_snapshots_record(seller_account=extra, day=day, alert=False)
    manager.has_perm("tickets.view_all_seller_accounts")  # the permission cache a request has
    with django_assert_num_queries(1):
        badges = odr_badges_for(manager)
    assert len(badges) == 5


def test_an_agents_badges_cost_one_query(alice, account, other_account, django_assert_num_queries):
    alice.has_perm("tickets.view_all_seller_accounts")
    other_account.agents.add(alice)
    for extra in (account, other_account):
        metric_snapshots_record(seller_account=extra, day=DAY, alert=False)
    with django_assert_num_queries(1):
        assert len(odr_badges_for(alice)) == 2
