from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from .accounts import Product, SellerAccount

# Amazon order ids look like 113-4567890-1234567 (3-7-7 digits).
amazon_order_id_validator = RegexValidator(
    r"^\d{3}-\d{7}-\d{7}$", "An Amazon order id has the form 123-1234567-1234567."
)


class FulfillmentChannel(models.TextChoices):
    # FBA: Amazon ships and answers logistics questions. FBM: the seller (and so
    # the CSM) owns tracking, return labels, refunds and every A-to-z defence.
    FBA = "FBA", "Fulfilled by Amazon"
    FBM = "FBM", "Fulfilled by merchant"


class Buyer(models.Model):
    """An Amazon customer as one seller account sees them (Amazon ids are per seller)."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="buyers")
    amazon_buyer_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200, blank=True)
    # Amazon's anonymised relay address (…@marketplace.amazon.com): the only way to write.
    email = models.EmailField("relay email", blank=True)
    # A buyer can opt out of unsolicited messages; only critical ones get through.
    opted_out_of_proactive_messages = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Name and e-mail removed under Amazon's Data Protection Policy (tickets.privacy).
    pii_redacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["seller_account", "amazon_buyer_id"], name="buyer_unique_per_account"),
        ]
        indexes = [
            # The relay intake finds a batch's buyers by their lower-cased relay address.
            models.Index(F("seller_account"), Lower("email"), name="buyer_relay_address_idx"),
        ]

    def __str__(self) -> str:
        return self.name or self.amazon_buyer_id


class OrderStatus(models.TextChoices):
    # Amazon's OrderStatus values that matter to a CSM, plus "delivered" from tracking.
    PENDING = "pending", "Pending"
    UNSHIPPED = "unshipped", "Unshipped"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    UNFULFILLABLE = "unfulfillable", "Unfulfillable"


class Order(models.Model):
    Status = OrderStatus

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="orders")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, null=True, blank=True, related_name="orders")
    # Unique per seller account, not globally: an account can never read, share or take
    # over another account's row by naming its id (the constraint below says so).
    amazon_order_id = models.CharField(max_length=19, db_index=True, validators=[amazon_order_id_validator])
    purchased_at = models.DateTimeField(db_index=True)
    fulfillment_channel = models.CharField(max_length=3, choices=FulfillmentChannel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNSHIPPED)
    order_total = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="USD")
    latest_ship_date = models.DateTimeField(null=True, blank=True)
    earliest_delivery_date = models.DateTimeField(null=True, blank=True)
    latest_delivery_date = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    carrier = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # True while ``delivered_at`` is the end of Amazon's promised delivery window, not a carrier's
    # scan: the Orders API tells FBA orders' deliveries to no one (amazon.spapi.deliveries).
    delivery_estimated = models.BooleanField(
        default=False, db_default=False, help_text="Delivered at the end of Amazon's promise, not a known delivery."
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Buyer-requested cancellations do not count toward the cancel rate (notes/amazon.md §2).
    cancelled_by_buyer = models.BooleanField(default=False)
    # The order's one proactive contact after delivery, claimed by a conditional UPDATE
    # (``order_post_delivery_claim``): "guide" or "review_request", never both (notes/amazon.md §5).
    post_delivery_contact = models.CharField(max_length=16, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-purchased_at"]
        indexes = [
            # The ODR window: one account, one channel, a range of order dates.
            models.Index(
                fields=["seller_account", "fulfillment_channel", "purchased_at"], name="order_account_channel_date"
            ),
            # The review-request sweep: one account, one channel, the deliveries of a few days.
            models.Index(
                fields=["seller_account", "fulfillment_channel", "delivered_at"],
                name="order_account_channel_deliv",
                condition=Q(delivered_at__isnull=False),
            ),
            # The FBA delivery estimate: the few FBA orders shipped and not yet delivered, by promise.
            models.Index(
                fields=["seller_account", "latest_delivery_date"],
                name="order_fba_awaiting_delivery",
                condition=Q(fulfillment_channel="FBA", status="shipped", delivered_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "amazon_order_id"], name="order_unique_amazon_id_per_account"
            ),
            models.CheckConstraint(condition=Q(order_total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(fulfillment_channel__in=FulfillmentChannel.values), name="order_fulfillment_channel_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status_valid"),
        ]

    def __str__(self) -> str:
        return self.amazon_order_id

    @property
    def is_fbm(self) -> bool:
        return self.fulfillment_channel == FulfillmentChannel.FBM


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_item_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_item_price_not_negative"),
            models.UniqueConstraint(fields=["order", "product"], name="order_item_unique_product"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product.asin}"
