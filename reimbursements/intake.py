"""The one intake of each kind of FBA row, whatever the channel (the scheduled SP-API read,
the demo seeder, tests): a row is parsed from Amazon's column names, keyed by Amazon's ids
within the seller account, and stored once — a re-import writes nothing new (Amazon's report
rows do not change once issued; a reversal is a row of its own).

Rows that do not parse (a missing id, a bad date or number) are skipped and counted, never
half-written. Each intake works in batches (``BATCH``), one SELECT of the batch's keys and
one INSERT of the new rows; a concurrent import of the same rows is harmless
(``ignore_conflicts`` on the unique keys).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.db import models, transaction

from tickets.models import SellerAccount

from .models import FbaCustomerReturn, FbaLedgerAdjustment, FbaRefund, FbaReimbursement, FbaReplacement

BATCH = 1000
DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")


class BadRow(ValueError):
    """A report row that cannot be stored as it is."""


@dataclass
class IntakeResult:
    created: int = 0
    known: int = 0
    skipped: int = 0

    def __iadd__(self, other: "IntakeResult") -> "IntakeResult":
        self.created += other.created
        self.known += other.known
        self.skipped += other.skipped
        return self


def _text(row: dict, *names: str, max_length: int = 64, required: bool = False) -> str:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            value = str(value).strip()[:max_length]
            if value:
                return value
    if required:
        raise BadRow(f"{names[0]} is missing")
    return ""


def _moment(row: dict, *names: str) -> datetime:
    text = _text(row, *names, required=True).replace("Z", "+00:00")
    for pattern in DATE_FORMATS:
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise BadRow(f"{names[0]} is not a date: {text[:40]!r}")


def _int(row: dict, name: str, default: int = 0) -> int:
    value = row.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError as error:
        raise BadRow(f"{name} is not a whole number") from error
    if abs(number) > 1_000_000:
        raise BadRow(f"{name} is out of range")
    return number


def _money(row: dict, name: str) -> Decimal:
    value = row.get(name)
    if value in (None, ""):
        return Decimal("0")
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise BadRow(f"{name} is not an amount") from error
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        raise BadRow(f"{name} is out of range")
    return amount


def _store(model: type[models.Model], key: tuple[str, ...], objects: list[models.Model]) -> tuple[int, int]:
    """Insert the objects whose key the account does not hold yet; (created, known)."""
    if not objects:
        return 0, 0
    account_id = objects[0].seller_account_id
    first = key[0]
    held = set(
        model.objects.filter(
            seller_account_id=account_id, **{f"{first}__in": {getattr(o, first) for o in objects}}
        ).values_list(*key)
    )
    fresh, seen = [], set()
    for obj in objects:
        ident = tuple(getattr(obj, f) for f in key)
        if ident in held or ident in seen:
            continue
        seen.add(ident)
        fresh.append(obj)
    with transaction.atomic():
        model.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=BATCH)
    return len(fresh), len(objects) - len(fresh)


def _intake(model, key, parse, *, seller_account: SellerAccount, rows: Iterable[dict]) -> IntakeResult:
    result = IntakeResult()
    iterator: Iterator[dict] = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        objects = []
        for row in batch:
            try:
                objects.append(model(seller_account=seller_account, **parse(row)))
            except BadRow:
                result.skipped += 1
        created, known = _store(model, key, objects)
        result.created += created
        result.known += known
    return result


def _reimbursement(row: dict) -> dict:
    return {
        "reimbursement_id": _text(row, "reimbursement-id", max_length=32, required=True),
        "approval_date": _moment(row, "approval-date"),
        "case_id": _text(row, "case-id", max_length=32),
        "amazon_order_id": _text(row, "amazon-order-id", max_length=32),
        "reason": _text(row, "reason", required=True),
        "sku": _text(row, "sku"),
        "fnsku": _text(row, "fnsku", max_length=16),
        "asin": _text(row, "asin", max_length=10),
        "condition": _text(row, "condition"),
        "currency": _text(row, "currency-unit", max_length=3) or "USD",
        "amount_per_unit": _money(row, "amount-per-unit"),
        "amount_total": _money(row, "amount-total"),
        "quantity_cash": _int(row, "quantity-reimbursed-cash"),
        "quantity_inventory": _int(row, "quantity-reimbursed-inventory"),
        "quantity_total": _int(row, "quantity-reimbursed-total"),
        "original_reimbursement_id": _text(row, "original-reimbursement-id", max_length=32),
        "original_reimbursement_type": _text(row, "original-reimbursement-type"),
    }


def reimbursements_intake(*, seller_account: SellerAccount, rows: Iterable[dict]) -> IntakeResult:
    """Rows of ``GET_FBA_REIMBURSEMENTS_DATA``, keyed by reimbursement-id and FNSKU."""
    return _intake(
        FbaReimbursement,
        ("reimbursement_id", "fnsku"),
        _reimbursement,
        seller_account=seller_account,
        rows=rows,
    )


def _return(row: dict) -> dict:
    quantity = _int(row, "quantity", 1)
    if quantity < 1:
        raise BadRow("quantity must be positive")
    return {
        "amazon_order_id": _text(row, "order-id", max_length=32, required=True),
        "license_plate_number": _text(row, "license-plate-number", max_length=32),
        "return_date": _moment(row, "return-date"),
        "sku": _text(row, "sku"),
        "asin": _text(row, "asin", max_length=10),
        "fnsku": _text(row, "fnsku", max_length=16),
        "quantity": quantity,
        "fulfillment_center_id": _text(row, "fulfillment-center-id", max_length=16),
        "detailed_disposition": _text(row, "detailed-disposition", max_length=32).upper(),
        "reason": _text(row, "reason"),
        "status": _text(row, "status"),
    }


def customer_returns_intake(*, seller_account: SellerAccount, rows: Iterable[dict]) -> IntakeResult:
    """Rows of ``GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA``, keyed by order, FNSKU, licence
    plate and return date (a licence plate names one returned unit)."""
    return _intake(
        FbaCustomerReturn,
        ("amazon_order_id", "fnsku", "license_plate_number", "return_date"),
        _return,
        seller_account=seller_account,
        rows=rows,
    )


def _replacement(row: dict) -> dict:
    quantity = _int(row, "quantity", 1)
    if quantity < 1:
        raise BadRow("quantity must be positive")
    return {
        "replacement_amazon_order_id": _text(row, "replacement-amazon-order-id", max_length=32, required=True),
        "original_amazon_order_id": _text(row, "original-amazon-order-id", max_length=32, required=True),
        "shipment_date": _moment(row, "shipment-date"),
        "sku": _text(row, "sku"),
        "asin": _text(row, "asin", max_length=10),
        "quantity": quantity,
        "fulfillment_center_id": _text(row, "fulfillment-center-id", max_length=16),
        "replacement_reason_code": _text(row, "replacement-reason-code", max_length=16),
    }


def replacements_intake(*, seller_account: SellerAccount, rows: Iterable[dict]) -> IntakeResult:
    """Rows of ``GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA``, keyed by the
    replacement order and SKU."""
    return _intake(
        FbaReplacement,
        ("replacement_amazon_order_id", "sku"),
        _replacement,
        seller_account=seller_account,
        rows=rows,
    )


def _adjustment(row: dict) -> dict:
    return {
        "reference_id": _text(row, "Reference ID", max_length=64, required=True),
        "fnsku": _text(row, "FNSKU", max_length=16, required=True),
        "reason": _text(row, "Reason", max_length=4, required=True),
        "adjusted_at": _moment(row, "Date and Time", "Date"),
        "asin": _text(row, "ASIN", max_length=10),
        "sku": _text(row, "MSKU"),
        "title": _text(row, "Title", max_length=500),
        "quantity": _int(row, "Quantity"),
        "fulfillment_center": _text(row, "Fulfillment Center", max_length=16),
        "disposition": _text(row, "Disposition", max_length=32),
        "country": _text(row, "Country", max_length=2),
    }


def ledger_adjustments_intake(*, seller_account: SellerAccount, rows: Iterable[dict]) -> IntakeResult:
    """The ``Adjustments`` rows of ``GET_LEDGER_DETAIL_VIEW_DATA`` (other event types —
    shipments, receipts, customer returns — are not the desk's), keyed by Reference ID,
    FNSKU and reason code."""
    adjustments = (r for r in rows if (r.get("Event Type") or "").strip() == "Adjustments")
    return _intake(
        FbaLedgerAdjustment,
        ("reference_id", "fnsku", "reason"),
        _adjustment,
        seller_account=seller_account,
        rows=adjustments,
    )


def refund_items(events: Iterable[dict]) -> Iterator[dict]:
    """The refund items of the Finances API v0 ``ShipmentEvent`` objects of a
    ``RefundEventList``: one row per ``ShipmentItemAdjustmentList`` item, with the refunded
    principal (Amazon lists it negative) as a positive amount."""
    for event in events:
        for item in event.get("ShipmentItemAdjustmentList") or []:
            principal = Decimal("0")
            currency = ""
            for charge in item.get("ItemChargeAdjustmentList") or []:
                if charge.get("ChargeType") == "Principal":
                    money = charge.get("ChargeAmount") or {}
                    try:
                        principal += Decimal(str(money.get("CurrencyAmount", "0")))
                    except InvalidOperation:
                        continue
                    currency = money.get("CurrencyCode") or currency
            yield {
                "amazon-order-id": event.get("AmazonOrderId"),
                "posted-date": event.get("PostedDate"),
                "order-adjustment-item-id": item.get("OrderAdjustmentItemId"),
                "sku": item.get("SellerSKU"),
                "quantity": item.get("QuantityShipped"),
                "currency": currency,
                "amount": str(-principal),
            }


def _refund(row: dict) -> dict:
    quantity = _int(row, "quantity", 1)
    if quantity < 1:
        raise BadRow("quantity must be positive")
    return {
        "amazon_order_id": _text(row, "amazon-order-id", max_length=32, required=True),
        "order_adjustment_item_id": _text(row, "order-adjustment-item-id", required=True),
        "posted_at": _moment(row, "posted-date"),
        "sku": _text(row, "sku"),
        "quantity": quantity,
        "currency": _text(row, "currency", max_length=3) or "USD",
        "amount": abs(_money(row, "amount")),
    }


def refunds_intake(*, seller_account: SellerAccount, rows: Iterable[dict]) -> IntakeResult:
    """Refund items (``refund_items`` of the Finances API's refund events), keyed by order
    and Amazon's order-adjustment item id."""
    return _intake(
        FbaRefund,
        ("amazon_order_id", "order_adjustment_item_id"),
        _refund,
        seller_account=seller_account,
        rows=rows,
    )
