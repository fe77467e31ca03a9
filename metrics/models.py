"""Account-health history: daily snapshots shaped like Amazon's Account Health report, and
the alerts raised when the Order Defect Rate gets worse.

The figures themselves are computed from the ticket and review models (``metrics.odr``,
``metrics.response_time``, ``metrics.fulfillment``); these rows only keep what they said.
"""

from django.db import models
from django.db.models import Q

from tickets.models import SellerAccount


class Channel(models.TextChoices):
    FBA = "FBA", "Fulfilled by Amazon"
    FBM = "FBM", "Fulfilled by merchant"
    ALL = "all", "All orders"


class Metric(models.TextChoices):
    ODR = "odr", "Order Defect Rate"
    NEGATIVE_FEEDBACK = "negative_feedback", "Negative feedback rate"
    A_TO_Z_CLAIMS = "a_to_z_claims", "A-to-z Guarantee claim rate"
    CHARGEBACKS = "chargebacks", "Chargeback rate"
    LATE_SHIPMENT = "late_shipment", "Late shipment rate (10 days)"
    LATE_SHIPMENT_30 = "late_shipment_30", "Late shipment rate (30 days)"
    VALID_TRACKING = "valid_tracking", "Valid tracking rate"
    PRE_FULFILLMENT_CANCEL = "pre_fulfillment_cancel", "Pre-fulfillment cancel rate"
    RETURNS = "returns", "Return rate"
    RETURNS_PREVENTED = "returns_prevented", "Tickets resolved without a return"
    RESPONSE_WITHIN_SLA = "response_within_sla", "Buyer messages answered in time (30 days)"


class TargetCondition(models.TextChoices):
    # The Account Health report's vocabulary (SP-API accountHealthReport schema).
    LESS_THAN = "LESS_THAN", "less than"
    GREATER_THAN = "GREATER_THAN", "greater than"


class SnapshotStatus(models.TextChoices):
    OK = "ok", "OK"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"
    NONE = "none", "No target"


class MetricSnapshot(models.Model):
    """One figure of one account and channel as of one day (one row per key, recomputable)."""

    Channel = Channel
    Metric = Metric
    TargetCondition = TargetCondition
    Status = SnapshotStatus

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="metric_snapshots")
    channel = models.CharField(max_length=3, choices=Channel.choices)
    metric = models.CharField(max_length=24, choices=Metric.choices)
    day = models.DateField(help_text="The as-of date of the figure.")
    value = models.DecimalField(max_digits=7, decimal_places=3, help_text="Percent.")
    target = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True, help_text="Percent.")
    target_condition = models.CharField(max_length=12, choices=TargetCondition.choices, blank=True)
    status = models.CharField(max_length=8, choices=SnapshotStatus.choices, default=SnapshotStatus.NONE)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    window_start = models.DateField()
    window_end = models.DateField(help_text="The last day inside the window.")
    # Figures that belong to one metric only, e.g. the ODR's headroom and recoverable orders.
    details = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "seller_account", "metric", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "metric", "channel", "day"], name="metric_snapshot_unique_per_day"
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="metric_snapshot_channel_valid"),
            models.CheckConstraint(condition=Q(metric__in=Metric.values), name="metric_snapshot_metric_valid"),
            models.CheckConstraint(condition=Q(status__in=SnapshotStatus.values), name="metric_snapshot_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.channel} {self.day}: {self.value}%"

    @property
    def headroom_orders(self) -> int | None:
        return self.details.get("headroom_orders")


class OrderDayCount(models.Model):
    """How many orders an account took on one order date (UTC) in one fulfillment channel:
    the ODR's denominator read from ≤ 60 rows a channel instead of counting ~200k orders.

    Database triggers on the orders table keep it (migration 0002), so every writer counts:
    the bulk ingest's SQL, the ORM, the admin, deletes and moves between days or channels.
    Each statement *appends* its change as rows (``orders`` is then a delta, negative for
    deletes): no row is ever updated, so concurrent ingests never wait on each other's
    locks. ``order_day_counts_compact`` folds a key's rows into one (Celery beat); the sum
    is the same before and after.
    """

    # No foreign-key constraint: a deleted account's orders leave their deltas behind in the
    # same statement that deletes them, after Django collected what to delete.
    seller_account = models.ForeignKey(
        SellerAccount, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    fulfillment_channel = models.CharField(max_length=3)
    day = models.DateField(help_text="The order date (purchase day, UTC).")
    orders = models.IntegerField(help_text="Orders added on that day (negative: removed).")

    class Meta:
        indexes = [
            models.Index(
                fields=["seller_account", "fulfillment_channel", "day"],
                include=["orders"],
                name="order_day_count_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.seller_account_id} {self.fulfillment_channel} {self.day}: {self.orders:+d}"


class AccountHealth(MetricSnapshot):
    """The managers' dashboard in the admin (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "account health dashboard"
        verbose_name_plural = "account health dashboard"


class HealthAlertKind(models.TextChoices):
    STATUS_WORSENED = "status_worsened", "ODR status worsened"
    HEADROOM_LOW = "headroom_low", "ODR headroom low"
    AMAZON_GAP = "amazon_gap", "Desk ODR differs from Amazon's"


class AmazonOdr(models.Model):
    """Amazon's own Order Defect Rate of one account and channel as of one day, as its Account
    Health report (GET_V2_SELLER_PERFORMANCE_REPORT, ``orderDefectRate.afn|mfn``) said it:
    kept beside the desk's snapshot of the same day (``metrics.amazon``), never recomputed."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="amazon_odr")
    channel = models.CharField(max_length=3, choices=[(Channel.FBA, "FBA"), (Channel.FBM, "FBM")])
    day = models.DateField(help_text="The as-of day: the day after the report's window ends.")
    window_start = models.DateField()
    window_end = models.DateField(help_text="The last day inside Amazon's window.")
    orders = models.PositiveIntegerField()
    defective_orders = models.PositiveIntegerField()
    negative_feedback = models.PositiveIntegerField()
    a_to_z_claims = models.PositiveIntegerField()
    chargebacks = models.PositiveIntegerField()
    value = models.DecimalField(max_digits=7, decimal_places=3, help_text="Percent, as Amazon's rate says.")
    amazon_status = models.CharField(max_length=8, help_text="Amazon's GOOD / BAD / NONE.")
    account_status = models.CharField(max_length=20, blank=True, help_text="NORMAL, AT_RISK, DEACTIVATED…")
    report_id = models.CharField(max_length=64, blank=True)
    fetched_at = models.DateTimeField()
    # The desk's figures over the same window when Amazon's were read, and why they differ.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "Amazon ODR"
        verbose_name_plural = "Amazon ODR"
        ordering = ["-day", "seller_account", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["seller_account", "channel", "day"], name="amazon_odr_unique_per_day"),
            models.CheckConstraint(condition=Q(channel__in=["FBA", "FBM"]), name="amazon_odr_channel_valid"),
        ]

    def __str__(self) -> str:
        return f"Amazon's {self.channel} ODR {self.day}: {self.value}%"


class HealthAlert(models.Model):
    """An ODR warning for managers; also the outbox row of its email (rule 4: written first,
    mailed by Celery after commit, ``notified_at`` claimed so it is mailed once)."""

    Kind = HealthAlertKind

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="health_alerts")
    channel = models.CharField(max_length=3, choices=Channel.choices)
    kind = models.CharField(max_length=16, choices=HealthAlertKind.choices)
    day = models.DateField()
    previous_status = models.CharField(max_length=8, choices=SnapshotStatus.choices, blank=True)
    status = models.CharField(max_length=8, choices=SnapshotStatus.choices)
    odr = models.DecimalField(max_digits=7, decimal_places=3)
    headroom_orders = models.IntegerField()
    message = models.TextField()
    created_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True, help_text="Addresses the email went to, one per line.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One alert of a kind per account, channel and day: recomputing a day is harmless.
            models.UniqueConstraint(
                fields=["seller_account", "channel", "kind", "day"], name="health_alert_once_a_day"
            ),
            models.CheckConstraint(condition=Q(kind__in=HealthAlertKind.values), name="health_alert_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.seller_account_id} {self.channel} {self.day}"
