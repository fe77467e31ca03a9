"""Integration plumbing: API keys for integrations and the outgoing webhooks.

An ``ApiKey`` is the *principal* of a request made with ``Authorization: Token <key>``:
it stands where a user would, and the permission gate in ``tickets.access`` resolves
it to the seller accounts it was issued for. Only the SHA-256 of the key is stored.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tickets.models import SellerAccount


def key_digest(raw_key: str) -> str:
    # The key has 256 bits of entropy, so a plain (fast) hash is enough: nobody can
    # brute-force it, unlike a password.
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiKeyScope(models.TextChoices):
    # Each scope includes the ones before it.
    READ = "read", "Read"
    INGEST = "ingest", "Ingest (read + create/update Amazon data)"
    AGENT = "agent", "Agent (everything an agent can do)"


SCOPE_RANK = {ApiKeyScope.READ: 1, ApiKeyScope.INGEST: 2, ApiKeyScope.AGENT: 3}


class ApiKey(models.Model):
    """A key an integration authenticates with, bound to seller accounts and a scope."""

    Scope = ApiKeyScope
    # Touch last_used_at at most this often: one write per key per minute, not per request.
    LAST_USED_RESOLUTION_SECONDS = 60

    name = models.CharField(max_length=100, help_text="Who uses it, e.g. 'SP-API order sync'.")
    prefix = models.CharField(max_length=8, unique=True, editable=False, help_text="Identifies the key in logs.")
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(max_length=6, choices=Scope.choices, default=Scope.READ)
    seller_accounts = models.ManyToManyField(SellerAccount, related_name="api_keys")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    # The principal protocol (what the selectors and DRF ask of request.user).
    is_api_key = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=ApiKeyScope.values), name="api_key_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_perm(self, perm: str, obj=None) -> bool:
        # A key's reach is its seller accounts and scope, never a Django permission.
        return False

    def get_username(self) -> str:
        return f"api-key:{self.prefix}"

    def has_scope(self, scope: str) -> bool:
        return SCOPE_RANK[self.scope] >= SCOPE_RANK[scope]

    def issue(self) -> str:
        """Give this (unsaved) key a fresh secret and return it: the only time it exists in clear."""
        self.prefix = secrets.token_hex(4)
        raw_key = f"{self.prefix}.{secrets.token_urlsafe(32)}"
        self.hashed_key = key_digest(raw_key)
        return raw_key

    def touch(self, *, now=None) -> None:
        """Record use, at most once a minute (a conditional UPDATE: no lost write, no hot row)."""
        now = now or timezone.now()
        stale = now - timedelta(seconds=self.LAST_USED_RESOLUTION_SECONDS)
        if self.last_used_at is None or self.last_used_at < stale:
            ApiKey.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=self.pk).update(
                last_used_at=now
            )
            self.last_used_at = now


class WebhookEvent(models.TextChoices):
    TICKET_CREATED = "ticket.created", "Ticket created"
    TICKET_SLA_BREACHED = "ticket.sla_breached", "Ticket SLA breached"
    CLAIM_RESPOND_BY_SOON = "claim.respond_by_soon", "Claim or chargeback deadline near"
    ODR_STATUS_CHANGED = "odr.status_changed", "ODR status changed"
    MESSAGE_HELD = "message.held", "Message held for a manager's approval"
    REIMBURSEMENT_FOUND = "reimbursement.found", "FBA reimbursement case found"
    REIMBURSEMENT_DEADLINE_SOON = "reimbursement.deadline_soon", "FBA reimbursement claim deadline near"
    TICKET_MERGED = "ticket.merged", "Duplicate tickets merged into one"


def _new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """A receiver of signed event POSTs for some seller accounts."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    secret = models.CharField(
        max_length=100, default=_new_webhook_secret, help_text="Signs each POST (HMAC-SHA256, X-CSMDesk-Signature)."
    )
    events = models.JSONField(default=list, help_text="Event names, e.g. ['ticket.created'].")
    seller_accounts = models.ManyToManyField(SellerAccount, related_name="webhook_subscriptions")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = sorted(set(self.events or []) - set(WebhookEvent.values))
        if not isinstance(self.events, list) or unknown:
            raise ValidationError({"events": f"Choose from {', '.join(WebhookEvent.values)}; unknown: {unknown}."})


class WebhookDelivery(models.Model):
    """The outbox of webhook POSTs: one row per event and subscription, written in the
    transaction that caused the event and delivered by Celery after commit. The body is
    fixed when the row is written, so every retry sends (and signs) the same bytes."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed, will retry"
        DEAD = "dead", "Dead (gave up)"

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=32, choices=WebhookEvent.choices)
    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_pending_due",
                condition=Q(status__in=["queued", "failed", "sending"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "delivered", "failed", "dead"]),
                name="webhook_delivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription} ({self.status})"
