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
