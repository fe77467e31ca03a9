from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .accounts import SellerAccount
from .orders import Buyer, Order

# Tickets in these states are waiting on us. The others park the ticket (waiting on the
# buyer) or end it, but never stop a clock: a buyer message counts until it is answered
# or marked "no response needed" (tickets.sla.clock).
OPEN_STATUSES = ("new", "open")
PARKED_STATUSES = ("pending", "solved", "closed")
# The default warning before a clock runs out; an SLA policy may set its own, up to
# MAX_AT_RISK_WINDOW (which bounds the index range the at-risk queries read).
AT_RISK_WINDOW = timedelta(hours=4)
MAX_AT_RISK_WINDOW = timedelta(hours=72)
DEFAULT_AT_RISK_HOURS = int(AT_RISK_WINDOW / timedelta(hours=1))
MAX_AT_RISK_HOURS = int(MAX_AT_RISK_WINDOW / timedelta(hours=1))
# Inside ``tickets.sla.clock.sla_policies_read_once`` (a batch of intake), each account's
# policies are read once for the batch instead of at every message and ticket save.
SLA_POLICIES_READ: ContextVar[dict | None] = ContextVar("sla_policies_read", default=None)


class TicketQuerySet(models.QuerySet):
    def open(self) -> "TicketQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def running(self) -> "TicketQuerySet":
        return self.filter(sla_running_q())

    def breached(self, now=None) -> "TicketQuerySet":
        return self.filter(sla_due_at__lte=now or timezone.now())

    def at_risk(self, now=None) -> "TicketQuerySet":
        return self.filter(sla_at_risk_q(now or timezone.now()))

    def on_time(self, now=None) -> "TicketQuerySet":
        return self.filter(sla_on_time_q(now or timezone.now()))


# The SLA states as conditions, read from the two stored moments of a running clock
# (whatever the ticket's status: the clock belongs to the buyer's messages):
# ``sla_due_at`` and ``sla_at_risk_at`` (the due time less the ticket's policy's warning,
# set by tickets.sla.clock). Ticket.sla_state, the queue, the API and admin filters and the sweep
# all use these.
# What the desk's sidebar counts: tickets not done, and any ticket with a running clock.
DESK_COUNTED = Q(status__in=(*OPEN_STATUSES, "pending")) | Q(sla_due_at__isnull=False)


def sla_running_q() -> Q:
    return Q(sla_due_at__isnull=False)


def sla_at_risk_q(now) -> Q:
    # The redundant bound on sla_due_at keeps the query an index range.
    return Q(sla_due_at__gt=now, sla_due_at__lte=now + MAX_AT_RISK_WINDOW, sla_at_risk_at__lte=now)


def sla_on_time_q(now) -> Q:
    return Q(sla_due_at__gt=now, sla_at_risk_at__gt=now)


class InvalidTransition(Exception):
    """A status change the ticket workflow does not allow (the API answers 409)."""


class TicketKind(models.TextChoices):
    INQUIRY = "inquiry", "Inquiry"
    WHERE_IS_MY_PACKAGE = "where_is_my_package", "Where is my package"
    SETUP = "setup", "Setup / troubleshooting"
    REPLACEMENT_PART = "replacement_part", "Replacement part"
    RETURN = "return", "Return"
    WARRANTY = "warranty", "Warranty"
    A_TO_Z_DEFENCE = "a_to_z_defence", "A-to-z claim defence"
    CHARGEBACK = "chargeback", "Chargeback"
    NEGATIVE_FEEDBACK = "negative_feedback", "Negative seller feedback"
    REVIEW_OUTREACH = "review_outreach", "Review outreach"


# Defence tickets carry Amazon's claim or chargeback deadline as their clock, not a buyer
# message's: warned about a day ahead, kept out of the buyer response-time events, and
# stopped when the defence is done.
DEFENCE_KINDS = (TicketKind.A_TO_Z_DEFENCE, TicketKind.CHARGEBACK)


class TicketStatus(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Waiting on buyer"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


class TicketPriority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class Ticket(models.Model):
    """A conversation with one buyer, usually about one order."""

    Kind = TicketKind
    Status = TicketStatus
    Priority = TicketPriority

    # Allowed status changes; closed is final (a new buyer message opens a new ticket).
    TRANSITIONS = {
        Status.NEW: {Status.OPEN, Status.PENDING, Status.SOLVED, Status.CLOSED},
        Status.OPEN: {Status.PENDING, Status.SOLVED, Status.CLOSED},
        Status.PENDING: {Status.OPEN, Status.SOLVED, Status.CLOSED},
        Status.SOLVED: {Status.OPEN, Status.CLOSED},
        Status.CLOSED: set(),
    }

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="tickets")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="tickets")
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets")
    subject = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.INQUIRY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_tickets"
    )
    # The SLA clock: set by the oldest unanswered buyer message, cleared by a real
    # reply or "no response needed" (Amazon's 24 h rule, notes/amazon.md §3).
    sla_due_at = models.DateTimeField(null=True, blank=True)
    # When the running clock turns "at risk": sla_due_at less the warning of the ticket's
    # SLA policy (sla_at_risk_moment); kept by save() and tickets.sla.clock.sla_at_risk_refresh.
    sla_at_risk_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_at = models.DateTimeField(null=True, blank=True)
    no_response_needed = models.BooleanField(default=False)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # A duplicate merged into another ticket (tickets.merge): closed, its conversation moved
    # to ``merged_into``; the desk redirects there and the API says so.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_tickets", editable=False
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["sla_due_at", "-created_at"]
        indexes = [
            # The at-risk and breached views and the SLA sweep: running clocks by due time.
            models.Index(
                fields=["sla_due_at"],
                include=["sla_at_risk_at"],
                condition=Q(sla_due_at__isnull=False),
                name="ticket_running_sla_due",
            ),
            models.Index(fields=["seller_account", "status", "sla_due_at"], name="ticket_account_status_due"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status"),
            # The API's ticket list: every ticket by due time, cursor-paged on (due, id).
            models.Index(fields=["sla_due_at", "id"], name="ticket_sla_due_id"),
            # The desk (tickets.selectors): the sidebar counts read this index alone (index-only),
            # "Mine" walks its tickets by due time, and the two views by latest activity walk
            # theirs newest first instead of sorting every waiting or solved ticket. Its
            # condition is DESK_COUNTED, which the counts repeat so the planner can use it.
            models.Index(
                fields=["seller_account", "status", "sla_due_at"],
                include=["assignee", "sla_at_risk_at"],
                condition=DESK_COUNTED,
                name="ticket_desk_counted",
            ),
            models.Index(
                fields=["assignee", "sla_due_at"], condition=Q(status__in=OPEN_STATUSES), name="ticket_mine_due"
            ),
            models.Index(fields=["-updated_at", "-id"], condition=Q(status="pending"), name="ticket_waiting_activity"),
            models.Index(
                fields=["-updated_at", "-id"], condition=Q(status__in=("solved", "closed")), name="ticket_done_activity"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TicketStatus.values), name="ticket_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=TicketKind.values), name="ticket_kind_valid"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=4), name="ticket_priority_valid"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    # Fields whose change moves the at-risk moment.
    _CLOCK_FIELDS = frozenset({"sla_due_at", "kind", "seller_account", "seller_account_id"})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self._CLOCK_FIELDS & set(update_fields):
            self.sla_at_risk_at = self.sla_at_risk_moment()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sla_at_risk_at"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_transition_to(self, status: str) -> bool:
        return status == self.status or status in self.TRANSITIONS[self.Status(self.status)]

    def sla_at_risk_moment(self):
        """The one definition of "at risk": a running clock is at risk from its due time
        less the warning of the ticket's SLA policy (its kind's, else the account's, else
        4 h). Stored as ``sla_at_risk_at`` so that every list and filter reads a column."""
        if self.sla_due_at is None:
            return None
        hours = SlaPolicy.at_risk_hours_for(seller_account_id=self.seller_account_id, ticket_kind=self.kind)
        return self.sla_due_at - timedelta(hours=hours)

    @property
    def is_defence(self) -> bool:
        return self.kind in DEFENCE_KINDS

    def sla_state(self, now=None) -> str:
        """none / ok / at_risk / breached, as the queue and the API report it: from the
        running clock alone, so a ticket solved with an unanswered message stays at risk."""
        if self.sla_due_at is None:
            return "none"
        now = now or timezone.now()
        if self.sla_due_at <= now:
            return "breached"
        if (self.sla_at_risk_at or self.sla_due_at - AT_RISK_WINDOW) <= now:
            return "at_risk"
        return "ok"


class SlaPolicy(models.Model):
    """How long a seller account gives itself to answer, optionally per ticket kind.
    Without a policy the account's ``sla_hours`` apply (Amazon's 24 h)."""

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="sla_policies")
    ticket_kind = models.CharField(max_length=24, choices=TicketKind.choices, blank=True, help_text="Empty: all.")
    response_hours = models.PositiveSmallIntegerField(default=24)
    at_risk_hours = models.PositiveSmallIntegerField(
        default=4,
        validators=[MaxValueValidator(MAX_AT_RISK_HOURS)],
        help_text=f"Warn when this little time is left (at most {MAX_AT_RISK_HOURS} h).",
    )

    class Meta:
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(fields=["seller_account", "ticket_kind"], name="sla_policy_unique_kind"),
            models.CheckConstraint(condition=Q(response_hours__gte=1), name="sla_policy_hours_positive"),
            models.CheckConstraint(
                condition=Q(at_risk_hours__lte=MAX_AT_RISK_HOURS), name="sla_policy_at_risk_within_bound"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller_account}: {self.ticket_kind or 'all kinds'} in {self.response_hours} h"

    @classmethod
    def of_account(cls, *, seller_account_id: int) -> dict[str, "SlaPolicy"]:
        """The account's policies by ticket kind ("" for all kinds): one query, or none
        inside ``sla_policies_read_once`` once the account's were read."""
        read = SLA_POLICIES_READ.get()
        if read is not None and seller_account_id in read:
            return read[seller_account_id]
        policies = {p.ticket_kind: p for p in cls.objects.filter(seller_account_id=seller_account_id)}
        if read is not None:
            read[seller_account_id] = policies
        return policies

    @classmethod
    def applying(cls, *, seller_account_id: int, ticket_kind: str) -> "SlaPolicy | None":
        """The policy for a kind of ticket: the kind's, else the account's for all kinds."""
        policies = cls.of_account(seller_account_id=seller_account_id)
        return policies.get(ticket_kind) or policies.get("")

    @classmethod
    def at_risk_hours_for(cls, *, seller_account_id: int, ticket_kind: str) -> int:
        """The warning that applies: the kind's policy, else the account's, else 4 h."""
        policy = cls.applying(seller_account_id=seller_account_id, ticket_kind=ticket_kind)
        return policy.at_risk_hours if policy is not None else DEFAULT_AT_RISK_HOURS


class MessageDirection(models.TextChoices):
    INBOUND = "inbound", "From buyer"
    OUTBOUND = "outbound", "To buyer"
    NOTE = "note", "Internal note"


# A buyer message Amazon still counts: neither answered nor marked "no response needed".
UNANSWERED = Q(direction=MessageDirection.INBOUND, responded_at__isnull=True, no_response_needed=False)


class Message(models.Model):
    Direction = MessageDirection

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    # Buyer text is untrusted plain text: templates escape it, nothing renders it as HTML.
    body = models.TextField()
    # Amazon's message id (or the email Message-ID) for idempotent ingest, unique per seller
    # account: ``seller_account`` is the account it is scoped to (the ticket's), set with it.
    external_id = models.CharField(max_length=200, null=True, blank=True)
    seller_account = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="+", editable=False
    )
    # True for messages a machine sent (proactive guide, auto-acknowledgement): Amazon
    # does not accept auto-responders as a response, so they never stop the SLA clock.
    is_automated = models.BooleanField(default=False)
    # An inbound message Amazon wrote on the buyer's behalf ("We've been contacted by a
    # customer…", notes/amazon.md §9): still on the clock, but the words are Amazon's.
    written_by_amazon = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Inbound: when the buyer sent it. Outbound: when the gateway accepted it.
    sent_at = models.DateTimeField(null=True, blank=True)
    # Response facts of an inbound buyer message, stored when they happen so that the
    # response-time metrics never have to guess (Amazon measures per buyer message).
    response_due_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    no_response_needed = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_ticket_created"),
            # The response-time figures (metrics.response_time.buyer_messages): counted buyer
            # messages by when they were received, with every column the figures read, so a
            # period is one index-only range instead of a scan of every message.
            models.Index(
                Coalesce("sent_at", "created_at"),
                name="message_inbound_received",
                condition=Q(direction=MessageDirection.INBOUND, no_response_needed=False),
                include=["ticket", "sent_at", "created_at", "response_due_at", "responded_at"],
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "external_id"],
                condition=Q(external_id__isnull=False),
                name="message_unique_external_id_per_account",
            ),
            models.CheckConstraint(
                condition=Q(external_id__isnull=True) | Q(seller_account__isnull=False),
                name="message_external_id_has_account",
            ),
            models.CheckConstraint(condition=Q(direction__in=MessageDirection.values), name="message_direction_valid"),
            models.CheckConstraint(condition=~Q(body=""), name="message_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} on ticket #{self.ticket_id}"

    def save(self, *args, **kwargs):
        if self.external_id and self.seller_account_id is None:
            self.seller_account_id = self.ticket.seller_account_id
        super().save(*args, **kwargs)


class TicketSearch(models.Model):
    """A ticket's search document, kept by the database (PostgreSQL only): its subject, the
    buyer's name, the message text (parsed with the 'simple' configuration: no stemming or
    stop words, the same in all six marketplace languages) and the order id, buyer id and
    ASINs as whole lexemes (so a prefix of ``111-4065242-…`` or ``B0ESPRESS…`` matches).

    Triggers (migration ``0015_ticket_search``) refresh it whenever one of those changes in
    any channel, including bulk ``COPY``; no Python code writes it. A table of its own keeps
    the ticket rows narrow and ticket writes from rewriting the document. No foreign key:
    the ticket's delete trigger removes the row after the ticket and its messages are gone
    (their own triggers would otherwise write it again in between)."""

    ticket = models.OneToOneField(
        Ticket, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="search"
    )
    document = SearchVectorField()
    # The ticket's status, kept by the same triggers (0030): a search narrows the index's
    # matches to its queue view's statuses on this table (tickets.search.tickets_matching).
    status = models.CharField(max_length=10, db_default="", editable=False)

    class Meta:
        indexes = [
            GinIndex(fields=["document"], name="ticket_search_document"),
            models.Index(fields=["status"], name="ticket_search_status"),
        ]

    def __str__(self) -> str:
        return f"Search document of ticket #{self.ticket_id}"
