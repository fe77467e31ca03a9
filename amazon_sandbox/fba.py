"""A believable FBA history for each generated marketplace, consistent with its orders, and the
four FBA report documents that show it (as of a report's ``createdTime``).

From the marketplace's shipped FBA (AFN) orders, deterministically per (seller, order):
- about 6% are refunded some days after delivery; about half of those units come back to a
  fulfilment centre (most sellable; some damaged by the buyer, the carrier or the warehouse),
  the others never do — and Amazon reimburses most of those automatically after 45–75 days,
  not all (what the desk must claim); a few of those payments are reversed when the unit
  turns up late;
- about 1% get a replacement shipment, whose original unit mostly never comes back;
- the inventory ledger marks units lost (M) or damaged (E, 6) in the warehouse every few days;
  some are found again (F) within weeks, most are reimbursed automatically (Lost_Warehouse /
  Damaged_Warehouse), and a few of those payments are reversed after a found unit.

Reports (column names per SP-API docs "FBA Payments reports attributes" and "FBA Customer
Concessions reports attributes"; the ledger's per Seller Central's Inventory Ledger download):
``GET_FBA_REIMBURSEMENTS_DATA``, ``GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA``,
``GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA``, ``GET_LEDGER_DETAIL_VIEW_DATA``.
Refunds are served as Finances API refund events (``finances_api``).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from .marketplace import AFN, Marketplace, Product

REIMBURSEMENTS = "GET_FBA_REIMBURSEMENTS_DATA"
CUSTOMER_RETURNS = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"
REPLACEMENTS = "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA"
LEDGER = "GET_LEDGER_DETAIL_VIEW_DATA"
REPORT_TYPES = frozenset({REIMBURSEMENTS, CUSTOMER_RETURNS, REPLACEMENTS, LEDGER})

REIMBURSEMENT_COLUMNS = [
    "approval-date",
    "reimbursement-id",
    "case-id",
    "amazon-order-id",
    "reason",
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "currency-unit",
    "amount-per-unit",
    "amount-total",
    "quantity-reimbursed-cash",
    "quantity-reimbursed-inventory",
    "quantity-reimbursed-total",
    "original-reimbursement-id",
    "original-reimbursement-type",
]
RETURN_COLUMNS = [
    "return-date",
    "order-id",
    "sku",
    "asin",
    "fnsku",
    "product-name",
    "quantity",
    "fulfillment-center-id",
    "detailed-disposition",
    "reason",
    "status",
    "license-plate-number",
    "customer-comments",
]
REPLACEMENT_COLUMNS = [
    "shipment-date",
    "sku",
    "asin",
    "fulfillment-center-id",
    "original-fulfillment-center-id",
    "quantity",
    "replacement-reason-code",
    "replacement-amazon-order-id",
    "original-amazon-order-id",
]
LEDGER_COLUMNS = [
    "Date",
    "FNSKU",
    "ASIN",
    "MSKU",
    "Title",
    "Event Type",
    "Reference ID",
    "Quantity",
    "Fulfillment Center",
    "Disposition",
    "Reason",
    "Country",
    "Reconciled Quantity",
    "Unreconciled Quantity",
    "Date and Time",
]
CENTERS = ["PHX7", "ONT8", "BFI4", "MDW2", "JFK8"]
# Returned units: the detailed disposition Amazon gives them, with weights.
DISPOSITIONS = [("SELLABLE", 70), ("CUSTOMER_DAMAGED", 10), ("DEFECTIVE", 8), ("CARRIER_DAMAGED", 7), ("DAMAGED", 5)]


def fnsku_of(product: Product) -> str:
    return "X00" + product.asin[-7:]


@dataclass(frozen=True)
class Refund:
    order_id: str
    adjustment_item_id: str
    posted: datetime
    product: Product
    quantity: int


@dataclass(frozen=True)
class Return:
    order_id: str
    returned: datetime
    product: Product
    quantity: int
    center: str
    disposition: str
    license_plate: str


@dataclass(frozen=True)
class Replacement:
    replacement_order_id: str
    original_order_id: str
    shipped: datetime
    product: Product
    quantity: int
    center: str


@dataclass(frozen=True)
class Reimbursement:
    reimbursement_id: str
    approved: datetime
    order_id: str
    reason: str
    product: Product
    per_unit: Decimal
    quantity: int  # negative for a reversal
    original_id: str = ""
    original_type: str = ""


@dataclass(frozen=True)
class Adjustment:
    reference_id: str
    at: datetime
    product: Product
    reason: str  # M lost, F found, E/6 damaged
    quantity: int
    center: str


@dataclass
class FbaHistory:
    refunds: list[Refund] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    replacements: list[Replacement] = field(default_factory=list)
    reimbursements: list[Reimbursement] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _reimbursement(rng, *, at, order_id, reason, product, quantity, out: FbaHistory, reversal_after=None):
    """Amazon's payment, reversed ``reversal_after`` later when given."""
    per_unit = (product.price * Decimal("0.85")).quantize(Decimal("0.01"))
    rid = _digits(rng, 10)
    out.reimbursements.append(Reimbursement(rid, at, order_id, reason, product, per_unit, quantity))
    if reversal_after is not None:
        out.reimbursements.append(
            Reimbursement(
                _digits(rng, 10),
                at + reversal_after,
                order_id,
                "Reimbursement_Reversal",
                product,
                per_unit,
                -quantity,
                original_id=rid,
                original_type=reason,
            )
        )


_HISTORIES: dict[tuple, FbaHistory] = {}


def history(marketplace: Marketplace) -> FbaHistory:
    """The marketplace's whole FBA history (past and future of its clock: reports filter by
    time), computed once per marketplace."""
    key = (marketplace.selling_partner_id, marketplace.anchor, len(marketplace.orders))
    if key not in _HISTORIES:
        if len(_HISTORIES) >= 16:
            _HISTORIES.clear()
        _HISTORIES[key] = _history(marketplace)
    return _HISTORIES[key]


def _history(marketplace: Marketplace) -> FbaHistory:
    out = FbaHistory()
    for order in marketplace.orders:
        if order.channel != AFN or order.delivered is None:
            continue
        rng = random.Random(f"fba:{marketplace.selling_partner_id}:{order.order_id}")
        roll = rng.random()
        item = order.items[0]
        product, quantity = item.product, item.quantity
        if roll < 0.06:
            posted = order.delivered + timedelta(days=rng.uniform(2, 20))
            out.refunds.append(Refund(order.order_id, _digits(rng, 14), posted, product, quantity))
            fate = rng.random()
            if fate < 0.5:  # the unit comes back
                disposition = _pick(rng, DISPOSITIONS)
                returned = posted + timedelta(days=rng.uniform(-5, 40))
                out.returns.append(
                    Return(
                        order.order_id,
                        returned,
                        product,
                        quantity,
                        rng.choice(CENTERS),
                        disposition,
                        "LPN" + _digits(rng, 9),
                    )
                )
                if disposition in ("CARRIER_DAMAGED", "DAMAGED") and rng.random() < 0.6:
                    _reimbursement(
                        rng,
                        at=returned + timedelta(days=rng.uniform(3, 20)),
                        order_id=order.order_id,
                        reason="CustomerReturn",
                        product=product,
                        quantity=quantity,
                        out=out,
                    )
            elif fate < 0.85:  # never back: Amazon reimburses on its own, once in a while it takes it back
                reversal = timedelta(days=rng.uniform(10, 30)) if rng.random() < 0.1 else None
                _reimbursement(
                    rng,
                    at=posted + timedelta(days=rng.uniform(45, 75)),
                    order_id=order.order_id,
                    reason="CustomerReturn",
                    product=product,
                    quantity=quantity,
                    out=out,
                    reversal_after=reversal,
                )
            # else: never back and never paid: the desk's case
        elif roll < 0.07:
            replacement_id = f"{order.order_id[:3]}-{_digits(rng, 7)}-{_digits(rng, 7)}"
            shipped = order.delivered + timedelta(days=rng.uniform(1, 10))
            out.replacements.append(
                Replacement(replacement_id, order.order_id, shipped, product, 1, rng.choice(CENTERS))
            )
            if rng.random() < 0.3:
                out.returns.append(
                    Return(
                        order.order_id,
                        shipped + timedelta(days=rng.uniform(5, 30)),
                        product,
                        1,
                        rng.choice(CENTERS),
                        "DEFECTIVE",
                        "LPN" + _digits(rng, 9),
                    )
                )
    _warehouse(marketplace, out)
    return out


def _warehouse(marketplace: Marketplace, out: FbaHistory) -> None:
    """Ledger adjustments over the marketplace's span: a loss or damage every ~3 days."""
    rng = random.Random(f"ledger:{marketplace.selling_partner_id}")
    if not marketplace.orders:
        return
    start, end = marketplace.orders[0].created, marketplace.orders[-1].created
    moment = start
    while True:
        moment += timedelta(days=rng.uniform(0.5, 5))
        if moment >= end:
            return
        product = rng.choice(marketplace.products)
        reason = rng.choice(["M", "M", "M", "E", "6"])
        quantity = rng.choice([1, 1, 1, 2, 3])
        center = rng.choice(CENTERS)
        out.adjustments.append(Adjustment(_digits(rng, 11), moment, product, reason, -quantity, center))
        fate = rng.random()
        if reason == "M" and fate < 0.25:  # found again
            out.adjustments.append(
                Adjustment(
                    _digits(rng, 11), moment + timedelta(days=rng.uniform(2, 25)), product, "F", quantity, center
                )
            )
        elif fate < 0.85:  # Amazon's automatic reimbursement, now and then reversed
            reason_word = "Lost_Warehouse" if reason == "M" else "Damaged_Warehouse"
            reversal = timedelta(days=rng.uniform(5, 20)) if rng.random() < 0.08 else None
            _reimbursement(
                rng,
                at=moment + timedelta(days=rng.uniform(7, 28)),
                order_id="",
                reason=reason_word,
                product=product,
                quantity=quantity,
                out=out,
                reversal_after=reversal,
            )
            if reversal is not None:
                out.adjustments.append(Adjustment(_digits(rng, 11), moment + reversal, product, "F", quantity, center))
        # else: neither found nor paid: the desk's case


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _flat(columns: list[str], rows: list[list[str]]) -> bytes:
    lines = ["\t".join(columns), *("\t".join(c.replace("\t", " ") for c in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def document(
    report_type: str, marketplace: Marketplace, *, at: datetime, start: datetime, end: datetime
) -> bytes | None:
    """The report's flat file as of ``at``, rows dated in ``[start, end]``; None (CANCELLED)
    when it has no rows, as Amazon does."""
    h = history(marketplace)
    upto = min(end, at)

    def within(moment: datetime) -> bool:
        return start <= moment <= upto

    if report_type == REIMBURSEMENTS:
        rows = [
            [
                _iso(r.approved),
                r.reimbursement_id,
                "",
                r.order_id,
                r.reason,
                r.product.sku,
                fnsku_of(r.product),
                r.product.asin,
                r.product.title,
                "NewItem",
                "USD",
                f"{r.per_unit:.2f}",
                f"{r.per_unit * r.quantity:.2f}",
                str(r.quantity),
                "0",
                str(r.quantity),
                r.original_id,
                r.original_type,
            ]
            for r in h.reimbursements
            if within(r.approved)
        ]
        columns = REIMBURSEMENT_COLUMNS
    elif report_type == CUSTOMER_RETURNS:
        rows = [
            [
                _iso(r.returned),
                r.order_id,
                r.product.sku,
                r.product.asin,
                fnsku_of(r.product),
                r.product.title,
                str(r.quantity),
                r.center,
                r.disposition,
                "DEFECTIVE" if r.disposition == "DEFECTIVE" else "NOT_AS_DESCRIBED",
                "Unit returned to inventory",
                r.license_plate,
                "",
            ]
            for r in h.returns
            if within(r.returned)
        ]
        columns = RETURN_COLUMNS
    elif report_type == REPLACEMENTS:
        rows = [
            [
                _iso(r.shipped),
                r.product.sku,
                r.product.asin,
                r.center,
                r.center,
                str(r.quantity),
                "1",
                r.replacement_order_id,
                r.original_order_id,
            ]
            for r in h.replacements
            if within(r.shipped)
        ]
        columns = REPLACEMENT_COLUMNS
    elif report_type == LEDGER:
        rows = [
            [
                a.at.strftime("%m/%d/%Y"),
                fnsku_of(a.product),
                a.product.asin,
                a.product.sku,
                a.product.title,
                "Adjustments",
                a.reference_id,
                str(a.quantity),
                a.center,
                "SELLABLE",
                a.reason,
                "US",
                "0",
                str(a.quantity),
                _iso(a.at),
            ]
            for a in h.adjustments
            if within(a.at)
        ]
        columns = LEDGER_COLUMNS
    else:
        raise ValueError(report_type)
    return _flat(columns, rows) if rows else None
