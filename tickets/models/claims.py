"""A-to-z Guarantee claims and chargebacks: the order defects a CSM defends.

Status vocabulary from notes/amazon.md §6. Whether a claim or chargeback counts toward
ODR is derived from its status by the metrics app, never stored as a guess.
"""

from datetime import datetime, timedelta

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from .accounts import SellerAccount
from .orders import Order
from .tickets import Ticket


class AtoZClaimStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACTION_REQUIRED = "action_required", "Action required (represent by deadline)"
    DENIED = "denied", "Closed – denied"
    WITHDRAWN = "withdrawn", "Withdrawn by buyer"
    GRANTED_AMAZON_FUNDED = "granted_amazon_funded", "Granted – Amazon funded"
    GRANTED_SELLER_FUNDED = "granted_seller_funded", "Granted – seller funded"
    REFUNDED_BY_SELLER = "refunded_by_seller", "Closed – refunded by seller"
    APPEALED = "appealed", "Appealed"
    APPEAL_WON = "appeal_won", "Appeal won"
    APPEAL_LOST = "appeal_lost", "Appeal lost"


class AtoZClaim(models.Model):
    Status = AtoZClaimStatus

    OPEN_STATUSES = (Status.OPEN, Status.ACTION_REQUIRED, Status.APPEALED)

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="a_to_z_claims")
    # The account Amazon's id is scoped to (always the order's): the id is unique per
    # account, so another account naming it finds nothing to take over.
    seller_account = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="a_to_z_claims", editable=False
    )
    claim_id = models.CharField(max_length=64)
    filed_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)
    # Amazon grants the claim if the seller does not represent within 3 calendar days
    # (notes/amazon.md §6); the deadline in Amazon's notice wins when given.
    respond_by = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Buy Shipping "Claims Protected": Amazon funds it and it leaves ODR.
    buy_shipping_protected = models.BooleanField(default=False)
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="a_to_z_claims",
        help_text="The CSM's defence ticket.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "A-to-z claim"
        ordering = ["-filed_at"]
        indexes = [
            models.Index(fields=["order", "status"], name="a_to_z_claim_order_status"),
            # ODR (metrics.odr): claims by filing date, read from the index alone.
            models.Index(
                fields=["filed_at"],
                include=["order", "status", "decided_at", "buy_shipping_protected"],
                name="a_to_z_claim_filed_odr",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["seller_account", "claim_id"], name="a_to_z_claim_unique_id_per_account"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="a_to_z_claim_amount_not_negative"),
            models.CheckConstraint(condition=Q(status__in=AtoZClaimStatus.values), name="a_to_z_claim_status_valid"),
        ]

    def __str__(self) -> str:
        return f"A-to-z claim {self.claim_id}"

    def save(self, *args, **kwargs):
        if self.order_id is not None:
            self.seller_account_id = self.order.seller_account_id  # Amazon's id is scoped to it
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def appeal_by(self) -> datetime | None:
        """The last moment to appeal Amazon's decision: 30 calendar days after it (27951)."""
        return self.decided_at + timedelta(days=30) if self.decided_at else None


class ChargebackKind(models.TextChoices):
    # Only service chargebacks are the seller's responsibility; payment fraud is Amazon's.
    SERVICE = "service", "Service (item not received / not as described)"
    FRAUD = "fraud", "Payment fraud"


class ChargebackStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACTION_REQUIRED = "action_required", "Action required (respond by deadline)"
    REPRESENTED = "represented", "Represented, awaiting issuer"
    REFUNDED_BY_SELLER = "refunded_by_seller", "Refunded by seller"
    DECIDED_FOR_SELLER = "decided_for_seller", "Decided for the seller"
    DECIDED_FOR_BUYER = "decided_for_buyer", "Decided for the buyer"


class Chargeback(models.Model):
    Kind = ChargebackKind
    Status = ChargebackStatus

    OPEN_STATUSES = (Status.OPEN, Status.ACTION_REQUIRED, Status.REPRESENTED)

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="chargebacks")
    # The account Amazon's id is scoped to (always the order's): the id is unique per
    # account, so another account naming it finds nothing to take over.
    seller_account = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="chargebacks", editable=False
    )
    chargeback_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SERVICE)
    filed_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    # "You must respond to any chargeback claim within seven calendar days" (G202145040).
    respond_by = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chargebacks",
        help_text="The CSM's defence ticket.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed_at"]
        indexes = [
            models.Index(fields=["order", "status"], name="chargeback_order_status"),
            # ODR (metrics.odr): chargebacks by filing date, read from the index alone.
            models.Index(
                fields=["filed_at"], include=["order", "kind", "status", "decided_at"], name="chargeback_filed_odr"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "chargeback_id"], name="chargeback_unique_id_per_account"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="chargeback_amount_not_negative"),
            models.CheckConstraint(condition=Q(status__in=ChargebackStatus.values), name="chargeback_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ChargebackKind.values), name="chargeback_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"Chargeback {self.chargeback_id}"

    def save(self, *args, **kwargs):
        if self.order_id is not None:
            self.seller_account_id = self.order.seller_account_id  # Amazon's id is scoped to it
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
