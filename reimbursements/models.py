"""Amazon's FBA rows, the per-marketplace claim windows, and the reimbursement cases.

Each report row is keyed by Amazon's ids *within the seller account* (two accounts may share
an order id in the sandbox, and a lookup never crosses accounts). Column names follow the
SP-API docs "FBA Payments reports attributes" and "FBA Customer Concessions reports
attributes" (notes/amazon.md §11).
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from amazon.spapi.models import SpApiConnection
from tickets.models import SellerAccount

MONEY = {"max_digits": 12, "decimal_places": 2}


class FbaReimbursement(models.Model):
    """A row of ``GET_FBA_REIMBURSEMENTS_DATA``: Amazon paid (cash and/or inventory) for
    units, or reversed such a payment (negative quantities, ``Reimbursement_Reversal``)."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    reimbursement_id = models.CharField(max_length=32)
    approval_date = models.DateTimeField()
    case_id = models.CharField(max_length=32, blank=True)
    amazon_order_id = models.CharField(max_length=32, blank=True)
    reason = models.CharField(max_length=64)
    sku = models.CharField(max_length=64, blank=True)
    fnsku = models.CharField(max_length=16, blank=True)
    asin = models.CharField(max_length=10, blank=True)
    condition = models.CharField(max_length=64, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    amount_per_unit = models.DecimalField(**MONEY, default=0)
    amount_total = models.DecimalField(**MONEY, default=0)
    quantity_cash = models.IntegerField(default=0)
    quantity_inventory = models.IntegerField(default=0)
    quantity_total = models.IntegerField(default=0)
    original_reimbursement_id = models.CharField(max_length=32, blank=True)
    original_reimbursement_type = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "reimbursement_id", "fnsku"], name="fba_reimbursement_unique"
            )
        ]
        indexes = [
            models.Index(fields=["seller_account", "amazon_order_id", "sku"], name="fba_reimb_order"),
            models.Index(fields=["seller_account", "fnsku", "approval_date"], name="fba_reimb_fnsku"),
            # Amazon's latest per-unit amount of a SKU (a case's value).
            models.Index(fields=["seller_account", "sku", "approval_date"], name="fba_reimb_sku"),
        ]

    def __str__(self) -> str:
        return f"{self.reimbursement_id} {self.reason} {self.quantity_total}"


class FbaCustomerReturn(models.Model):
    """A row of ``GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA``: a unit back in a fulfilment
    centre, with the disposition Amazon gave it."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    amazon_order_id = models.CharField(max_length=32)
    license_plate_number = models.CharField(max_length=32, blank=True)
    return_date = models.DateTimeField()
    sku = models.CharField(max_length=64, blank=True)
    asin = models.CharField(max_length=10, blank=True)
    fnsku = models.CharField(max_length=16, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    fulfillment_center_id = models.CharField(max_length=16, blank=True)
    detailed_disposition = models.CharField(max_length=32, blank=True)
    reason = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "amazon_order_id", "fnsku", "license_plate_number", "return_date"],
                name="fba_return_unique",
            )
        ]
        indexes = [models.Index(fields=["seller_account", "amazon_order_id", "sku"], name="fba_return_order")]

    def __str__(self) -> str:
        return f"{self.amazon_order_id} {self.sku} {self.detailed_disposition}"


class FbaReplacement(models.Model):
    """A row of ``GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA``: a replacement unit
    shipped for an order; the original unit should come back like a refunded one."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    replacement_amazon_order_id = models.CharField(max_length=32)
    original_amazon_order_id = models.CharField(max_length=32)
    shipment_date = models.DateTimeField()
    sku = models.CharField(max_length=64, blank=True)
    asin = models.CharField(max_length=10, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    fulfillment_center_id = models.CharField(max_length=16, blank=True)
    replacement_reason_code = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "replacement_amazon_order_id", "sku"], name="fba_replacement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.replacement_amazon_order_id} for {self.original_amazon_order_id}"


class FbaLedgerAdjustment(models.Model):
    """An ``Adjustments`` row of the inventory ledger (``GET_LEDGER_DETAIL_VIEW_DATA``): units
    Amazon marked lost, damaged, found or disposed in a fulfilment centre."""

    # Reason codes ([3rd party] per notes/amazon.md §11): lost M/5, found F/N, damaged E/6,
    # other damage by Amazon H/K/7/U, disposed D.
    LOST_REASONS = ("M", "5")
    FOUND_REASONS = ("F", "N")
    DAMAGED_REASONS = ("E", "6", "H", "K", "7", "U")

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    reference_id = models.CharField(max_length=64)
    fnsku = models.CharField(max_length=16)
    reason = models.CharField(max_length=4)
    adjusted_at = models.DateTimeField()
    asin = models.CharField(max_length=10, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=500, blank=True)
    quantity = models.IntegerField()
    fulfillment_center = models.CharField(max_length=16, blank=True)
    disposition = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "reference_id", "fnsku", "reason"], name="fba_ledger_adjustment_unique"
            )
        ]
        indexes = [models.Index(fields=["seller_account", "fnsku", "adjusted_at"], name="fba_ledger_fnsku")]

    def __str__(self) -> str:
        return f"{self.fnsku} {self.reason} {self.quantity}"


class FbaRefund(models.Model):
    """A refund item of the Finances API's ``RefundEventList`` (``ShipmentEvent`` with
    ``ShipmentItemAdjustmentList``): Amazon refunded the buyer for units of an order."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    amazon_order_id = models.CharField(max_length=32)
    order_adjustment_item_id = models.CharField(max_length=64)
    posted_at = models.DateTimeField()
    sku = models.CharField(max_length=64, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    currency = models.CharField(max_length=3, default="USD")
    amount = models.DecimalField(**MONEY, default=0, help_text="The principal refunded (positive).")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "amazon_order_id", "order_adjustment_item_id"], name="fba_refund_unique"
            )
        ]
        indexes = [models.Index(fields=["seller_account", "posted_at"], name="fba_refund_posted")]

    def __str__(self) -> str:
        return f"{self.amazon_order_id} {self.sku} ×{self.quantity}"


class ReimbursementWindow(models.Model):
    """A marketplace's claim windows. Amazon's US pages: a customer-return claim from day 60
    to day 120 after the refund (help G9N934L7Y4SFWPJ4); a warehouse lost/damaged claim within
    60 days of the loss; other marketplaces have shown other windows, so each is a setting
    here, with ``settings.REIMBURSEMENT_WINDOW_DEFAULTS`` for marketplaces without a row."""

    marketplace_id = models.CharField(max_length=32, unique=True)
    return_claim_from_days = models.PositiveSmallIntegerField(
        default=60, validators=[MaxValueValidator(540)], help_text="A refund is claimable this many days after it."
    )
    return_claim_until_days = models.PositiveSmallIntegerField(
        default=120, validators=[MinValueValidator(1), MaxValueValidator(540)]
    )
    return_window_days = models.PositiveSmallIntegerField(
        default=60, validators=[MaxValueValidator(540)], help_text="A return within this many days of the refund."
    )
    warehouse_wait_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MaxValueValidator(365)],
        help_text="Amazon's automatic reimbursement (or the unit found) is awaited this long after a loss.",
    )
    warehouse_claim_days = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(540)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(return_claim_until_days__gt=models.F("return_claim_from_days")),
                name="reimbursement_window_return_order",
            ),
            models.CheckConstraint(
                condition=Q(warehouse_claim_days__gt=models.F("warehouse_wait_days")),
                name="reimbursement_window_warehouse_order",
            ),
        ]

    def __str__(self) -> str:
        return self.marketplace_id

    @classmethod
    def for_marketplace(cls, marketplace_id: str) -> "ReimbursementWindow":
        """The marketplace's row, else the defaults (unsaved)."""
        window = cls.objects.filter(marketplace_id=marketplace_id).first()
        return window or cls(marketplace_id=marketplace_id, **settings.REIMBURSEMENT_WINDOW_DEFAULTS)


class CaseRule(models.TextChoices):
    REFUNDED_NOT_RETURNED = "refunded_not_returned", "Refunded, not returned"
    RETURNED_DAMAGED = "returned_damaged", "Returned unsellable (Amazon's fault)"
    WAREHOUSE_LOST = "warehouse_lost", "Lost or damaged in the warehouse"


class CaseSource(models.TextChoices):
    REFUND = "refund", "Refund"
    REPLACEMENT = "replacement", "Replacement"
    RETURN = "return", "Customer return"
    LEDGER = "ledger", "Inventory ledger"


class CaseStatus(models.TextChoices):
    FOUND = "found", "Found"
    READY = "ready", "Ready to file"
    FILED = "filed", "Filed"
    PAID = "paid", "Paid"
    DENIED = "denied", "Denied"
    EXPIRED = "expired", "Expired"
    # Not owed any more: the unit came back or was found before anyone filed.
    CLOSED = "closed", "Closed (found or returned)"


OPEN_CASE_STATUSES = (CaseStatus.FOUND, CaseStatus.READY, CaseStatus.FILED)
# Cases whose deadline still matters (a filed claim is in Amazon's hands).
CLOCK_STATUSES = (CaseStatus.FOUND, CaseStatus.READY)


class ReimbursementCase(models.Model):
    """Units Amazon owes the seller for, with the evidence a claim needs and its deadline.

    ``sla_due_at`` is the claim deadline; ``sla_at_risk_at`` the moment it turns at risk
    (``REIMBURSEMENT_AT_RISK_DAYS`` before); both read by the desk's SLA sweep
    (reimbursements.clock) while the case waits to be filed.
    """

    Rule = CaseRule
    Source = CaseSource
    Status = CaseStatus

    # Allowed status changes by people (the reconciliation moves found/ready/paid/closed).
    TRANSITIONS = {
        CaseStatus.FOUND: {CaseStatus.READY, CaseStatus.FILED, CaseStatus.CLOSED},
        CaseStatus.READY: {CaseStatus.FILED, CaseStatus.CLOSED},
        CaseStatus.FILED: {CaseStatus.PAID, CaseStatus.DENIED},
        CaseStatus.PAID: set(),
        CaseStatus.DENIED: {CaseStatus.FILED},  # a denied claim may be filed again (appeal)
        CaseStatus.EXPIRED: set(),
        CaseStatus.CLOSED: set(),
    }

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=24, choices=Rule.choices)
    # The report row the case is about (one case per row), and its Amazon reference as
    # people read it (the order and SKU, or the ledger's Reference ID).
    source = models.CharField(max_length=12, choices=CaseSource.choices)
    source_pk = models.BigIntegerField()
    case_key = models.CharField(max_length=160)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FOUND)
    amazon_order_id = models.CharField(max_length=32, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    fnsku = models.CharField(max_length=16, blank=True)
    asin = models.CharField(max_length=10, blank=True)
    quantity = models.IntegerField(help_text="Units Amazon owes for (before reimbursements).")
    reimbursed_quantity = models.IntegerField(default=0)
    reimbursed_amount = models.DecimalField(**MONEY, default=0)
    unit_value = models.DecimalField(**MONEY, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    event_at = models.DateTimeField(help_text="The refund, return or ledger adjustment.")
    claimable_from = models.DateTimeField()
    sla_due_at = models.DateTimeField("claim deadline", null=True, blank=True)
    sla_at_risk_at = models.DateTimeField(null=True, blank=True, editable=False)
    evidence = models.JSONField(default=dict, blank=True)
    amazon_case_id = models.CharField(max_length=32, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    found_at = models.DateTimeField(default=timezone.now)
    filed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sla_due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "source", "source_pk"], name="reimbursement_case_one_per_row"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="reimbursement_case_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["seller_account", "status", "sla_due_at"], name="reimbursement_case_queue"),
            models.Index(
                fields=["sla_due_at"],
                include=["sla_at_risk_at"],
                condition=Q(status__in=CLOCK_STATUSES),
                name="reimbursement_case_clock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.amazon_order_id or self.fnsku} ×{self.outstanding_quantity}"

    @property
    def outstanding_quantity(self) -> int:
        return max(self.quantity - self.reimbursed_quantity, 0)

    @property
    def estimated_value(self):
        """Outstanding units × the per-unit value (Amazon's own reimbursement amount for the
        item, else the item price); None when neither is known."""
        if self.unit_value is None:
            return None
        return self.unit_value * self.outstanding_quantity

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    def can_transition_to(self, status: str) -> bool:
        return status == self.status or status in self.TRANSITIONS[CaseStatus(self.status)]

    def sla_state(self, now=None) -> str:
        """none / ok / at_risk / breached, like a ticket's clock (``Ticket.sla_state``)."""
        if self.sla_due_at is None or self.status not in CLOCK_STATUSES:
            return "none"
        now = now or timezone.now()
        if self.sla_due_at <= now:
            return "breached"
        if self.sla_at_risk_at and self.sla_at_risk_at <= now:
            return "at_risk"
        return "ok"


def at_risk_window() -> timedelta:
    return timedelta(days=settings.REIMBURSEMENT_AT_RISK_DAYS)


class DeadlineEvent(models.Model):
    """A transition of a case's claim deadline (at risk, passed), recorded once by the SLA
    sweep, like ``tickets.SlaEvent`` for a ticket's clock."""

    class Kind(models.TextChoices):
        AT_RISK = "reimbursement_due_soon", "Claim deadline near"
        PASSED = "reimbursement_expired", "Claim deadline passed"

    case = models.ForeignKey(ReimbursementCase, on_delete=models.CASCADE, related_name="deadline_events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    due_at = models.DateTimeField()
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "due_at"], name="reimbursement_deadline_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"


class FbaSync(models.Model):
    """When an account's FBA data was last read from Amazon (once a UTC day: reimbursements.fetch)."""

    connection = models.OneToOneField(SpApiConnection, on_delete=models.CASCADE, related_name="fba_sync")
    synced_on = models.DateField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.connection_id} {self.synced_on}"
