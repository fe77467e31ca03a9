"""The reconciliation rules: which FBA units Amazon owes the seller for, by when.

Each rule is a set-based query over the account's FBA rows (``*_candidates``): one row per
refund, replacement, return or ledger adjustment that may be owed, annotated in the
database with the units offset (returned, found) and reimbursed (reversals included, as
negative quantities). ``reconcile`` turns them into ``ReimbursementCase`` rows in batches:
new cases, and the life of existing ones —

- a later reimbursement that covers the units closes the case as *paid*, keeping Amazon's
  amounts; a reversal that uncovers them reopens it (filed again when a case id was given);
- a unit that comes back (a return within the window, a found adjustment) closes an
  unfiled case as *closed*;
- a case becomes *ready to file* when its claim window opens.

Returns and reimbursements of an order offset each refund or replacement of the same order and
SKU (conservative: never claims a unit that may be back or paid for); warehouse losses take the
found units and payments of their FNSKU oldest loss first (``warehouse_lost_candidates``).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from tickets.audit import actor_label
from tickets.models import AuditEvent, Order, OrderItem, SellerAccount

from .models import (
    CaseRule,
    CaseSource,
    CaseStatus,
    FbaCustomerReturn,
    FbaLedgerAdjustment,
    FbaRefund,
    FbaReimbursement,
    FbaReplacement,
    ReimbursementCase,
    ReimbursementWindow,
    at_risk_window,
)

ACTOR = "celery:reimbursement_reconcile"
BATCH = 2000
# Returns Amazon's fault (FBA customer returns report, detailed-disposition): damaged by the
# carrier, or in the fulfilment centre ("DAMAGED"); the buyer's damage or a defect is not.
AMAZON_FAULT_DISPOSITIONS = ("CARRIER_DAMAGED", "DAMAGED")
# Reimbursement reasons for units lost or damaged in Amazon's hands in the warehouse.
WAREHOUSE_REASONS = ("Lost_Warehouse", "Damaged_Warehouse")
MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Value(0)


def _sum(queryset: QuerySet, column: str, output=None):
    """A correlated SUM (0 when nothing matches), computed in the database."""
    output = output or IntegerField()
    summed = queryset.order_by().values("seller_account_id").annotate(total=Sum(column)).values("total")
    return Coalesce(Subquery(summed, output_field=output), Value(0), output_field=output)


def _reimbursements(account: SellerAccount) -> QuerySet:
    return FbaReimbursement.objects.filter(seller_account=account)


def _amazon_unit_amount(account: SellerAccount, **match):
    """Amazon's own latest per-unit amount for the item (the best estimate of what it pays)."""
    paid = _reimbursements(account).filter(amount_per_unit__gt=0, **match).order_by("-approval_date")
    return Subquery(paid.values("amount_per_unit")[:1], output_field=MONEY)


def _item_price(account: SellerAccount, **match):
    """The item's price on the order (or, without an order, its latest sale)."""
    items = OrderItem.objects.filter(order__seller_account=account, **match).order_by("-order__purchased_at")
    return Subquery(items.values("unit_price")[:1], output_field=MONEY)


def _mfn(account: SellerAccount, order_field: str):
    """The desk knows the order as seller-fulfilled: not an FBA unit."""
    return Exists(
        Order.objects.filter(seller_account=account, amazon_order_id=OuterRef(order_field), fulfillment_channel="FBM")
    )


def _with_cases(queryset: QuerySet, account: SellerAccount, source: str, in_range: Q) -> QuerySet:
    """The rows in the rule's window, and every row that already has a case (its life goes on)."""
    cased = ReimbursementCase.objects.filter(seller_account=account, source=source).values("source_pk")
    return queryset.filter(in_range | Q(pk__in=cased))


# --- The rules ------------------------------------------------------------------------------


def refunded_not_returned_candidates(
    *, seller_account: SellerAccount, window: ReimbursementWindow, now: datetime
) -> QuerySet:
    """FBA refunds whose unit did not come back in time and that Amazon has not paid for.

    Amazon (help G9N934L7Y4SFWPJ4, "FBA inventory reimbursement policy: Customer return
    claims", US): "If the item is not returned to a fulfilment centre within 60 days of the
    refund, we will charge the customer and reimburse you"; a claim can be filed "no sooner
    than 60 days and no later than 120 days after the customer refund or replacement". So a
    refund item of an FBA order (the desk does not know it as FBM) is owed for its quantity
    less the units returned for the same order and SKU up to ``return_window_days`` after the
    refund, once that window is over and until ``return_claim_until_days``; reimbursements
    for the order and SKU (any reason, reversals included) pay it.
    """
    returned = FbaCustomerReturn.objects.filter(
        seller_account=seller_account,
        amazon_order_id=OuterRef("amazon_order_id"),
        sku=OuterRef("sku"),
        return_date__lte=OuterRef("posted_at") + timedelta(days=window.return_window_days),
    )
    paid = _reimbursements(seller_account).filter(amazon_order_id=OuterRef("amazon_order_id"), sku=OuterRef("sku"))
    in_range = Q(
        posted_at__lte=now - timedelta(days=window.return_window_days),
        posted_at__gt=now - timedelta(days=window.return_claim_until_days),
    )
    refunds = _with_cases(FbaRefund.objects.filter(seller_account=seller_account), seller_account, "refund", in_range)
    refund_price = ExpressionWrapper(F("amount") / F("quantity"), output_field=MONEY)
    return (
        refunds.exclude(_mfn(seller_account, "amazon_order_id"))
        .annotate(
            order_id=F("amazon_order_id"),
            event_at=F("posted_at"),
            units=F("quantity"),
            prior=ZERO,
            offset=_sum(returned, "quantity"),
            reimbursed=_sum(paid, "quantity_total"),
            reimbursed_amount=_sum(paid, "amount_total", MONEY),
            unit_value=Coalesce(
                _amazon_unit_amount(seller_account, sku=OuterRef("sku")),
                _item_price(
                    seller_account, order__amazon_order_id=OuterRef("amazon_order_id"), product__sku=OuterRef("sku")
                ),
                refund_price,
                output_field=MONEY,
            ),
            fnsku_=Value(""),
            asin_=Value(""),
            case_key=F("order_adjustment_item_id"),
        )
        .values(*CANDIDATE_FIELDS)
    )


def replaced_not_returned_candidates(
    *, seller_account: SellerAccount, window: ReimbursementWindow, now: datetime
) -> QuerySet:
    """FBA replacements whose original unit did not come back: the same Amazon rule as
    ``refunded_not_returned_candidates`` ("after the customer refund or replacement"), counted
    from the replacement's shipment, with the returns and reimbursements of the original order."""
    returned = FbaCustomerReturn.objects.filter(
        seller_account=seller_account,
        amazon_order_id=OuterRef("original_amazon_order_id"),
        sku=OuterRef("sku"),
        return_date__lte=OuterRef("shipment_date") + timedelta(days=window.return_window_days),
    )
    paid = _reimbursements(seller_account).filter(
        amazon_order_id=OuterRef("original_amazon_order_id"), sku=OuterRef("sku")
    )
    in_range = Q(
        shipment_date__lte=now - timedelta(days=window.return_window_days),
        shipment_date__gt=now - timedelta(days=window.return_claim_until_days),
    )
    replacements = _with_cases(
        FbaReplacement.objects.filter(seller_account=seller_account), seller_account, "replacement", in_range
    )
    return (
        replacements.exclude(_mfn(seller_account, "original_amazon_order_id"))
        .annotate(
            order_id=F("original_amazon_order_id"),
            event_at=F("shipment_date"),
            units=F("quantity"),
            prior=ZERO,
            offset=_sum(returned, "quantity"),
            reimbursed=_sum(paid, "quantity_total"),
            reimbursed_amount=_sum(paid, "amount_total", MONEY),
            unit_value=Coalesce(
                _amazon_unit_amount(seller_account, sku=OuterRef("sku")),
                _item_price(
                    seller_account,
                    order__amazon_order_id=OuterRef("original_amazon_order_id"),
                    product__sku=OuterRef("sku"),
                ),
                output_field=MONEY,
            ),
            fnsku_=Value(""),
            asin_=F("asin"),
            case_key=F("replacement_amazon_order_id"),
        )
        .values(*CANDIDATE_FIELDS)
    )


def returned_damaged_candidates(
    *, seller_account: SellerAccount, window: ReimbursementWindow, now: datetime
) -> QuerySet:
    """Customer returns that came back unsellable through Amazon's fault, not paid for.

    Amazon (help G9N934L7Y4SFWPJ4): a sellable return goes back to inventory; an unsellable
    one is reimbursed "only when Amazon is responsible" — the returns report's
    detailed-disposition ``CARRIER_DAMAGED`` or ``DAMAGED`` (damaged in the fulfilment centre),
    not ``CUSTOMER_DAMAGED`` or ``DEFECTIVE``. The customer-return claim window applies, from
    the refund of the order and SKU (else the return date): claimable from
    ``return_claim_from_days`` to ``return_claim_until_days``.
    """
    refunded = FbaRefund.objects.filter(
        seller_account=seller_account, amazon_order_id=OuterRef("amazon_order_id"), sku=OuterRef("sku")
    ).order_by("posted_at")
    paid = _reimbursements(seller_account).filter(amazon_order_id=OuterRef("amazon_order_id"), sku=OuterRef("sku"))
    base = Coalesce(Subquery(refunded.values("posted_at")[:1]), F("return_date"))
    returns = FbaCustomerReturn.objects.filter(
        seller_account=seller_account, detailed_disposition__in=AMAZON_FAULT_DISPOSITIONS
    ).annotate(base_at=base)
    in_range = Q(base_at__gt=now - timedelta(days=window.return_claim_until_days))
    return (
        _with_cases(returns, seller_account, "return", in_range)
        .annotate(
            order_id=F("amazon_order_id"),
            event_at=F("base_at"),
            units=F("quantity"),
            prior=ZERO,
            offset=ZERO,
            reimbursed=_sum(paid, "quantity_total"),
            reimbursed_amount=_sum(paid, "amount_total", MONEY),
            unit_value=Coalesce(
                _amazon_unit_amount(seller_account, fnsku=OuterRef("fnsku")),
                _item_price(
                    seller_account, order__amazon_order_id=OuterRef("amazon_order_id"), product__sku=OuterRef("sku")
                ),
                output_field=MONEY,
            ),
            fnsku_=F("fnsku"),
            asin_=F("asin"),
            case_key=F("license_plate_number"),
        )
        .values(*CANDIDATE_FIELDS)
    )


def warehouse_lost_candidates(*, seller_account: SellerAccount, window: ReimbursementWindow, now: datetime) -> QuerySet:
    """Units the inventory ledger marks lost or damaged in a fulfilment centre that were
    neither found again nor reimbursed.

    Amazon (forum announcement, 2024; notes/amazon.md §11): since 1 Nov 2024 it reimburses
    most warehouse losses and damage automatically; otherwise a manual claim can be filed
    "within 60 days" of the loss being reported. So a ledger adjustment with a lost (M, 5) or
    damaged (E, 6, H, K, 7, U) reason code is owed, once ``warehouse_wait_days`` have given
    Amazon time to reimburse or find the units, until ``warehouse_claim_days`` after the loss.
    Neither the ledger nor the reimbursements report says which loss a found unit or a
    payment belongs to, so they are allocated per FNSKU oldest loss first: the units found
    again (F, N) and the warehouse reimbursements (reversals included) since the earliest loss
    of the claim window go to that loss first, then to the next.
    """
    loss_reasons = (*FbaLedgerAdjustment.LOST_REASONS, *FbaLedgerAdjustment.DAMAGED_REASONS)
    all_losses = FbaLedgerAdjustment.objects.filter(
        seller_account=seller_account, reason__in=loss_reasons, quantity__lt=0
    )
    claim_days = timedelta(days=window.warehouse_claim_days)
    # FIFO per FNSKU: the losses of the claim window before this one come first; found units
    # and reimbursements since the earliest of them are set against the oldest loss first.
    earlier = all_losses.filter(fnsku=OuterRef("fnsku")).filter(
        Q(adjusted_at__lt=OuterRef("adjusted_at")) | Q(adjusted_at=OuterRef("adjusted_at"), pk__lt=OuterRef("pk")),
        adjusted_at__gte=OuterRef("adjusted_at") - claim_days,
    )
    first_at = Coalesce(Subquery(earlier.order_by("adjusted_at").values("adjusted_at")[:1]), F("adjusted_at"))
    found = FbaLedgerAdjustment.objects.filter(
        seller_account=seller_account,
        fnsku=OuterRef("fnsku"),
        reason__in=FbaLedgerAdjustment.FOUND_REASONS,
        adjusted_at__gte=OuterRef("first_at"),
    )
    paid = _reimbursements(seller_account).filter(
        Q(reason__in=WAREHOUSE_REASONS) | Q(original_reimbursement_type__in=WAREHOUSE_REASONS),
        fnsku=OuterRef("fnsku"),
        approval_date__gte=OuterRef("first_at"),
    )
    in_range = Q(
        adjusted_at__lte=now - timedelta(days=window.warehouse_wait_days),
        adjusted_at__gt=now - claim_days,
    )
    return (
        _with_cases(all_losses, seller_account, "ledger", in_range)
        .annotate(first_at=first_at)
        .annotate(
            order_id=Value(""),
            event_at=F("adjusted_at"),
            units=-F("quantity"),
            prior=-_sum(earlier, "quantity"),
            offset=_sum(found, "quantity"),
            reimbursed=_sum(paid, "quantity_total"),
            reimbursed_amount=_sum(paid, "amount_total", MONEY),
            unit_value=Coalesce(
                _amazon_unit_amount(seller_account, fnsku=OuterRef("fnsku")),
                _item_price(seller_account, product__asin=OuterRef("asin")),
                output_field=MONEY,
            ),
            fnsku_=F("fnsku"),
            asin_=F("asin"),
            case_key=F("reference_id"),
        )
        .values(*CANDIDATE_FIELDS)
    )


CANDIDATE_FIELDS = (
    "pk",
    "order_id",
    "sku",
    "fnsku_",
    "asin_",
    "event_at",
    "units",
    "prior",
    "offset",
    "reimbursed",
    "reimbursed_amount",
    "unit_value",
    "case_key",
)


@dataclass(frozen=True)
class Rule:
    rule: str
    source: str
    candidates: object
    claim_from: str  # the window's field: days after the event the claim opens
    claim_until: str


RULES = (
    Rule(
        CaseRule.REFUNDED_NOT_RETURNED,
        CaseSource.REFUND,
        refunded_not_returned_candidates,
        "return_claim_from_days",
        "return_claim_until_days",
    ),
    Rule(
        CaseRule.REFUNDED_NOT_RETURNED,
        CaseSource.REPLACEMENT,
        replaced_not_returned_candidates,
        "return_claim_from_days",
        "return_claim_until_days",
    ),
    Rule(
        CaseRule.RETURNED_DAMAGED,
        CaseSource.RETURN,
        returned_damaged_candidates,
        "return_claim_from_days",
        "return_claim_until_days",
    ),
    Rule(
        CaseRule.WAREHOUSE_LOST,
        CaseSource.LEDGER,
        warehouse_lost_candidates,
        "warehouse_wait_days",
        "warehouse_claim_days",
    ),
)


# --- From candidates to cases ---------------------------------------------------------------


@dataclass
class ReconcileResult:
    found: list[int] = field(default_factory=list)  # ids of the new cases
    changed: dict[str, int] = field(default_factory=dict)  # status changes, by new status
    candidates: int = 0


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _next_status(case: ReimbursementCase, *, owed: int, reimbursed: int, now: datetime) -> str:
    """Where the case goes given what Amazon's rows now say (the rule, not the people)."""
    status = case.status
    if status in (CaseStatus.FOUND, CaseStatus.READY, CaseStatus.FILED, CaseStatus.DENIED) and 0 < owed <= reimbursed:
        return CaseStatus.PAID
    if status in (CaseStatus.FOUND, CaseStatus.READY) and owed <= 0:
        return CaseStatus.CLOSED
    if status == CaseStatus.PAID and reimbursed < owed:
        # A reversal: the money went back to Amazon, the claim is open again.
        if case.amazon_case_id:
            return CaseStatus.FILED
        status = CaseStatus.FOUND
    if status == CaseStatus.FOUND and case.claimable_from <= now:
        return CaseStatus.READY
    return status


def _allocate(row: dict) -> tuple[int, int, Decimal]:
    """(units owed before reimbursements, units of them reimbursed, Amazon's amount for
    those). Earlier losses of the same FNSKU (``prior``) take the found units and the
    reimbursements first (oldest first); the amount is Amazon's average per unit of them."""
    units, prior = row["units"], row["prior"] or 0
    clamp = lambda n: max(0, min(units, n))  # noqa: E731
    owed = clamp(prior + units - (row["offset"] or 0))
    total = row["reimbursed"] or 0
    unpaid = clamp(prior + units - (row["offset"] or 0) - total)
    reimbursed = owed - unpaid
    amount = _money(row["reimbursed_amount"]) or Decimal("0")
    if total and reimbursed != total:
        amount = (amount * reimbursed / total).quantize(Decimal("0.01"))
    elif not total:
        amount = Decimal("0.00") if reimbursed == 0 else amount
    return owed, reimbursed, amount


def _evidence(rule: Rule, row: dict) -> dict:
    return {
        "source": rule.source,
        "reference": row["case_key"],
        "units": row["units"],
        "earlier_losses": row["prior"],
        "units_returned_or_found": row["offset"],
        "units_reimbursed": row["reimbursed"],
    }


def _reconcile_rule(
    *, rule: Rule, seller_account: SellerAccount, window: ReimbursementWindow, now: datetime, result: ReconcileResult
) -> None:
    rows = rule.candidates(seller_account=seller_account, window=window, now=now)
    batch: list[dict] = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A candidate query is index lookups per row, but its summed cost estimate makes
            # PostgreSQL JIT-compile it: 3.9 s of a 4.2 s query at 1M orders (bench/RESULTS.md).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        for row in rows.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) >= BATCH:
                _apply(rule=rule, seller_account=seller_account, window=window, now=now, rows=batch, result=result)
                batch = []
        if batch:
            _apply(rule=rule, seller_account=seller_account, window=window, now=now, rows=batch, result=result)


def _apply(
    *,
    rule: Rule,
    seller_account: SellerAccount,
    window: ReimbursementWindow,
    now: datetime,
    rows: list[dict],
    result: ReconcileResult,
) -> None:
    """One batch of candidates: one SELECT of their cases, one INSERT, one UPDATE, one
    INSERT of audit events."""
    result.candidates += len(rows)
    cases = {
        c.source_pk: c
        for c in ReimbursementCase.objects.filter(
            seller_account=seller_account, source=rule.source, source_pk__in=[r["pk"] for r in rows]
        )
    }
    fresh, changed, audits = [], [], []
    for row in rows:
        owed, reimbursed, amount = _allocate(row)
        case = cases.get(row["pk"])
        if case is None:
            deadline = row["event_at"] + timedelta(days=getattr(window, rule.claim_until))
            if owed <= 0 or reimbursed >= owed or deadline <= now:
                continue
            claimable_from = row["event_at"] + timedelta(days=getattr(window, rule.claim_from))
            fresh.append(
                ReimbursementCase(
                    seller_account=seller_account,
                    rule=rule.rule,
                    source=rule.source,
                    source_pk=row["pk"],
                    case_key=row["case_key"] or "",
                    status=CaseStatus.READY if claimable_from <= now else CaseStatus.FOUND,
                    amazon_order_id=row["order_id"] or "",
                    sku=row["sku"] or "",
                    fnsku=row["fnsku_"] or "",
                    asin=row["asin_"] or "",
                    quantity=owed,
                    reimbursed_quantity=reimbursed,
                    reimbursed_amount=amount,
                    unit_value=_money(row["unit_value"]),
                    currency=seller_account_currency(seller_account),
                    event_at=row["event_at"],
                    claimable_from=claimable_from,
                    sla_due_at=deadline,
                    sla_at_risk_at=deadline - at_risk_window(),
                    evidence=_evidence(rule, row),
                    found_at=now,
                )
            )
            continue
        status = _next_status(case, owed=owed, reimbursed=reimbursed, now=now)
        values = {
            "quantity": max(owed, 1) if status != CaseStatus.CLOSED else case.quantity,
            "reimbursed_quantity": reimbursed,
            "reimbursed_amount": amount,
            "status": status,
            "evidence": _evidence(rule, row),
        }
        if status != case.status and status in (CaseStatus.PAID, CaseStatus.CLOSED):
            values["resolved_at"] = now
        elif status != case.status and case.status == CaseStatus.PAID:
            values["resolved_at"] = None
        before = {f: getattr(case, f) for f in values}
        if before == values:
            continue
        for name, value in values.items():
            setattr(case, name, value)
        changed.append(case)
        if before["status"] != status:
            result.changed[status] = result.changed.get(status, 0) + 1
            audits.append((case.pk, before, values))
    with transaction.atomic():
        created = ReimbursementCase.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=BATCH)
        if changed:
            ReimbursementCase.objects.bulk_update(
                changed,
                ["quantity", "reimbursed_quantity", "reimbursed_amount", "status", "evidence", "resolved_at"],
                batch_size=BATCH,
            )
        _audit_statuses(audits)
        if fresh:
            # ignore_conflicts gives no ids on every database: read the batch's new cases back.
            ids = list(
                ReimbursementCase.objects.filter(
                    seller_account=seller_account,
                    source=rule.source,
                    source_pk__in=[c.source_pk for c in created],
                    found_at=now,
                ).values_list("pk", flat=True)
            )
            _audit_found(ids)
            result.found.extend(ids)


def seller_account_currency(seller_account: SellerAccount) -> str:
    # The account's order currency; the marketplace decides it.
    return getattr(seller_account, "_reimbursement_currency", None) or "USD"


def _audit_statuses(audits: list[tuple[int, dict, dict]]) -> None:
    if not audits:
        return
    content_type = ContentType.objects.get_for_model(ReimbursementCase)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                content_type=content_type,
                object_id=str(pk),
                action="reimbursement_case.reconciled",
                changes={
                    "status": [before["status"], after["status"]],
                    "reimbursed_quantity": [before["reimbursed_quantity"], after["reimbursed_quantity"]],
                    "reimbursed_amount": [str(before["reimbursed_amount"]), str(after["reimbursed_amount"])],
                },
                actor_label=actor_label(ACTOR),
            )
            for pk, before, after in audits
        ],
        batch_size=BATCH,
    )


def _audit_found(ids: list[int]) -> None:
    if not ids:
        return
    content_type = ContentType.objects.get_for_model(ReimbursementCase)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                content_type=content_type,
                object_id=str(pk),
                action="reimbursement_case.found",
                changes={},
                actor_label=actor_label(ACTOR),
            )
            for pk in ids
        ],
        batch_size=BATCH,
    )


def reconcile(*, seller_account: SellerAccount, now: datetime) -> ReconcileResult:
    """Run every rule over the account's FBA rows: new cases found, existing ones follow
    Amazon's later rows. Idempotent: a second run at the same moment changes nothing.
    Announces each new case (``reimbursement.found``)."""
    from .services import reimbursement_found_emit

    window = ReimbursementWindow.for_marketplace(seller_account.marketplace_id)
    currency = Order.objects.filter(seller_account=seller_account).order_by().values_list("currency", flat=True).first()
    seller_account._reimbursement_currency = currency or "USD"
    result = ReconcileResult()
    for rule in RULES:
        _reconcile_rule(rule=rule, seller_account=seller_account, window=window, now=now, result=result)
    if result.found:
        with transaction.atomic():
            reimbursement_found_emit(seller_account=seller_account, case_ids=result.found)
    return result


__all__ = [
    "RULES",
    "ReconcileResult",
    "reconcile",
    "refunded_not_returned_candidates",
    "replaced_not_returned_candidates",
    "returned_damaged_candidates",
    "warehouse_lost_candidates",
]
