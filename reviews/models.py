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
    # Unique per seller account (constraint below), never globally.
    amazon_review_id = models.CharField(max_length=64)
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
        constraints = [
            models.UniqueConstraint(fields=["seller_account", "amazon_review_id"], name="review_unique_id_per_account"),
            models.CheckConstraint(condition=RATING_RANGE, name="product_review_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title or self.amazon_review_id}"

    @property
    def is_critical(self) -> bool:
        """1–3★: the range Amazon's Contact Customer tool allows outreach for."""
        return self.rating <= 3

    # ``buyer_to_contact`` as a condition on outreach cases: a review linked to a buyer or to
    # an order (whose buyer it is) has someone for Amazon's Contact Customer email to reach.
    CASE_CONTACTABLE = models.Q(review__buyer__isnull=False) | models.Q(review__order__buyer__isnull=False)

    @property
    def buyer_to_contact(self) -> Buyer | None:
        """Who Amazon's Contact Customer email would go to: the review's buyer, else its
        order's; None until the review is linked to either."""
        return self.buyer or (self.order.buyer if self.order else None)

    @property
    def theme_text(self) -> str:
        """The text themes are read from; match offsets point into it."""
        return theme_text(title=self.title, body=self.body)


def theme_text(*, title: str, body: str) -> str:
    return f"{title}\n{body}" if title else body


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
        indexes = [
            # ODR (metrics.odr): negative feedback by date, read from the index alone.
            models.Index(
                fields=["left_at"],
                include=["order", "removed", "removed_at"],
                condition=Q(rating__lte=2),
                name="feedback_negative_left_odr",
            ),
        ]
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

    # The workflow; closed is final. Services and the admin form both check it.
    TRANSITIONS = {
        Status.NEW: {Status.CONTACTED, Status.RESOLVED, Status.CLOSED},
        Status.CONTACTED: {Status.RESOLVED, Status.CLOSED},
        Status.RESOLVED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

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
                violation_error_message=(
                    "A contacted case needs the Contact Customer reason used: Courtesy Refund or Customer Support."
                ),
            ),
            models.CheckConstraint(
                condition=Q(resolution="") | Q(resolution__in=OutreachResolution.values),
                name="outreach_resolution_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Outreach on review {self.review.amazon_review_id}"

    def can_transition_to(self, status: str) -> bool:
        return status == self.status or status in self.TRANSITIONS[OutreachStatus(self.status)]

    @property
    def is_organic_update(self) -> bool:
        """The buyer raised the rating on their own after contact."""
        return (
            self.review_updated_from is not None
            and self.review_updated_to is not None
            and self.review_updated_to > self.review_updated_from
        )


class ThemePolarity(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    PRAISE = "praise", "Praise"


class ReviewTheme(models.Model):
    """A theme reviews talk about ("Durability", "Arrived damaged"), as a complaint or as praise.

    Reviews are classified by the built-in multilingual lexicon (``reviews/lexicon.py``)
    plus the theme's phrase rules, kept as data so managers can refine them in the admin:
    "hard to set up" is an Ease of use complaint, "easy to set up" Ease of use praise.
    Insights count complaints.
    """

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ThemePhrase(models.Model):
    """One rule of a theme: a phrase ("stopped working", "set up*" for any ending of the
    last word) or, when ``is_regex``, a Python regular expression on the normalised text."""

    theme = models.ForeignKey(ReviewTheme, on_delete=models.CASCADE, related_name="phrases")
    pattern = models.CharField(max_length=300)
    is_regex = models.BooleanField(default=False)
    # "no missing parts", "never broke": a negation just before the match cancels it.
    negatable = models.BooleanField(default=True, help_text="Ignore the match after not / no / never / without.")
    polarity = models.CharField(
        max_length=9,
        choices=ThemePolarity.choices,
        default=ThemePolarity.COMPLAINT,
        help_text="Whether a match is a complaint about the theme or praise of it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["theme", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "pattern", "is_regex"], name="theme_phrase_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.pattern}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .themes import PhraseRule, RuleError, compile_rule

        try:
            compile_rule(PhraseRule(theme="", pattern=self.pattern, is_regex=self.is_regex))
        except RuleError as exc:
            raise ValidationError({"pattern": str(exc)}) from None


class ReviewThemeMatch(models.Model):
    """A review's match of one theme, with where it matched (recomputed whenever the
    review text or the rules change)."""

    review = models.ForeignKey(ProductReview, on_delete=models.CASCADE, related_name="theme_matches")
    theme = models.ForeignKey(ReviewTheme, on_delete=models.CASCADE, related_name="matches")
    polarity = models.CharField(max_length=9, choices=ThemePolarity.choices, default=ThemePolarity.COMPLAINT)
    # [[start, end], …]: character offsets into ``review.theme_text`` (empty when a manager's
    # correction asserts a theme the classifier did not find).
    spans = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "theme", "polarity"]
        verbose_name_plural = "review theme matches"
        constraints = [
            models.UniqueConstraint(fields=["review", "theme", "polarity"], name="theme_match_unique_polarity"),
            models.CheckConstraint(condition=Q(polarity__in=ThemePolarity.values), name="theme_match_polarity_valid"),
        ]
        indexes = [models.Index(fields=["theme", "polarity", "review"], name="theme_match_theme_pol_review")]

    def __str__(self) -> str:
        return f"{self.theme} ({self.polarity}) in review {self.review_id}"


class ReviewThemeCorrection(models.Model):
    """A manager's reading of a review's themes: it replaces the classifier's for that
    review and is kept as labelled data (``manage.py review_themes_export``)."""

    review = models.OneToOneField(ProductReview, on_delete=models.CASCADE, related_name="theme_correction")
    # [{"theme": slug, "polarity": "complaint" | "praise"}, …]; an empty list means "no theme".
    themes = models.JSONField(default=list, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField()

    class Meta:
        ordering = ["-corrected_at"]

    def __str__(self) -> str:
        return f"Theme correction of review {self.review_id}"
