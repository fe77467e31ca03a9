"""The outbound path's records: message templates, the outbox, blocked attempts and held
messages (the guard was unsure; a manager decides).

Every message to a buyer is an ``OutboundMessage`` row written in the same transaction
as the ticket change that caused it, then dispatched by Celery after commit. The row,
not the broker, is the source of truth: a sweeper re-enqueues what the broker lost.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .accounts import Gateway, SellerAccount
from .orders import Buyer, Order
from .tickets import DEFENCE_KINDS, Message, Ticket, TicketKind, TicketPriority, TicketStatus


class MessagePurpose(models.TextChoices):
    # Mirrors tickets.compliance.Purpose: the guard applies different rules per purpose.
    REPLY = "reply", "Reply to the buyer"
    PROACTIVE_GUIDE = "proactive_guide", "Proactive post-delivery guide"
    REVIEW_OUTREACH = "review_outreach", "Review outreach (Contact Customer)"
    CLAIM_RESPONSE = "claim_response", "A-to-z claim response"
    CHARGEBACK_RESPONSE = "chargeback_response", "Chargeback response"
    WARRANTY = "warranty", "Warranty information"
    # The Messaging API's message types (tickets.outbound.amazon_actions).
    AMAZON_CONFIRM_CUSTOMIZATION_DETAILS = "amazon_confirm_customization_details", "Amazon: confirm customization"
    AMAZON_CONFIRM_DELIVERY_DETAILS = "amazon_confirm_delivery_details", "Amazon: confirm delivery details"
    AMAZON_LEGAL_DISCLOSURE = "amazon_legal_disclosure", "Amazon: legal disclosure"
    AMAZON_CONFIRM_ORDER_DETAILS = "amazon_confirm_order_details", "Amazon: confirm order details"
    AMAZON_CONFIRM_SERVICE_DETAILS = "amazon_confirm_service_details", "Amazon: confirm service details"
    AMAZON_WARRANTY = "amazon_warranty", "Amazon: warranty"
    AMAZON_DIGITAL_ACCESS_KEY = "amazon_digital_access_key", "Amazon: digital access key"
    AMAZON_UNEXPECTED_PROBLEM = "amazon_unexpected_problem", "Amazon: unexpected problem"
    AMAZON_INVOICE = "amazon_invoice", "Amazon: invoice"


PURPOSE_MAX_LENGTH = 40


class MessageTemplate(models.Model):
    """A manager-editable reply text with variables such as ``{{ buyer.name }}``.

    Compliance-checked when saved, and again when a message rendered from it is sent.
    A template without a seller account is a default every account may use.
    """

    seller_account = models.ForeignKey(
        SellerAccount,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
        help_text="Empty: a default template for every account.",
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, help_text="Stable key used by actions and tasks, e.g. quick_start_guide.")
    purpose = models.CharField(
        max_length=PURPOSE_MAX_LENGTH, choices=MessagePurpose.choices, default=MessagePurpose.REPLY
    )
    language = models.CharField(
        max_length=8,
        blank=True,
        help_text="The language the text is written in (en, es, de…): a Messaging API text is proposed in the "
        "buyer's language of preference when a template exists in it. Empty: not proposed for any language.",
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    is_active = models.BooleanField(default=True)
    # A macro: what sending a reply from this template also does to the ticket, in the same
    # action (tickets.macros.macro_apply). Empty: nothing more.
    sets_status = models.CharField(
        "then set status",
        max_length=10,
        choices=TicketStatus.choices,
        blank=True,
        help_text="Empty: as the agent chooses.",
    )
    sets_priority = models.PositiveSmallIntegerField(
        "then set priority", choices=TicketPriority.choices, null=True, blank=True
    )
    sets_kind = models.CharField(
        "then set kind",
        max_length=24,
        choices=[(v, label) for v, label in TicketKind.choices if v not in DEFENCE_KINDS],
        blank=True,
        help_text="A claim or chargeback defence is opened by Amazon's notice, never by a macro.",
    )
    sets_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="then assign to",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An agent of the ticket's seller account.",
    )
    adds_note = models.TextField(
        "and add an internal note", blank=True, max_length=5000, help_text="Never sent to the buyer."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "slug"],
                name="template_unique_slug_per_account",
                condition=Q(seller_account__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["slug"], name="template_unique_default_slug", condition=Q(seller_account__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from ..outbound.templating import template_compliance_errors

        domains = self.seller_account.link_domains if self.seller_account_id else frozenset()
        errors = {}
        if body_errors := template_compliance_errors(
            body=self.body, purpose=self.purpose, allowed_link_domains=domains
        ):
            errors["body"] = body_errors
        if self.sets_assignee_id and self.seller_account_id and not self.seller_account.has_agent(self.sets_assignee):
            errors["sets_assignee"] = f"Not an agent on {self.seller_account.name}."
        if errors:
            raise ValidationError(errors)

    @property
    def is_macro(self) -> bool:
        """Whether sending it also changes the ticket (or adds a note)."""
        return bool(self.sets_status or self.sets_priority or self.sets_kind or self.sets_assignee_id or self.adds_note)


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, will retry"
        DEAD = "dead", "Dead (gave up)"
        # Sent, then Amazon's delivery-failure notice said the buyer never got it
        # (amazon.mail.notices); ``last_error`` holds Amazon's reason. Never retried: the
        # same text would be refused again.
        REJECTED = "rejected", "Not delivered (refused by Amazon)"

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="outbound_messages")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="outbound_messages")
    ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound")
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound")
    # The conversation entry the agent sees; its delivery state is this row's status.
    message = models.OneToOneField(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound")
    purpose = models.CharField(max_length=PURPOSE_MAX_LENGTH, choices=MessagePurpose.choices)
    template = models.ForeignKey(MessageTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    gateway = models.CharField(max_length=10, choices=Gateway.choices)
    # Unique when set: one proactive guide per order ("proactive_guide:<order id>").
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    gateway_message_id = models.CharField(max_length=300, blank=True)
    # A Messaging API type's fields besides its text (e.g. a warranty's coverage dates).
    amazon_fields = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sweeper's scan: unfinished rows by when they are due.
            models.Index(
                fields=["next_attempt_at"],
                name="outbound_pending_due",
                condition=Q(status__in=["queued", "failed", "sending"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "dead", "rejected"]),
                name="outbound_status_valid",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="outbound_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} to {self.buyer} ({self.status})"

    def email_message_id(self) -> str:
        """A stable Message-ID: a resend after a crash carries the same id, so the relay
        and the buyer's mail client can recognise the duplicate."""
        return f"<outbound-{self.pk}@csmdesk>"


class BlockedMessage(models.Model):
    """A message the compliance guard refused: never sent, kept for managers to review."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="blocked_messages")
    ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    purpose = models.CharField(max_length=PURPOSE_MAX_LENGTH, choices=MessagePurpose.choices)
    body = models.TextField()
    violations = models.JSONField(default=list)
    channel = models.CharField(max_length=20, help_text="ui, api, admin, task")
    actor_label = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        rules = ", ".join(sorted({v.get("rule", "?") for v in self.violations}))
        return f"Blocked {self.get_purpose_display()} ({rules})"


class HeldMessage(models.Model):
    """A message the guard was unsure about (its verdict *held*): not sent, kept with
    everything needed to send it later, until a manager approves (then it takes the
    normal outbound path, once) or rejects it (nothing is sent).

    What the sender meant to happen with it — the ticket's next status and the CSM action
    it reports — is kept too and applied only on approval: a held reply has not answered
    the buyer, so until then the SLA clock keeps running."""

    class Status(models.TextChoices):
        HELD = "held", "Held for a manager's approval"
        APPROVED = "approved", "Approved and sent"
        REJECTED = "rejected", "Rejected"

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="held_messages")
    ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="held_messages")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="held_messages")
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    purpose = models.CharField(max_length=PURPOSE_MAX_LENGTH, choices=MessagePurpose.choices)
    template = models.ForeignKey(MessageTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    contact_reason = models.CharField(max_length=32, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    automated = models.BooleanField(default=False)
    # The sender's intent, applied on approval (tickets.replies): the ticket's next status
    # and the CSM action (refund, replacement…) the reply reports.
    status_after = models.CharField(max_length=10, blank=True)
    reply_action = models.CharField(max_length=20, blank=True)
    # The guard's doubts, as ``ComplianceResult.as_dict()`` gives them: {rule, message, start, end}.
    doubts = models.JSONField(default=list)
    channel = models.CharField(max_length=20, help_text="ui, api, admin, task")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.HELD)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    # The outbox row an approval wrote.
    outbound = models.OneToOneField(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="held"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_heldmessage", "Can approve or reject held messages")]
        indexes = [
            # The managers' queue: the held ones, oldest first.
            models.Index(fields=["created_at"], name="held_message_pending", condition=Q(status="held")),
            models.Index(fields=["ticket", "created_at"], name="held_message_ticket"),
            # The export of decisions, by when they were made.
            models.Index(fields=["decided_at"], name="held_message_decided", condition=~Q(status="held")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["held", "approved", "rejected"]), name="held_message_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="held", decided_at__isnull=True) | ~Q(status="held") & Q(decided_at__isnull=False),
                name="held_message_decided_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"Held {self.get_purpose_display().lower()} #{self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.HELD


class PhraseAction(models.TextChoices):
    REFUSE = "refuse", "Refuse the message"
    HOLD = "hold", "Hold it for a manager's approval"


class ForbiddenPhrase(models.Model):
    """A phrase managers add to the guard on top of its built-in rules (which cannot be
    switched off). Without a seller account it applies to every account. Its ``action``
    says what a match does: refuse the message (the guard's ``extra_phrase`` rule), or hold
    it for a manager's approval (a doubt, ``approval_phrase``, added by the outbound path)."""

    seller_account = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="forbidden_phrases"
    )
    phrase = models.CharField(max_length=200)
    reason = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=6, choices=PhraseAction.choices, default=PhraseAction.REFUSE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase
