"""The one intake per kind of FBA row: keyed by Amazon's ids within the seller account, a
re-import writes nothing, a row that does not parse is skipped and counted."""

import pytest

from reimbursements.intake import (
    customer_returns_intake,
    ledger_adjustments_intake,
    refund_items,
    refunds_intake,
    reimbursements_intake,
)
from reimbursements.models import FbaCustomerReturn, FbaLedgerAdjustment, FbaRefund, FbaReimbursement

pytestmark = pytest.mark.django_db

ROW = {
    "approval-date": "2026-05-01T10:00:00+00:00",
    "reimbursement-id": "5551234567",
    "amazon-order-id": "111-0000001-0000001",
    "reason": "Lost_Warehouse",
    "sku": "SKU-1",
    "fnsku": "X001",
    "currency-unit": "USD",
    "amount-per-unit": "12.50",
    "amount-total": "25.00",
    "quantity-reimbursed-total": "2",
}


def test_a_reimport_writes_nothing(account):
    first = reimbursements_intake(seller_account=account, rows=[ROW])
    second = reimbursements_intake(seller_account=account, rows=[ROW, ROW])
    assert (first.created, second.created, second.known, FbaReimbursement.objects.count()) == (1, 0, 2, 1)


def test_the_same_amazon_id_in_another_account_is_another_row(account, other_account):
    reimbursements_intake(seller_account=account, rows=[ROW])
    reimbursements_intake(seller_account=other_account, rows=[ROW])
    assert FbaReimbursement.objects.filter(reimbursement_id="5551234567").count() == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"reimbursement-id": ""},
        {"approval-date": "yesterday"},
        {"quantity-reimbursed-total": "two"},
        {"amount-per-unit": "NaN"},
        {"amount-total": "1e20"},
    ],
)
def test_a_row_that_does_not_parse_is_skipped_and_counted(account, bad):
    result = reimbursements_intake(seller_account=account, rows=[{**ROW, **bad}, {**ROW, "reimbursement-id": "2"}])
    assert (result.created, result.skipped) == (1, 1)


def test_only_the_ledgers_adjustments_are_stored(account):
    base = {"Date": "05/01/2026", "FNSKU": "X001", "Reference ID": "R1", "Quantity": "-1", "Reason": "M"}
    ledger_adjustments_intake(
        seller_account=account,
        rows=[{**base, "Event Type": "Adjustments"}, {**base, "Event Type": "Shipments", "Reference ID": "R2"}],
    )
    assert list(FbaLedgerAdjustment.objects.values_list("reference_id", flat=True)) == ["R1"]


def test_a_return_keeps_amazons_disposition(account):
    customer_returns_intake(
        seller_account=account,
        rows=[
            {"return-date": "2026-05-01", "order-id": "111-0000001-0000001", "detailed-disposition": "carrier_damaged"}
        ],
    )
    assert FbaCustomerReturn.objects.get().detailed_disposition == "CARRIER_DAMAGED"


def test_refund_events_become_refund_items_with_a_positive_principal(account):
    events = [
        {
            "AmazonOrderId": "111-0000001-0000001",
            "PostedDate": "2026-05-01T10:00:00Z",
            "ShipmentItemAdjustmentList": [
                {
                    "SellerSKU": "SKU-1",
                    "OrderAdjustmentItemId": "9001",
                    "QuantityShipped": 2,
                    "ItemChargeAdjustmentList": [
                        {"ChargeType": "Principal", "ChargeAmount": {"CurrencyCode": "USD", "CurrencyAmount": -59.98}},
                        {"ChargeType": "Tax", "ChargeAmount": {"CurrencyCode": "USD", "CurrencyAmount": -4.8}},
                    ],
                }
            ],
        }
    ]
    refunds_intake(seller_account=account, rows=refund_items(events))
    refund = FbaRefund.objects.get()
    assert (refund.order_adjustment_item_id, refund.quantity, str(refund.amount)) == ("9001", 2, "59.98")
