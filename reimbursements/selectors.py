"""Reads of the reimbursement cases: the desk's queue, the managers' summary, the claim text,
the API's payload. Visibility comes from the one gate, ``tickets.access``."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Greatest

from tickets.access import reimbursement_cases_visible_to

from .models import CLOCK_STATUSES, OPEN_CASE_STATUSES, CaseRule, CaseStatus, ReimbursementCase

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _cents(value) -> Decimal:
    # SQLite sums decimals as floats: the same figure on every database.
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def with_estimated_value(cases: QuerySet) -> QuerySet:
    """``estimated``: outstanding units × per-unit value, computed in the database."""
    outstanding = Greatest(F("quantity") - F("reimbursed_quantity"), 0)
    return cases.annotate(estimated=ExpressionWrapper(F("unit_value") * outstanding, output_field=MONEY))


def reimbursement_queue(*, user: AbstractBaseUser, status: str = "open") -> QuerySet:
    """The desk's queue: the caller's cases, the nearest deadline first."""
    cases = reimbursement_cases_visible_to(user).select_related("seller_account", "assignee")
    if status == "open":
        cases = cases.filter(status__in=OPEN_CASE_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    return with_estimated_value(cases).order_by(F("sla_due_at").asc(nulls_last=True), "pk")


@dataclass
class AccountSummary:
    seller_account_id: int
    name: str
    open_cases: int
    open_value: Decimal


@dataclass
class ReimbursementSummary:
    accounts: list[AccountSummary]
    due_this_week: int
    recovered_this_month: Decimal
    won: int
    denied: int

    @property
    def won_rate(self) -> float | None:
        decided = self.won + self.denied
        return round(100 * self.won / decided, 1) if decided else None


def reimbursement_summary(*, user: AbstractBaseUser, now: datetime) -> ReimbursementSummary:
    """What managers watch: open value by account, deadlines within a week, money recovered
    this month (Amazon's reimbursed amounts of cases paid this month), and how filed claims
    ended (won = paid after filing, denied). Three queries whatever the number of cases."""
    cases = reimbursement_cases_visible_to(user)
    per_account = (
        with_estimated_value(cases.filter(status__in=OPEN_CASE_STATUSES))
        .values("seller_account_id", "seller_account__name")
        .annotate(n=Count("pk"), value=Coalesce(Sum("estimated"), Decimal("0"), output_field=MONEY))
        .order_by("seller_account__name")
    )
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    totals = cases.aggregate(
        due=Count(
            "pk", filter=Q(status__in=CLOCK_STATUSES, sla_due_at__gt=now, sla_due_at__lte=now + timedelta(days=7))
        ),
        recovered=Coalesce(
            Sum("reimbursed_amount", filter=Q(status=CaseStatus.PAID, resolved_at__gte=month)),
            Decimal("0"),
            output_field=MONEY,
        ),
        won=Count("pk", filter=Q(status=CaseStatus.PAID, filed_at__isnull=False)),
        denied=Count("pk", filter=Q(status=CaseStatus.DENIED)),
    )
    return ReimbursementSummary(
        accounts=[
            AccountSummary(r["seller_account_id"], r["seller_account__name"], r["n"], _cents(r["value"]))
            for r in per_account
        ],
        due_this_week=totals["due"],
        recovered_this_month=_cents(totals["recovered"]),
        won=totals["won"],
        denied=totals["denied"],
    )


def account_reimbursement_line(*, seller_account_id: int, now: datetime) -> dict:
    """The line on Account health: open cases, their estimated value, the nearest deadline."""
    open_cases = with_estimated_value(
        ReimbursementCase.objects.filter(seller_account_id=seller_account_id, status__in=OPEN_CASE_STATUSES)
    )
    row = open_cases.aggregate(
        n=Count("pk"),
        value=Coalesce(Sum("estimated"), Decimal("0"), output_field=MONEY),
        due_soon=Count("pk", filter=Q(status__in=CLOCK_STATUSES, sla_at_risk_at__lte=now)),
    )
    nearest = open_cases.filter(status__in=CLOCK_STATUSES, sla_due_at__gt=now).order_by("sla_due_at").first()
    return {
        "open_cases": row["n"],
        "open_value": _cents(row["value"]),
        "due_soon": row["due_soon"],
        "next_deadline": nearest.sla_due_at if nearest else None,
    }


RULE_CLAIM = {
    CaseRule.REFUNDED_NOT_RETURNED: (
        "The customer was refunded (or sent a replacement) for this order, and the unit was not returned to "
        "a fulfilment centre within {window} days, nor reimbursed."
    ),
    CaseRule.RETURNED_DAMAGED: (
        "The customer's return of this order arrived {disposition} (damage on Amazon's side), and it was not "
        "reimbursed."
    ),
    CaseRule.WAREHOUSE_LOST: (
        "The inventory ledger shows these units lost or damaged in the fulfilment centre (reference {key}); "
        "they were not found again nor reimbursed."
    ),
}


def case_claim_text(case: ReimbursementCase) -> str:
    """The text an agent pastes into Seller Central's claim form (Inventory → Inventory
    Defect and Reimbursement): the facts from Amazon's own reports."""
    evidence = case.evidence or {}
    statement = RULE_CLAIM[CaseRule(case.rule)].format(
        window=evidence.get("return_window_days", 60),
        disposition=evidence.get("disposition", "damaged"),
        key=case.case_key,
    )
    facts = [
        f"Order ID: {case.amazon_order_id}" if case.amazon_order_id else "",
        f"SKU: {case.sku}" if case.sku else "",
        f"FNSKU: {case.fnsku}" if case.fnsku else "",
        f"ASIN: {case.asin}" if case.asin else "",
        f"Units: {case.outstanding_quantity}",
        f"Date: {case.event_at:%Y-%m-%d}",
        f"Reference: {case.case_key}" if case.case_key else "",
        "Please reimburse these units per the FBA inventory reimbursement policy.",
    ]
    return "\n".join([statement, "", *(line for line in facts if line)])


def money(amount: Decimal | None, currency: str) -> dict | None:
    return None if amount is None else {"amount": f"{amount:.2f}", "currency": currency}


def case_payload(case: ReimbursementCase) -> dict:
    """A case as the API and the webhooks show it."""
    return {
        "id": case.pk,
        "seller_account": case.seller_account_id,
        "rule": case.rule,
        "status": case.status,
        "amazon_order_id": case.amazon_order_id,
        "sku": case.sku,
        "fnsku": case.fnsku,
        "asin": case.asin,
        "quantity": case.quantity,
        "reimbursed_quantity": case.reimbursed_quantity,
        "reimbursed": money(case.reimbursed_amount, case.currency),
        "estimated_value": money(case.estimated_value, case.currency),
        "event_at": case.event_at,
        "claimable_from": case.claimable_from,
        "claim_deadline": case.sla_due_at,
        "amazon_case_id": case.amazon_case_id,
    }
