"""Hand-built FBA rows, written through the intake with Amazon's own column names, and the
moment the tests reconcile at. Windows are the US defaults: a refund is claimable from day 60
to day 120, a warehouse loss after a 30-day wait until day 60."""

from datetime import UTC, datetime, timedelta
from itertools import count

from reimbursements.intake import (
    customer_returns_intake,
    ledger_adjustments_intake,
    refunds_intake,
    reimbursements_intake,
    replacements_intake,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
_ids = count(1)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def refund(account, *, order="111-0000001-0000001", sku="SKU-1", at, quantity=1, amount="40.00", item=None):
    refunds_intake(
        seller_account=account,
        rows=[
            {
                "amazon-order-id": order,
                "order-adjustment-item-id": item or f"ADJ{next(_ids)}",
                "posted-date": iso(at),
                "sku": sku,
                "quantity": quantity,
                "amount": amount,
                "currency": "USD",
            }
        ],
    )


def customer_return(
    account, *, order="111-0000001-0000001", sku="SKU-1", fnsku="X001", at, quantity=1, disposition="SELLABLE"
):
    customer_returns_intake(
        seller_account=account,
        rows=[
            {
                "return-date": iso(at),
                "order-id": order,
                "sku": sku,
                "asin": "B000000001",
                "fnsku": fnsku,
                "quantity": quantity,
                "fulfillment-center-id": "PHX7",
                "detailed-disposition": disposition,
                "reason": "DEFECTIVE",
                "status": "Unit returned to inventory",
                "license-plate-number": f"LPN{next(_ids)}",
            }
        ],
    )


def replacement(account, *, original="111-0000001-0000001", sku="SKU-1", at, quantity=1):
    replacements_intake(
        seller_account=account,
        rows=[
            {
                "shipment-date": iso(at),
                "sku": sku,
                "asin": "B000000001",
                "quantity": quantity,
                "replacement-amazon-order-id": f"112-{next(_ids):07d}-0000000",
                "original-amazon-order-id": original,
                "replacement-reason-code": "1",
            }
        ],
    )


def reimbursement(
    account,
    *,
    at,
    quantity=1,
    per_unit="25.00",
    reason="CustomerReturn",
    order="",
    sku="SKU-1",
    fnsku="X001",
    original_id="",
    original_type="",
    reimbursement_id=None,
):
    reimbursement_id = reimbursement_id or f"R{next(_ids)}"
    reimbursements_intake(
        seller_account=account,
        rows=[
            {
                "approval-date": iso(at),
                "reimbursement-id": reimbursement_id,
                "case-id": "",
                "amazon-order-id": order,
                "reason": reason,
                "sku": sku,
                "fnsku": fnsku,
                "asin": "B000000001",
                "condition": "NewItem",
                "currency-unit": "USD",
                "amount-per-unit": per_unit,
                "amount-total": str(int(quantity) * float(per_unit)),
                "quantity-reimbursed-cash": quantity,
                "quantity-reimbursed-inventory": 0,
                "quantity-reimbursed-total": quantity,
                "original-reimbursement-id": original_id,
                "original-reimbursement-type": original_type,
            }
        ],
    )
    return reimbursement_id


def ledger(account, *, fnsku="X001", reason="M", quantity=-1, at, reference=None):
    ledger_adjustments_intake(
        seller_account=account,
        rows=[
            {
                "Date": at.strftime("%m/%d/%Y"),
                "Date and Time": iso(at),
                "FNSKU": fnsku,
                "ASIN": "B000000001",
                "MSKU": "SKU-1",
                "Title": "Espresso tamper",
                "Event Type": "Adjustments",
                "Reference ID": reference or f"REF{next(_ids)}",
                "Quantity": quantity,
                "Fulfillment Center": "PHX7",
                "Disposition": "SELLABLE",
                "Reason": reason,
                "Country": "US",
            }
        ],
    )
