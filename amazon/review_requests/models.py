"""One row per order: the decision about its review request (sent, or skipped and why).

The row is the exactly-once guarantee: unique per order, created set-based by the sweep
(``ON CONFLICT DO NOTHING``), and taken by one worker at a time with a conditional UPDATE
(scheduled/failed → sending, or a sending row whose worker has not reported back within the
lease). A second solicitation for an order cannot be sent by the desk: there is no second row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tickets.models import Order, Product, SellerAccount


class ReviewRequestStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, will retry"
    SKIPPED = "skipped", "Skipped"


class SkipReason(models.TextChoices):
    """Every reason a delivered order gets no review request. None depends on the buyer's
    experience (tickets, ratings, returns, refunds, feedback): Amazon forbids asking only
    some buyers (notes/amazon.md §3, §5). The property test in tests/amazon/review_requests
    holds the desk to it."""

    NOT_OFFERED = "not_offered", "Amazon does not offer it for the order"
    OUTSIDE_WINDOW = "outside_window", "Outside Amazon's window (5 to 30 days after delivery)"
    CANCELLED = "cancelled", "The order was cancelled"
    ACCOUNT_OFF = "account_off", "Review requests are off for the account"
    PROACTIVE_MESSAGE = "proactive_message", "The order gets the quick-start guide instead (one per order)"
    NOT_CONNECTED = "not_connected", "The account is not connected to Amazon"
    REFUSED = "refused", "Amazon refused it"


class ReviewRequest(models.Model):
    Status = ReviewRequestStatus
    Reason = SkipReason

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="review_requests")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="review_request")
    # The order's first product: the figures per product.
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    fulfillment_channel = models.CharField(max_length=3)
    delivered_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    detail = models.CharField(max_length=500, blank=True, help_text="Amazon's words, or what the desk saw.")
    manual = models.BooleanField(default=False, help_text="Requested from the workspace's button.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the desk last called createProductReviewAndSellerFeedbackSolicitation: a worker
    # killed after the call leaves it set, and the retry reads Amazon's answer in that light.
    requested_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "amazon"
        ordering = ["-due_at"]
        indexes = [
            # The sweep's second half: what is due, found without reading the sent ones.
            models.Index(fields=["due_at"], name="review_request_due", condition=Q(status__in=["scheduled", "failed"])),
            models.Index(fields=["claimed_at"], name="review_request_sending", condition=Q(status="sending")),
            models.Index(fields=["seller_account", "status", "due_at"], name="review_request_account"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReviewRequestStatus.values), name="review_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(skip_reason="") | Q(status="skipped"), name="review_request_reason_only_when_skipped"
            ),
        ]

    def __str__(self) -> str:
        return f"Review request for {self.order_id}: {self.status}"
