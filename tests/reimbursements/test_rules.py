"""The reconciliation rules on a hand-built case set: the answer of each test is worked out
by hand from Amazon's windows (US defaults: refunds claimable from day 60 to day 120, a
warehouse loss after a 30-day wait until day 60)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from reimbursements.models import ReimbursementCase, ReimbursementWindow
from reimbursements.rules import reconcile
from tests.factories import OrderFactory, OrderItemFactory, ProductFactory

from .fba import NOW, customer_return, days_ago, ledger, refund, reimbursement, replacement

pytestmark = pytest.mark.django_db

Status = ReimbursementCase.Status
Rule = ReimbursementCase.Rule


def cases(account, **filters):
    return list(ReimbursementCase.objects.filter(seller_account=account, **filters).order_by("pk"))


def only_case(account):
    found = cases(account)
    assert len(found) == 1, found
    return found[0]


# --- Refunded, not returned ------------------------------------------------------------------


def test_a_refund_without_return_is_claimable_from_day_60_to_day_120(account):
    refund(account, at=days_ago(61), amount="40.00")
    reconcile(seller_account=account, now=NOW)
    case = only_case(account)
    assert (case.rule, case.status, case.quantity) == (Rule.REFUNDED_NOT_RETURNED, Status.READY, 1)
    assert case.claimable_from == days_ago(1)
    assert case.sla_due_at == days_ago(61) + timedelta(days=120)
    assert case.sla_at_risk_at == case.sla_due_at - timedelta(days=7)


def test_a_refund_59_days_old_still_waits_for_its_return(account):
    refund(account, at=days_ago(59))
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_refund_exactly_60_days_old_is_a_case(account):
    refund(account, at=days_ago(60))
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).status == Status.READY


def test_a_refund_119_days_old_is_still_claimable(account):
    refund(account, at=days_ago(119))
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).sla_due_at == NOW + timedelta(days=1)


def test_a_refund_120_days_old_is_past_its_window(account):
    refund(account, at=days_ago(120))
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_return_on_the_last_day_of_the_window_settles_the_refund(account):
    refund(account, at=days_ago(70))
    customer_return(account, at=days_ago(10))  # day 60 after the refund
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_return_a_day_after_the_window_does_not(account):
    refund(account, at=days_ago(70))
    customer_return(account, at=days_ago(9))  # day 61
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).quantity == 1


def test_a_return_before_the_refund_counts(account):
    customer_return(account, at=days_ago(80))
    refund(account, at=days_ago(75))
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_another_orders_or_skus_return_does_not_count(account):
    refund(account, at=days_ago(70))
    customer_return(account, order="111-0000002-0000002", at=days_ago(65))
    customer_return(account, sku="SKU-2", at=days_ago(65))
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).quantity == 1


def test_another_accounts_return_does_not_count(account, other_account):
    refund(account, at=days_ago(70))
    customer_return(other_account, at=days_ago(65))
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).quantity == 1


def test_a_partial_return_and_a_partial_reimbursement_leave_one_unit_owed(account):
    # 3 refunded, 1 returned → 2 owed; 1 reimbursed at 25.00 → 1 outstanding worth 25.00.
    refund(account, at=days_ago(70), quantity=3, amount="120.00")
    customer_return(account, at=days_ago(65))
    reimbursement(account, at=days_ago(5), order="111-0000001-0000001", quantity=1, per_unit="25.00")
    reconcile(seller_account=account, now=NOW)
    case = only_case(account)
    assert (case.quantity, case.reimbursed_quantity, case.outstanding_quantity) == (2, 1, 1)
    assert (case.unit_value, case.estimated_value) == (Decimal("25.00"), Decimal("25.00"))


def test_without_a_reimbursement_the_value_is_the_item_price(account):
    product = ProductFactory(seller_account=account, sku="SKU-1")
    order = OrderFactory(seller_account=account, amazon_order_id="111-0000001-0000001", fulfillment_channel="FBA")
    OrderItemFactory(order=order, product=product, unit_price=Decimal("33.50"))
    refund(account, at=days_ago(70), amount="40.00")
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).estimated_value == Decimal("33.50")


def test_a_reimbursed_refund_is_no_case(account):
    refund(account, at=days_ago(70))
    reimbursement(account, at=days_ago(8), order="111-0000001-0000001")
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_seller_fulfilled_orders_refund_is_not_fba(account):
    OrderFactory(seller_account=account, amazon_order_id="111-0000001-0000001", fulfillment_channel="FBM")
    refund(account, at=days_ago(70))
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_replacement_whose_original_unit_never_came_back_is_a_case(account):
    replacement(account, at=days_ago(90))
    reconcile(seller_account=account, now=NOW)
    case = only_case(account)
    assert (case.source, case.amazon_order_id, case.sla_due_at) == (
        "replacement",
        "111-0000001-0000001",
        days_ago(90) + timedelta(days=120),
    )


def test_the_marketplaces_own_window_applies(account):
    ReimbursementWindow.objects.create(
        marketplace_id=account.marketplace_id,
        return_window_days=45,
        return_claim_from_days=45,
        return_claim_until_days=540,
    )
    refund(account, at=days_ago(46))
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).sla_due_at == days_ago(46) + timedelta(days=540)


# --- A later reimbursement, a reversal --------------------------------------------------------


def test_a_later_reimbursement_pays_the_case_and_keeps_the_amounts(account):
    refund(account, at=days_ago(70))
    reconcile(seller_account=account, now=NOW)
    reimbursement(account, at=NOW, order="111-0000001-0000001", per_unit="31.00")
    reconcile(seller_account=account, now=NOW + timedelta(days=1))
    case = only_case(account)
    assert (case.status, case.reimbursed_quantity, case.reimbursed_amount) == (Status.PAID, 1, Decimal("31.00"))


def test_a_reversal_reopens_the_paid_case(account):
    refund(account, at=days_ago(70))
    paid = reimbursement(account, at=days_ago(2), order="111-0000001-0000001")
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []  # paid before the desk saw it: nothing to claim
    refund(account, at=days_ago(69), order="111-0000003-0000003")
    reconcile(seller_account=account, now=NOW)
    reimbursement(account, at=NOW, order="111-0000003-0000003")
    reconcile(seller_account=account, now=NOW + timedelta(hours=1))
    assert only_case(account).status == Status.PAID
    reimbursement(
        account,
        at=NOW + timedelta(days=2),
        order="111-0000003-0000003",
        quantity=-1,
        reason="Reimbursement_Reversal",
        original_id=paid,
        original_type="CustomerReturn",
    )
    reconcile(seller_account=account, now=NOW + timedelta(days=3))
    case = only_case(account)
    assert (case.status, case.reimbursed_quantity, case.reimbursed_amount) == (Status.READY, 0, Decimal("0.00"))


def test_a_reversal_of_a_filed_claims_payment_returns_it_to_filed(account):
    from reimbursements.services import reimbursement_case_update

    refund(account, at=days_ago(70))
    reconcile(seller_account=account, now=NOW)
    reimbursement_case_update(case=only_case(account), actor="test", status="filed", amazon_case_id="1234567890")
    reimbursement(account, at=NOW, order="111-0000001-0000001")
    reconcile(seller_account=account, now=NOW + timedelta(hours=1))
    reimbursement(account, at=NOW, order="111-0000001-0000001", quantity=-1, reason="Reimbursement_Reversal")
    reconcile(seller_account=account, now=NOW + timedelta(hours=2))
    assert only_case(account).status == Status.FILED


def test_a_second_run_changes_nothing(account):
    refund(account, at=days_ago(70))
    ledger(account, at=days_ago(40), quantity=-2)
    first = reconcile(seller_account=account, now=NOW)
    second = reconcile(seller_account=account, now=NOW)
    assert (len(first.found), len(second.found), second.changed) == (2, 0, {})


def test_a_case_found_before_its_window_opens_becomes_ready_when_it_does(account):
    ReimbursementWindow.objects.create(
        marketplace_id=account.marketplace_id, return_window_days=45, return_claim_from_days=60
    )
    refund(account, at=days_ago(50))
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).status == Status.FOUND
    reconcile(seller_account=account, now=NOW + timedelta(days=10))
    assert only_case(account).status == Status.READY


# --- Returned unsellable, Amazon's fault ------------------------------------------------------


@pytest.mark.parametrize("disposition", ["CARRIER_DAMAGED", "DAMAGED"])
def test_a_return_damaged_on_amazons_side_is_a_case(account, disposition):
    refund(account, at=days_ago(30))
    customer_return(account, at=days_ago(20), disposition=disposition)
    reconcile(seller_account=account, now=NOW)
    case = only_case(account)
    assert (case.rule, case.status, case.claimable_from) == (Rule.RETURNED_DAMAGED, Status.FOUND, days_ago(-30))
    assert case.sla_due_at == days_ago(30) + timedelta(days=120)


@pytest.mark.parametrize("disposition", ["CUSTOMER_DAMAGED", "DEFECTIVE", "SELLABLE"])
def test_a_return_the_buyer_damaged_or_sellable_is_no_case(account, disposition):
    refund(account, at=days_ago(30))
    customer_return(account, at=days_ago(20), disposition=disposition)
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_damaged_return_already_reimbursed_is_no_case(account):
    customer_return(account, at=days_ago(20), disposition="CARRIER_DAMAGED")
    reimbursement(account, at=days_ago(3), order="111-0000001-0000001", reason="CustomerReturn")
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


# --- Lost or damaged in the warehouse ---------------------------------------------------------


def test_a_loss_not_found_nor_reimbursed_after_the_wait_is_a_case(account):
    ledger(account, at=days_ago(31), quantity=-2, reference="T-LOST-1")
    reconcile(seller_account=account, now=NOW)
    case = only_case(account)
    assert (case.rule, case.status, case.quantity, case.case_key) == (Rule.WAREHOUSE_LOST, Status.READY, 2, "T-LOST-1")
    assert case.sla_due_at == days_ago(31) + timedelta(days=60)


def test_a_loss_29_days_old_waits_for_amazons_automatic_reimbursement(account):
    ledger(account, at=days_ago(29))
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_loss_60_days_old_is_past_its_window(account):
    ledger(account, at=days_ago(60))
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


@pytest.mark.parametrize("reason", ["E", "6", "H", "K", "7", "U"])
def test_warehouse_damage_codes_are_cases(account, reason):
    ledger(account, at=days_ago(40), reason=reason)
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).rule == Rule.WAREHOUSE_LOST


def test_units_found_since_offset_the_loss(account):
    ledger(account, at=days_ago(40), quantity=-3)
    ledger(account, at=days_ago(35), reason="F", quantity=1)
    ledger(account, at=days_ago(45), reason="F", quantity=5)  # before the loss: another unit
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).quantity == 2


def test_a_unit_found_after_the_case_closes_it(account):
    ledger(account, at=days_ago(40))
    reconcile(seller_account=account, now=NOW)
    ledger(account, at=NOW, reason="N", quantity=1)
    reconcile(seller_account=account, now=NOW + timedelta(hours=1))
    case = only_case(account)
    assert (case.status, case.resolved_at) == (Status.CLOSED, NOW + timedelta(hours=1))


def test_an_automatic_warehouse_reimbursement_pays_the_loss(account):
    ledger(account, at=days_ago(40), quantity=-2)
    reimbursement(account, at=days_ago(20), reason="Lost_Warehouse", quantity=2, per_unit="18.00")
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_partial_warehouse_reimbursement_leaves_the_rest_owed_at_amazons_rate(account):
    ledger(account, at=days_ago(40), quantity=-3)
    reimbursement(account, at=days_ago(20), reason="Lost_Warehouse", quantity=1, per_unit="18.00")
    reconcile(seller_account=account, now=NOW)
    case = only_case(account)
    assert (case.outstanding_quantity, case.estimated_value, case.reimbursed_amount) == (
        2,
        Decimal("36.00"),
        Decimal("18.00"),
    )


def test_a_reimbursement_for_another_fnsku_or_before_the_loss_does_not_pay_it(account):
    ledger(account, at=days_ago(40))
    reimbursement(account, at=days_ago(20), reason="Lost_Warehouse", fnsku="X999")
    reimbursement(account, at=days_ago(50), reason="Lost_Warehouse")
    reconcile(seller_account=account, now=NOW)
    assert only_case(account).reimbursed_quantity == 0


def test_a_warehouse_reversal_reopens_the_case(account):
    ledger(account, at=days_ago(40))
    reconcile(seller_account=account, now=NOW)
    paid = reimbursement(account, at=NOW, reason="Lost_Warehouse", per_unit="18.00")
    reconcile(seller_account=account, now=NOW + timedelta(hours=1))
    assert only_case(account).status == Status.PAID
    reimbursement(
        account,
        at=NOW + timedelta(days=1),
        reason="Reimbursement_Reversal",
        quantity=-1,
        per_unit="18.00",
        original_id=paid,
        original_type="Lost_Warehouse",
    )
    reconcile(seller_account=account, now=NOW + timedelta(days=2))
    assert only_case(account).status == Status.READY


def test_a_found_adjustment_is_never_a_case(account):
    ledger(account, at=days_ago(40), reason="F", quantity=1)
    ledger(account, at=days_ago(40), reason="D", quantity=-1)  # disposed at the seller's request
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_found_units_and_payments_go_to_the_oldest_loss_of_the_fnsku_first(account):
    # Loss A: 2 units at day -50; loss B: 1 unit at day -40; 2 found at -38, 1 reimbursed at -35.
    # Oldest first: A takes the 2 found (owed 0, no case); B takes the payment (paid: no case).
    ledger(account, at=days_ago(50), quantity=-2, reference="A")
    ledger(account, at=days_ago(40), quantity=-1, reference="B")
    ledger(account, at=days_ago(38), reason="F", quantity=2)
    reimbursement(account, at=days_ago(35), reason="Lost_Warehouse", quantity=1)
    reconcile(seller_account=account, now=NOW)
    assert cases(account) == []


def test_a_payment_for_an_older_loss_does_not_pay_the_newer_one(account):
    # Loss A: 1 unit at -50 (reimbursed at -30); loss B: 1 unit at -40, unpaid → B is a case.
    ledger(account, at=days_ago(50), reference="A")
    ledger(account, at=days_ago(40), reference="B")
    reimbursement(account, at=days_ago(30), reason="Lost_Warehouse", quantity=1)
    reconcile(seller_account=account, now=NOW)
    case = only_case(account)
    assert (case.case_key, case.quantity, case.reimbursed_quantity) == ("B", 1, 0)
