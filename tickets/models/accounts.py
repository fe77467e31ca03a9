from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

asin_validator = RegexValidator(r"^[A-Z0-9]{10}$", "An ASIN is 10 capital letters or digits.")


class Region(models.TextChoices):
    # Amazon's three SP-API selling regions.
    NA = "NA", "North America"
    EU = "EU", "Europe"
    FE = "FE", "Far East"


class Gateway(models.TextChoices):
    CONSOLE = "console", "Console (development: log and store only)"
    EMAIL = "email", "Email to the Buyer-Seller Messaging relay"
    SP_API = "sp_api", "SP-API Messaging API (its message types only)"


class PostDeliveryContact(models.TextChoices):
    """Amazon: "Send only one productReviewAndSellerFeedback or free form proactive message
    per order" (solicitations.json, notes/amazon.md §5). Per order type the account chooses one."""

    GUIDE = "guide", "The quick-start guide (proactive message)"
    REVIEW_REQUEST = "review_request", "Amazon's Request a Review (solicitation)"


class SellerAccount(models.Model):
    """One brand's Amazon seller account in one marketplace.

    An agency serves several brands, so every record hangs off an account and agents
    see only the accounts they are members of; managers see all of them.
    """

    name = models.CharField(max_length=200)
    merchant_id = models.CharField(max_length=32, help_text="Amazon Merchant Token / Seller ID.")
    marketplace_id = models.CharField(max_length=32, help_text="e.g. ATVPDKIKX0DER for amazon.com.")
    region = models.CharField(max_length=2, choices=Region.choices, default=Region.NA)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="seller_accounts",
        help_text="The CSM team working this account.",
    )
    # Off by default: a proactive usage guide is not on Amazon's list of permitted
    # messages (notes/amazon.md §3), so the seller has to opt in knowingly.
    proactive_guides_enabled = models.BooleanField(default=False)
    # Amazon's Request a Review for every delivered order, on one uniform day (amazon.review_requests).
    review_requests_enabled = models.BooleanField(
        default=False,
        help_text="Send Amazon's Request a Review (a solicitation) for every delivered order on the day below. "
        "No filter on the buyer's experience exists: Amazon forbids asking only some buyers.",
    )
    review_request_day = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(5), MaxValueValidator(30)],
        help_text="Days after delivery, the same for every order (Amazon's window: 5 to 30 days).",
    )
    post_delivery_fba = models.CharField(
        "after delivery, FBA orders get",
        max_length=16,
        choices=PostDeliveryContact.choices,
        default=PostDeliveryContact.REVIEW_REQUEST,
        help_text="One proactive contact per order: the guide or the review request, never both.",
    )
    post_delivery_fbm = models.CharField(
        "after delivery, FBM orders get",
        max_length=16,
        choices=PostDeliveryContact.choices,
        default=PostDeliveryContact.REVIEW_REQUEST,
        help_text="One proactive contact per order: the guide or the review request, never both.",
    )
    # Amazon counts the 24 h on the wall clock, weekends and holidays included.
    sla_hours = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(24 * 7)]
    )
    odr_window_days = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    # Amazon's report hints at a ~14 day lag, unverified (notes/amazon.md §1): a setting.
    odr_offset_days = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(90)])
    # The outbound path: how messages reach buyers, and which links they may carry.
    outbound_gateway = models.CharField(max_length=10, choices=Gateway.choices, default=Gateway.CONSOLE)
    registered_email = models.EmailField(
        blank=True, help_text="The seller's registered address: Amazon's relay accepts mail only from it."
    )
    allowed_link_domains = models.TextField(
        blank=True, help_text="Domains (one per line) whose https links messages may contain, e.g. guide hosts."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [("view_all_seller_accounts", "Can see every seller account (managers)")]
        constraints = [
            models.UniqueConstraint(fields=["marketplace_id", "merchant_id"], name="seller_account_unique_amazon_ids"),
            models.CheckConstraint(condition=Q(sla_hours__gte=1), name="seller_account_sla_hours_positive"),
            models.CheckConstraint(condition=Q(odr_window_days__gte=1), name="seller_account_odr_window_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.marketplace_id})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.outbound_gateway == Gateway.SP_API:
            # The Messaging API sends only its own message types (Message via Amazon), never free text.
            raise ValidationError(
                {"outbound_gateway": "The Messaging API has no free-text reply: choose console or e-mail for replies."}
            )

    def post_delivery_contact(self, fulfillment_channel: str) -> str:
        """What a delivered order of this channel gets: ``review_request``, ``guide`` or "".
        The channel's choice decides when both are on; with one switch on, that one."""
        choice = self.post_delivery_fba if fulfillment_channel == "FBA" else self.post_delivery_fbm
        if self.review_requests_enabled and (
            choice == PostDeliveryContact.REVIEW_REQUEST or not self.proactive_guides_enabled
        ):
            return PostDeliveryContact.REVIEW_REQUEST
        if self.proactive_guides_enabled and (choice == PostDeliveryContact.GUIDE or not self.review_requests_enabled):
            return PostDeliveryContact.GUIDE
        return ""

    def has_agent(self, user) -> bool:
        """Whether ``user`` works on this account: only they may be assigned its tickets."""
        return self.agents.filter(pk=user.pk).exists()

    @property
    def link_domains(self) -> frozenset[str]:
        return frozenset(d.strip().lower() for d in self.allowed_link_domains.split() if d.strip())


class Product(models.Model):
    """A catalogue item of one seller account, with the self-help links CSMs send."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="products")
    asin = models.CharField("ASIN", max_length=10, validators=[asin_validator])
    sku = models.CharField("SKU", max_length=64, blank=True)
    title = models.CharField(max_length=500)
    category = models.CharField(max_length=200, blank=True)
    guide_url = models.URLField("quick-start guide URL", max_length=500, blank=True)
    troubleshooting_url = models.URLField("troubleshooting URL", max_length=500, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["seller_account", "asin"], name="product_unique_asin_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.asin})"


class Team(models.Model):
    """A group of agents whose contact response time is reported together (issue 8).

    Teams may overlap: an agent in two teams counts for both. The seller accounts say on
    which account dashboards the team appears; a team without any serves every account.
    """

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    seller_accounts = models.ManyToManyField(
        SellerAccount,
        blank=True,
        related_name="teams",
        help_text="The accounts the team works; none means every account.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def validate_time_zone(name: str) -> None:
    import zoneinfo

    from django.core.exceptions import ValidationError

    if name and name not in zoneinfo.available_timezones():
        raise ValidationError(f"Unknown time zone “{name}”: use a name such as Europe/Berlin.")


class DeskProfile(models.Model):
    """A person's own settings. ``time_zone``: the zone the admin shows their times in (the
    desk follows the browser's, tickets.middleware); empty means UTC."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_profile")
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone], help_text="e.g. Europe/Berlin. Empty: UTC."
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.time_zone or 'UTC'}"
