"""The Order Defect Rate on hand-computed data sets (metrics/odr.py).

As of 2026-10-31 with the default window (60 days, no offset) the window holds orders
purchased from 2026-09-01 00:00 UTC to 2026-10-30 23:59:59 UTC; defects count when they
exist by the end of 2026-10-31.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics.odr import (
    OdrStatus,
    claim_counted,
    claim_excluded_appeal_won,
    claim_excluded_buy_shipping_protected,
    claim_excluded_denied,
    claim_excluded_withdrawn,
    odr_compute,
    odr_compute_channels,
    odr_headroom,
)
from tests.factories import AtoZClaimFactory, ChargebackFactory, OrderFactory, SellerFeedbackFactory
from tickets.models import AtoZClaim, Chargeback, FulfillmentChannel

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 10, 31)
FBM = FulfillmentChannel.FBM
FBA = FulfillmentChannel.FBA
IN_WINDOW = datetime(2026, 10, 1, 12, tzinfo=UTC)
BEFORE_AS_OF = datetime(2026, 10, 20, tzinfo=UTC)
AFTER_AS_OF = datetime(2026, 11, 2, tzinfo=UTC)


def orders(account, count, *, channel=FBM, at=IN_WINDOW):
    return [OrderFactory(seller_account=account, fulfillment_channel=channel, purchased_at=at) for _ in range(count)]


def odr(account, channel=FBM, as_of=AS_OF):
    return odr_compute(seller_account=account, channel=channel, as_of=as_of)


def test_an_order_with_feedback_a_claim_and_a_chargeback_is_one_defective_order(account):
    order, *_ = orders(account, 10)
    SellerFeedbackFactory(order=order, rating=1, left_at=BEFORE_AS_OF)
    AtoZClaimFactory(order=order, filed_at=BEFORE_AS_OF)
    ChargebackFactory(order=order, filed_at=BEFORE_AS_OF)
    result = odr(account)
    assert (result.orders, result.defective_orders) == (10, 1)
    assert result.odr == 10.0


def test_each_component_counts_its_own_orders(account):
    first, second, third, *_ = orders(account, 200)
    SellerFeedbackFactory(order=first, rating=2, left_at=BEFORE_AS_OF)
    AtoZClaimFactory(order=first, filed_at=BEFORE_AS_OF)
    AtoZClaimFactory(order=second, filed_at=BEFORE_AS_OF)
    AtoZClaimFactory(order=second, filed_at=BEFORE_AS_OF)  # a second claim on one order: still one order
    ChargebackFactory(order=third, filed_at=BEFORE_AS_OF)
    result = odr(account)
    assert result.defective_orders == 3
    assert (result.negative_feedback.orders, result.a_to_z_claims.orders, result.chargebacks.orders) == (1, 2, 1)
    assert (result.negative_feedback.rate, result.a_to_z_claims.rate, result.odr) == (0.5, 1.0, 1.5)


def test_three_star_feedback_is_not_a_defect(account):
    order, *_ = orders(account, 5)
    SellerFeedbackFactory(order=order, rating=3, left_at=BEFORE_AS_OF)
    assert odr(account).defective_orders == 0


def test_feedback_removed_by_amazon_is_not_a_defect(account):
    order, *_ = orders(account, 5)
    SellerFeedbackFactory(order=order, rating=1, left_at=BEFORE_AS_OF, removed=True, removed_at=BEFORE_AS_OF)
    assert odr(account).defective_orders == 0


def test_feedback_removed_after_the_as_of_date_still_counted_on_that_date(account):
    order, *_ = orders(account, 5)
    SellerFeedbackFactory(order=order, rating=1, left_at=BEFORE_AS_OF, removed=True, removed_at=AFTER_AS_OF)
    assert odr(account).defective_orders == 1


def test_feedback_left_after_the_as_of_date_does_not_count_yet(account):
    order, *_ = orders(account, 5)
    SellerFeedbackFactory(order=order, rating=1, left_at=AFTER_AS_OF)
    assert odr(account).defective_orders == 0


def test_feedback_left_on_the_as_of_day_counts(account):
    order, *_ = orders(account, 5)
    SellerFeedbackFactory(order=order, rating=1, left_at=datetime(2026, 10, 31, 23, 59, tzinfo=UTC))
    assert odr(account).defective_orders == 1


@pytest.mark.parametrize(
    "status",
    [
        AtoZClaim.Status.OPEN,
        AtoZClaim.Status.ACTION_REQUIRED,
        AtoZClaim.Status.GRANTED_AMAZON_FUNDED,
        AtoZClaim.Status.GRANTED_SELLER_FUNDED,
        AtoZClaim.Status.REFUNDED_BY_SELLER,
        AtoZClaim.Status.APPEALED,
        AtoZClaim.Status.APPEAL_LOST,
    ],
)
def test_a_claim_that_is_not_denied_counts(account, status):
    order, *_ = orders(account, 5)
    AtoZClaimFactory(order=order, filed_at=BEFORE_AS_OF, status=status, decided_at=BEFORE_AS_OF)
    assert odr(account).defective_orders == 1


@pytest.mark.parametrize("status", [AtoZClaim.Status.DENIED, AtoZClaim.Status.APPEAL_WON, AtoZClaim.Status.WITHDRAWN])
def test_a_denied_won_or_withdrawn_claim_does_not_count(account, status):
    order, *_ = orders(account, 5)
    AtoZClaimFactory(order=order, filed_at=BEFORE_AS_OF, status=status, decided_at=BEFORE_AS_OF)
    assert odr(account).defective_orders == 0


def test_a_claim_denied_after_the_as_of_date_still_counted_on_that_date(account):
    order, *_ = orders(account, 5)
    AtoZClaimFactory(order=order, filed_at=BEFORE_AS_OF, status=AtoZClaim.Status.DENIED, decided_at=AFTER_AS_OF)
    assert odr(account).defective_orders == 1
    assert odr(account, as_of=AFTER_AS_OF.date()).defective_orders == 0


def test_a_denied_claim_without_a_decision_date_is_taken_as_denied(account):
    order, *_ = orders(account, 5)
    AtoZClaimFactory(order=order, filed_at=BEFORE_AS_OF, status=AtoZClaim.Status.DENIED, decided_at=None)
    assert odr(account).defective_orders == 0


def test_a_buy_shipping_protected_claim_does_not_count(account):
    order, *_ = orders(account, 5)
    AtoZClaimFactory(order=order, filed_at=BEFORE_AS_OF, buy_shipping_protected=True)
    assert odr(account).defective_orders == 0


def test_a_withdrawn_claim_counts_when_the_setting_says_so(account, settings):
    settings.METRICS_ODR_WITHDRAWN_CLAIMS_COUNT = True
    order, *_ = orders(account, 5)
    AtoZClaimFactory(order=order, filed_at=BEFORE_AS_OF, status=AtoZClaim.Status.WITHDRAWN, decided_at=BEFORE_AS_OF)
    assert odr(account).defective_orders == 1


def test_a_claim_filed_after_the_as_of_date_does_not_count_yet(account):
    order, *_ = orders(account, 5)
    AtoZClaimFactory(order=order, filed_at=AFTER_AS_OF)
    assert odr(account).defective_orders == 0


def test_every_claim_exclusion_is_part_of_the_counted_rule(account):
    cutoff = datetime(2026, 11, 1, tzinfo=UTC)
    order, *_ = orders(account, 1)
    excluded = {
        claim_excluded_denied: AtoZClaimFactory(order=order, status=AtoZClaim.Status.DENIED, filed_at=BEFORE_AS_OF),
        claim_excluded_appeal_won: AtoZClaimFactory(
            order=order, status=AtoZClaim.Status.APPEAL_WON, filed_at=BEFORE_AS_OF
        ),
        claim_excluded_buy_shipping_protected: AtoZClaimFactory(
            order=order, buy_shipping_protected=True, filed_at=BEFORE_AS_OF
        ),
        claim_excluded_withdrawn: AtoZClaimFactory(
            order=order, status=AtoZClaim.Status.WITHDRAWN, filed_at=BEFORE_AS_OF
        ),
    }
    for rule, claim in excluded.items():
        assert AtoZClaim.objects.filter(rule(cutoff=cutoff)).filter(pk=claim.pk).exists(), rule.__name__
    assert not AtoZClaim.objects.filter(claim_counted(cutoff=cutoff)).exists()


def test_a_service_chargeback_counts(account):
    order, *_ = orders(account, 5)
    ChargebackFactory(order=order, filed_at=BEFORE_AS_OF, kind=Chargeback.Kind.SERVICE)
    assert odr(account).chargebacks.orders == 1


def test_a_fraud_chargeback_does_not_count(account):
    order, *_ = orders(account, 5)
    ChargebackFactory(order=order, filed_at=BEFORE_AS_OF, kind=Chargeback.Kind.FRAUD)
    assert odr(account).defective_orders == 0


def test_a_fraud_chargeback_counts_when_the_setting_says_so(account, settings):
    settings.METRICS_ODR_FRAUD_CHARGEBACKS_COUNT = True
    order, *_ = orders(account, 5)
    ChargebackFactory(order=order, filed_at=BEFORE_AS_OF, kind=Chargeback.Kind.FRAUD)
    assert odr(account).defective_orders == 1


def test_a_chargeback_decided_for_the_seller_does_not_count(account):
    order, *_ = orders(account, 5)
    ChargebackFactory(
        order=order, filed_at=BEFORE_AS_OF, status=Chargeback.Status.DECIDED_FOR_SELLER, decided_at=BEFORE_AS_OF
    )
    assert odr(account).defective_orders == 0


def test_a_chargeback_decided_for_the_seller_counts_when_the_setting_says_so(account, settings):
    settings.METRICS_ODR_CHARGEBACKS_WON_EXCLUDED = False
    order, *_ = orders(account, 5)
    ChargebackFactory(
        order=order, filed_at=BEFORE_AS_OF, status=Chargeback.Status.DECIDED_FOR_SELLER, decided_at=BEFORE_AS_OF
    )
    assert odr(account).defective_orders == 1


def test_the_window_starts_at_midnight_utc_sixty_days_before_the_as_of_date(account):
    inside = OrderFactory(seller_account=account, purchased_at=datetime(2026, 9, 1, tzinfo=UTC))
    outside = OrderFactory(seller_account=account, purchased_at=datetime(2026, 8, 31, 23, 59, 59, tzinfo=UTC))
    for order in (inside, outside):
        SellerFeedbackFactory(order=order, rating=1, left_at=BEFORE_AS_OF)
    result = odr(account)
    assert (result.orders, result.defective_orders) == (1, 1)
    assert (result.window_start, result.window_end) == (date(2026, 9, 1), date(2026, 10, 30))


def test_orders_of_the_as_of_day_are_outside_the_window(account):
    OrderFactory(seller_account=account, purchased_at=datetime(2026, 10, 30, 23, 59, 59, tzinfo=UTC))
    OrderFactory(seller_account=account, purchased_at=datetime(2026, 10, 31, tzinfo=UTC))
    assert odr(account).orders == 1


def test_the_offset_moves_the_window_back(account):
    account.odr_offset_days = 14
    account.save(update_fields=["odr_offset_days"])
    OrderFactory(seller_account=account, purchased_at=datetime(2026, 10, 16, 12, tzinfo=UTC))  # inside the lag
    OrderFactory(seller_account=account, purchased_at=datetime(2026, 10, 16, tzinfo=UTC) - timedelta(days=60))
    result = odr(account)
    assert result.orders == 1
    assert (result.window_start, result.window_end) == (date(2026, 8, 18), date(2026, 10, 16))


def test_the_window_length_is_the_accounts(account):
    account.odr_window_days = 30
    account.save(update_fields=["odr_window_days"])
    orders(account, 2, at=datetime(2026, 10, 15, tzinfo=UTC))
    orders(account, 3, at=datetime(2026, 9, 15, tzinfo=UTC))
    assert odr(account).orders == 2


def test_fba_and_fbm_are_counted_apart_and_together(account):
    fbm = orders(account, 100, channel=FBM)
    orders(account, 300, channel=FBA)
    SellerFeedbackFactory(order=fbm[0], rating=1, left_at=BEFORE_AS_OF)
    assert (odr(account, FBM).orders, odr(account, FBM).defective_orders) == (100, 1)
    assert (odr(account, FBA).orders, odr(account, FBA).defective_orders) == (300, 0)
    assert (odr(account, "all").orders, odr(account, "all").odr) == (400, 0.25)


def test_other_accounts_orders_do_not_count(account, other_account):
    orders(account, 3)
    order, *_ = orders(other_account, 3)
    SellerFeedbackFactory(order=order, rating=1, left_at=BEFORE_AS_OF)
    assert (odr(account).orders, odr(account).defective_orders) == (3, 0)


def test_no_orders_give_zero_and_ok(account):
    result = odr(account)
    assert (result.orders, result.odr, result.status, result.headroom_orders) == (0, 0.0, OdrStatus.OK, 0)


def test_status_is_warning_from_three_quarters_of_a_percent(account):
    first, *_ = orders(account, 400)
    for order in _[:2]:
        SellerFeedbackFactory(order=order, rating=1, left_at=BEFORE_AS_OF)
    SellerFeedbackFactory(order=first, rating=1, left_at=BEFORE_AS_OF)
    result = odr(account)
    assert (result.odr, result.status) == (0.75, OdrStatus.WARNING)


def test_status_is_critical_at_exactly_one_percent(account):
    batch = orders(account, 200)
    for order in batch[:2]:
        SellerFeedbackFactory(order=order, rating=1, left_at=BEFORE_AS_OF)
    assert odr(account).status == OdrStatus.CRITICAL


@pytest.mark.parametrize(
    ("orders_", "defective", "headroom"),
    [(5210, 41, 11), (100, 0, 0), (101, 0, 1), (200, 1, 0), (200, 2, 0), (201, 1, 1), (120, 1, 0), (0, 0, 0)],
)
def test_headroom_keeps_the_figure_strictly_below_one_percent(orders_, defective, headroom):
    assert odr_headroom(orders=orders_, defective_orders=defective) == headroom


def test_recoverable_orders_have_only_open_claims_or_chargebacks(account):
    open_only, open_and_feedback, granted, *_ = orders(account, 10)
    AtoZClaimFactory(order=open_only, filed_at=BEFORE_AS_OF, status=AtoZClaim.Status.ACTION_REQUIRED)
    AtoZClaimFactory(order=open_and_feedback, filed_at=BEFORE_AS_OF)
    SellerFeedbackFactory(order=open_and_feedback, rating=1, left_at=BEFORE_AS_OF)
    ChargebackFactory(order=granted, filed_at=BEFORE_AS_OF, status=Chargeback.Status.DECIDED_FOR_BUYER)
    result = odr(account)
    assert (result.defective_orders, result.recoverable_orders) == (3, 1)


def test_it_is_one_query(account):
    orders(account, 3)
    with CaptureQueriesContext(connection) as queries:
        odr(account, "all")
    assert len(queries) == 1


def test_the_window_is_cut_at_midnight_utc_whatever_the_sites_time_zone(account, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    # 2026-08-31 20:00 in Los Angeles is 2026-09-01 03:00 UTC: inside the window.
    OrderFactory(seller_account=account, purchased_at=datetime(2026, 9, 1, 3, tzinfo=UTC))
    # 2026-08-31 23:30 UTC is 16:30 in Los Angeles, the same local day as above: outside.
    OrderFactory(seller_account=account, purchased_at=datetime(2026, 8, 31, 23, 30, tzinfo=UTC))
    assert odr(account).orders == 1


def test_all_channels_in_one_query_equal_each_channel_alone(account):
    fbm = orders(account, 30)
    fba = orders(account, 50, channel=FBA)
    SellerFeedbackFactory(order=fbm[0], rating=1, left_at=BEFORE_AS_OF)
    AtoZClaimFactory(order=fbm[0], filed_at=BEFORE_AS_OF)
    AtoZClaimFactory(order=fba[0], filed_at=BEFORE_AS_OF)
    ChargebackFactory(order=fba[1], filed_at=BEFORE_AS_OF, status=Chargeback.Status.DECIDED_FOR_SELLER)
    with CaptureQueriesContext(connection) as queries:
        together = odr_compute_channels(seller_account=account, channels=("FBA", "FBM", "all"), as_of=AS_OF)
    assert len(queries.captured_queries) == 1
    assert together == {channel: odr(account, channel=channel) for channel in ("FBA", "FBM", "all")}
