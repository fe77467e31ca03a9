"""Records of the automation around tickets: order events from integrations, SLA
policies and transitions, proactive post-delivery guides, in-app notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .orders import Order
from .outbound import OutboundMessage
from .tickets import Ticket


class OrderEvent(models.Model):
    """Something that happened to an order (from the API, the admin or a sync):
    shipped, delivered, returned, refunded, cancelled. ``delivered`` is what triggers
    the proactive guide."""

    class Type(models.TextChoices):
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        RETURNED = "returned", "Returned"
        REFUNDED = "refunded", "Refunded"
        CANCELLED = "cancelled", "Cancelled"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    # The sender's id for de-duplication, unique per order (and so per seller account); optional.
    event_id = models.CharField(max_length=100, null=True, blank=True)
    type = models.CharField(max_length=10, choices=Type.choices)
    occurred_at = models.DateTimeField()
    carrier = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=20, default="api", help_text="api, admin, sync, amazon_promise (an estimate)")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["order", "occurred_at"], name="order_event_order_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "event_id"],
                condition=Q(event_id__isnull=False),
                name="order_event_unique_id_per_order",
            ),
            # Without an id an event is known by what it says: the same type at the same time
            # is a replay, and two concurrent replays cannot both be stored.
            models.UniqueConstraint(
                fields=["order", "type", "occurred_at"],
                condition=Q(event_id__isnull=True),
                name="order_event_unique_without_id",
            ),
            models.CheckConstraint(
                condition=Q(type__in=["shipped", "delivered", "returned", "refunded", "cancelled"]),
                name="order_event_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.type} at {self.occurred_at:%Y-%m-%d %H:%M}"


class SlaEvent(models.Model):
    """One SLA transition of a ticket, recorded once per clock (the sweep is idempotent):
    the metrics and the notifications read these."""

    class Kind(models.TextChoices):
        AT_RISK = "at_risk", "At risk"
        BREACHED = "breached", "Breached"
        CLAIM_DUE_SOON = "claim_due_soon", "Claim or chargeback deadline near"
        CLAIM_OVERDUE = "claim_overdue", "Claim or chargeback deadline passed"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The deadline this event is about: a restarted clock has a new one, so a new event.
    due_at = models.DateTimeField()
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind", "due_at"], name="sla_event_once_per_clock"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on ticket #{self.ticket_id}"


class ProactiveGuide(models.Model):
    """The decision about one order's post-delivery guide: at most one per order, ever."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued for delivery"
        SKIPPED = "skipped", "Skipped"
        # The guard was unsure: a manager approves (queued) or rejects (skipped) it.
        HELD = "held", "Held for a manager's approval"

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="proactive_guide")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    send_after = models.DateTimeField()
    skip_reason = models.CharField(max_length=200, blank=True)
    outbound = models.OneToOneField(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="proactive_guide"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["send_after"], name="proactive_guide_due", condition=Q(status="scheduled")),
        ]

    def __str__(self) -> str:
        return f"Guide for {self.order_id}: {self.status}"


class Notification(models.Model):
    """An in-app notice for one person (SLA at risk, breached, claim deadline…)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text
