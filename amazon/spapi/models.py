"""The SP-API channel's records: a seller account's connection to Amazon (its refresh token,
encrypted, and the sync's cursor) and the one-time ``state`` of a consent in progress."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tickets.models import SellerAccount

from ..secrets import secret_decrypt, secret_encrypt

TOKEN_PURPOSE = "spapi-refresh-tokens"


class ConnectionStatus(models.TextChoices):
    CONNECTED = "connected", "Connected"
    # The seller removed the app's authorization (Seller Central › Manage Your Apps): nothing
    # syncs until a manager connects the account again.
    REVOKED = "revoked", "Revoked by the seller"
    # Amazon refuses for a reason a retry will not fix (the app's credentials, a role the app
    # lacks, a token no configured key reads): stopped until a manager acts.
    ERROR = "error", "Stopped by an error"


class SpApiConnection(models.Model):
    """A seller account authorised CSM Desk on Amazon (the website authorization workflow).

    ``orders_updated_after`` is the orders sync's high-water mark: each sync searches
    ``lastUpdatedAfter`` = the mark minus ``SPAPI_SYNC_OVERLAP_MINUTES`` and moves the mark
    only after the orders of a page are stored. ``sync_started_at`` is the claim a sync takes
    with a conditional UPDATE, so two workers never sync one account together.
    """

    Status = ConnectionStatus

    seller_account = models.OneToOneField(SellerAccount, on_delete=models.CASCADE, related_name="spapi_connection")
    selling_partner_id = models.CharField(max_length=64, help_text="Amazon's id of the seller (merchant token).")
    region = models.CharField(max_length=2, help_text="The SP-API selling region (NA, EU, FE).")
    endpoint = models.URLField(help_text="The SP-API endpoint the account's calls go to.")
    marketplace_ids = models.JSONField(default=list, help_text="The marketplaces whose orders this account syncs.")
    # Fernet ciphertext (amazon.secrets); never shown, never in the audit trail.
    refresh_token_encrypted = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONNECTED)
    connected_at = models.DateTimeField(default=timezone.now)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    orders_updated_after = models.DateTimeField(
        null=True, blank=True, help_text="High-water mark: orders updated up to here are stored."
    )
    orders_synced = models.PositiveBigIntegerField(default=0, help_text="Orders created or changed by the sync.")
    backfilled_at = models.DateTimeField(
        null=True, blank=True, help_text="When the order history (the All Orders report) was stored."
    )
    feedback_synced_on = models.DateField(null=True, blank=True, help_text="Seller feedback last read (UTC day).")
    feedback_orders_missing = models.PositiveIntegerField(
        default=0, help_text="Feedback in Amazon's last report on orders the desk does not have."
    )
    health_synced_on = models.DateField(null=True, blank=True, help_text="Amazon's account health last read.")
    sync_started_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    backoff_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "amazon"
        verbose_name = "SP-API connection"
        ordering = ["seller_account__name"]
        indexes = [models.Index(fields=["status", "backoff_until"], name="spapiconnection_due")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ConnectionStatus.values), name="spapiconnection_status_valid")
        ]

    def __str__(self) -> str:
        return f"{self.seller_account.name} on Amazon ({self.selling_partner_id})"

    def refresh_token_set(self, plain: str) -> None:
        self.refresh_token_encrypted = secret_encrypt(plain, purpose=TOKEN_PURPOSE)

    def refresh_token(self) -> str:
        return secret_decrypt(self.refresh_token_encrypted, purpose=TOKEN_PURPOSE)


def state_digest(state: str) -> str:
    # Only the digest is stored: a database read gives no state that would pass the callback.
    return hashlib.sha256(state.encode()).hexdigest()


class SpApiAuthorization(models.Model):
    """One consent in progress: the ``state`` sent to Amazon's consent page (stored as its
    SHA-256), who started it for which account, until when it may come back, and whether it did."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    state_sha256 = models.CharField(max_length=64, unique=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    redirect_uri = models.URLField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "amazon"
        verbose_name = "SP-API authorization in progress"

    def __str__(self) -> str:
        return f"Consent for {self.seller_account} started {self.created_at:%Y-%m-%d %H:%M}"

    def usable(self, *, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class ReportStatus(models.TextChoices):
    REQUESTING = "REQUESTING", "Requesting"  # the row exists, Amazon has not answered yet
    IN_QUEUE = "IN_QUEUE", "In queue"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    DONE = "DONE", "Done"
    CANCELLED = "CANCELLED", "Cancelled (no data)"
    FATAL = "FATAL", "Failed at Amazon"


class ReportRun(models.Model):
    """One report the desk asked Amazon for (Reports API 2021-06-30) and how far it got.

    Written before ``createReport`` is called and after each step, so a worker that dies
    picks the same report up again: ``amazon.spapi.reports.request_report`` returns the run
    still open for the same account, type, range and marketplaces instead of asking Amazon
    for another, and ``rows_done`` is the consumer's cursor into the document."""

    Status = ReportStatus

    connection = models.ForeignKey(SpApiConnection, on_delete=models.CASCADE, related_name="report_runs")
    report_type = models.CharField(max_length=100)
    marketplace_ids = models.JSONField(default=list)
    data_start = models.DateTimeField(null=True, blank=True)
    data_end = models.DateTimeField(null=True, blank=True)
    report_id = models.CharField(max_length=64, blank=True, help_text="Amazon's report id.")
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.REQUESTING)
    document_id = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    polls = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveBigIntegerField(default=0, help_text="Rows the consumer has stored.")
    processed_at = models.DateTimeField(null=True, blank=True, help_text="The consumer finished with its rows.")
    error = models.TextField(blank=True)

    class Meta:
        app_label = "amazon"
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["connection", "report_type", "processed_at"], name="reportrun_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "report_id"], condition=~Q(report_id=""), name="reportrun_report_id_unique"
            ),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="reportrun_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.report_type} {self.report_id or '(requesting)'} for {self.connection_id}"

    @property
    def finished(self) -> bool:
        """Amazon is done with it (a document, no data, or a failure)."""
        return self.status in (self.Status.DONE, self.Status.CANCELLED, self.Status.FATAL)
