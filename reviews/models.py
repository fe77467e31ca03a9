"""Product reviews and seller feedback, kept apart on purpose.

Only seller feedback counts toward the Order Defect Rate; product reviews never do
(notes/amazon.md §4). Reviews drive outreach (Amazon's Contact Customer tool), feedback
drives an ODR defect and a ticket.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tickets.models import Buyer, Order, Product, SellerAccount, Ticket

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
RATING_RANGE = Q(rating__gte=1, rating__lte=5)


class ProductReview(models.Model):
    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="product_reviews")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    amazon_review_id = models.CharField(max_length=64, unique=True)
    # Known only when the review can be matched to an order (Brand Registry shows it).
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews")
    buyer = models.ForeignKey(Buyer, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews")
    rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    verified_purchase = models.BooleanField(default=True)
    reviewed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reviewed_at"]
        indexes = [models.Index(fields=["product", "reviewed_at"], name="review_product_date")]
        constraints = [models.CheckConstraint(condition=RATING_RANGE, name="product_review_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title or self.amazon_review_id}"

    @property
    def is_critical(self) -> bool:
        """1–3★: the range Amazon's Contact Customer tool allows outreach for."""
        return self.rating <= 3


class ReviewRatingChange(models.Model):
    """The rating history of a review: buyers sometimes update a review on their own."""

    review = models.ForeignKey(ProductReview, on_delete=models.CASCADE, related_name="rating_changes")
    from_rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    to_rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_rating__gte=1, from_rating__lte=5, to_rating__gte=1, to_rating__lte=5),
                name="review_rating_change_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_rating}★ → {self.to_rating}★"


class SellerFeedback(models.Model):
    """Feedback on the seller for one order. 1–2★ is negative and an ODR defect
    unless Amazon removed it (notes/amazon.md §1)."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="seller_feedback")
    rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    comment = models.TextField(blank=True)
    left_at = models.DateTimeField()
    removed = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "seller feedback"
        ordering = ["-left_at"]
        constraints = [models.CheckConstraint(condition=RATING_RANGE, name="seller_feedback_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.rating}★ feedback on {self.order_id}"

    @property
    def is_negative(self) -> bool:
        return self.rating <= 2


class OutreachStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class OutreachContactReason(models.TextChoices):
    COURTESY_REFUND = "courtesy_refund", "Courtesy Refund"
    CUSTOMER_SUPPORT = "customer_support", "Customer Support"


class OutreachResolution(models.TextChoices):
    REFUND_ISSUED = "refund_issued", "Courtesy refund issued"
    REPLACEMENT_SENT = "replacement_sent", "Replacement sent after the buyer replied"
    NO_ACTION_POSSIBLE = "no_action_possible", "No action possible"


class ReviewOutreachCase(models.Model):
    """Outreach on one 1–3★ review through Amazon's Contact Customer tool.

    Amazon offers exactly two fixed templates (Courtesy Refund, Customer Support);
    a replacement can only follow later in Buyer-Seller Messaging. Nothing here may
    ever ask for the review to change.
    """

    Status = OutreachStatus
    ContactReason = OutreachContactReason
    Resolution = OutreachResolution

    review = models.OneToOneField(ProductReview, on_delete=models.CASCADE, related_name="outreach_case")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    contact_reason = models.CharField(max_length=16, choices=ContactReason.choices, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="outreach_cases"
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The conversation that follows when the buyer replies.",
    )
    # Filled when the buyer later changes the rating on their own.
    review_updated_from = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING_VALIDATORS)
    review_updated_to = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING_VALIDATORS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outreach_status_created")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OutreachStatus.values), name="outreach_status_valid"),
            models.CheckConstraint(
                condition=Q(contact_reason="") | Q(contact_reason__in=OutreachContactReason.values),
                name="outreach_contact_reason_is_amazon_template",
            ),
            # Contacting is only possible through one of Amazon's two templates.
            models.CheckConstraint(
                condition=Q(contacted_at__isnull=True) | ~Q(contact_reason=""),
                name="outreach_contacted_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(resolution="") | Q(resolution__in=OutreachResolution.values),
                name="outreach_resolution_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Outreach on review {self.review.amazon_review_id}"

    @property
    def is_organic_update(self) -> bool:
        """The buyer raised the rating on their own after contact."""
        return (
            self.review_updated_from is not None
            and self.review_updated_to is not None
            and self.review_updated_to > self.review_updated_from
        )
