"""Reads: the desk's queue and counts, search, the ticket workspace. Every read starts from
the permission gate (``tickets.access``), so list and detail can never disagree."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject, Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .access import held_messages_visible_to, sees_all_seller_accounts, tickets_visible_to
from .jsonrows import ListsStatement
from .models import (
    Attachment,
    HeldMessage,
    Message,
    MessageTemplate,
    Order,
    OrderEvent,
    OrderItem,
    Product,
    SellerAccount,
    Ticket,
)
from .models.tickets import DESK_COUNTED, sla_at_risk_q


def assignable_agents(seller_account) -> QuerySet:
    """Who a ticket of ``seller_account`` (an instance or an ``OuterRef``) can be assigned
    to in the desk: the account's active agents, by username."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(seller_accounts=seller_account, is_active=True).order_by("username")


# --- The agent desk's queue --------------------------------------------------------------
#
# One definition of each queue view: the sidebar counts and the lists use the same Q, so a
# count can never disagree with the rows behind it.

WORKING_STATUSES = (Ticket.Status.NEW, Ticket.Status.OPEN)
DONE_STATUSES = (Ticket.Status.SOLVED, Ticket.Status.CLOSED)
NOT_DONE_STATUSES = (*WORKING_STATUSES, Ticket.Status.PENDING)
# Soonest deadline first; tickets without a running clock after them, newest first.
BY_DUE = (F("sla_due_at").asc(nulls_last=True), F("id").asc())
BY_ACTIVITY = (F("updated_at").desc(), F("id").desc())


@dataclass(frozen=True)
class QueueView:
    slug: str
    label: str
    ordering: tuple = BY_DUE
    counted: bool = True  # the sidebar shows a count (not for the ever-growing "Solved")

    def condition(self, *, user: AbstractBaseUser, now: datetime) -> Q:
        working = Q(status__in=WORKING_STATUSES)
        match self.slug:
            case "mine":
                return working & Q(assignee=user)
            case "unassigned":
                return working & Q(assignee__isnull=True)
            # A running clock whatever the status: a ticket solved or parked with an
            # unanswered buyer message keeps its place here (tickets.sla.clock).
            case "at_risk":
                return sla_at_risk_q(now)
            case "breached":
                return Q(sla_due_at__lte=now)
            case "open":
                return working
            case "waiting":
                return Q(status=Ticket.Status.PENDING)
            case "solved":
                return Q(status__in=DONE_STATUSES)
        raise ValueError(f"Unknown queue view {self.slug!r}")

    @property
    def statuses(self) -> tuple[str, ...] | None:
        """The statuses the view is limited to (None: any, a running clock decides): a
        search asks them of the search documents too (tickets.search)."""
        match self.slug:
            case "mine" | "unassigned" | "open":
                return WORKING_STATUSES
            case "waiting":
                return (Ticket.Status.PENDING,)
            case "solved":
                return DONE_STATUSES
        return None


QUEUE_VIEWS = {
    view.slug: view
    for view in (
        QueueView("mine", "Mine"),
        QueueView("unassigned", "Unassigned"),
        QueueView("at_risk", "At risk"),
        QueueView("breached", "Breached"),
        QueueView("open", "All open"),
        QueueView("waiting", "Waiting on buyer", ordering=BY_ACTIVITY),
        QueueView("solved", "Solved", ordering=BY_ACTIVITY, counted=False),
    )
}


# Where the desk opens: a manager on the first view with tickets in this order (the work
# that needs someone), an agent on their own tickets unless they have none.
MANAGER_LANDING = ("breached", "at_risk", "unassigned", "open")
AGENT_LANDING = ("mine", "unassigned")


def queue_landing_view(*, user: AbstractBaseUser, counts: dict[str, int]) -> QueueView:
    """The view the desk opens on for ``user``, given their sidebar ``counts``: never an
    empty *Mine* for a manager, who is rarely assigned tickets."""
    if sees_all_seller_accounts(user):
        order, otherwise = MANAGER_LANDING, "open"
    else:
        order, otherwise = AGENT_LANDING, "mine"
    return QUEUE_VIEWS[next((slug for slug in order if counts.get(slug)), otherwise)]


def queue_counts(*, user: AbstractBaseUser, now: datetime | None = None) -> dict[str, int]:
    """The sidebar: tickets per view, in one statement."""
    now = now or timezone.now()
    views = [view for view in QUEUE_VIEWS.values() if view.counted]
    if sees_all_seller_accounts(user):
        # Every account's tickets: each view counts its own index range (4 ms at 100k
        # tickets) rather than one pass evaluating six conditions on every not-done ticket
        # (13 ms, two parallel workers). An agent's single pass over one account is cheaper.
        per_view = [
            tickets_visible_to(user)
            .filter(view.condition(user=user, now=now))
            .order_by()
            .values(view=Value(view.slug))
            .annotate(n=Count("*"))
            .values_list("view", "n")
            for view in views
        ]
        totals = dict(per_view[0].union(*per_view[1:], all=True))
        return {view.slug: totals.get(view.slug, 0) for view in views}
    # The condition of the partial index ``ticket_desk_counted`` repeated, and a count of
    # ``status`` (never null) rather than of ``id``: the index then answers it alone, an
    # index-only range per visible account instead of reading the table.
    totals = (
        tickets_visible_to(user)
        .filter(DESK_COUNTED)
        .aggregate(**{view.slug: Count("status", filter=view.condition(user=user, now=now)) for view in views})
    )
    return {slug: totals[slug] or 0 for slug in totals}


QUEUE_ROW_FIELDS = (
    "subject",
    "kind",
    "status",
    "priority",
    "sla_due_at",
    "sla_at_risk_at",
    "no_response_needed",
    "updated_at",
    "seller_account_id",
    "buyer__name",
    "buyer__amazon_buyer_id",
    "order__amazon_order_id",
    "order__fulfillment_channel",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def queue_tickets(*, user: AbstractBaseUser, view: QueueView, now: datetime | None = None) -> QuerySet[Ticket]:
    """A queue view's tickets with what each row shows: buyer, order, assignee, the last
    buyer-visible message (a preview) and the first item's product, in fixed queries."""
    now = now or timezone.now()
    last_message = Message.objects.filter(ticket=OuterRef("pk")).exclude(direction=Message.Direction.NOTE)
    last_message = last_message.order_by("-created_at", "-pk")
    # The product by primary key from the first item's product_id: joining items to products
    # inside the subquery made PostgreSQL hash the whole catalogue once per row.
    first_item = OrderItem.objects.filter(order=OuterRef(OuterRef("order_id"))).order_by("pk").values("product_id")[:1]
    first_product = Product.objects.filter(pk=Subquery(first_item)).order_by()
    return (
        tickets_visible_to(user)
        .filter(view.condition(user=user, now=now))
        .select_related("buyer", "order", "assignee")
        # Only the columns a row shows: turning every column of five models into Python
        # (dates above all) was a large part of a page's time.
        .only(*QUEUE_ROW_FIELDS)
        # One subquery per related row, its columns as a JSON object, rather than one per
        # column: each was planned and run again for every ticket of the page.
        .annotate(
            last_message=Subquery(
                last_message.values(
                    json=JSONObject(preview=Substr("body", 1, 160), direction="direction", delivery="outbound__status")
                )[:1]
            ),
            product=Subquery(first_product.values(json=JSONObject(title="title", asin="asin"))),
        )
        .order_by(*view.ordering)
    )


# --- The ticket workspace -------------------------------------------------------------------

HISTORY_LIMIT = 10
# Files the workspace lists for one ticket (a long conversation's older ones are in the API).
ATTACHMENTS_LIMIT = 200


@dataclass(frozen=True)
class RiskFlag:
    level: str  # "critical" or "warning": how the side panel colours it
    title: str
    detail: str = ""
    due_at: datetime | None = None


@dataclass
class Workspace:
    """Everything the ticket page shows beside the ticket itself, fetched in fixed queries."""

    ticket: Ticket
    conversation: list[Message]
    items: list[OrderItem]
    order_events: list
    buyer_orders: list
    buyer_tickets: list[Ticket]
    buyer_reviews: list
    buyer_feedback: list
    claims: list
    chargebacks: list
    risk_flags: list[RiskFlag]
    counts_toward_odr: bool
    templates: list[MessageTemplate]  # the reply box's (usable_templates)
    agents: list  # who the ticket can be assigned to (assignable_agents)
    held: list = field(default_factory=list)  # replies held for a manager (HeldMessage)

    @property
    def timeline(self) -> list[tuple[str, object]]:
        """The conversation with the held replies in it, by time: ("message", m) and
        ("held", h) pairs. A held reply is not a message (it was never sent); an approved
        one is also in the conversation as the message it became, at the approval time."""
        entries = [("message", m) for m in self.conversation] + [("held", h) for h in self.held]
        return sorted(entries, key=lambda entry: (entry[1].created_at, entry[0] == "held", entry[1].pk))


def ticket_for_workspace(*, user: AbstractBaseUser, pk: int) -> Ticket:
    """The ticket through the permission gate (Http404 for foreign or unknown ids), with
    what every workspace request reads: its account, buyer and order. (Not the assignee: the
    page shows the assignable agents, which it reads anyway; a join less to plan.)"""
    return get_object_or_404(tickets_visible_to(user).select_related("buyer", "order", "seller_account"), pk=pk)


# What the workspace shows of each list (and what the risk flags and the draft read): a
# column left out here is deferred, a query later (the query-count tests would fail).
MESSAGE_FIELDS = (
    *("id", "ticket_id", "direction", "author_id", "body", "is_automated", "written_by_amazon", "created_at"),
    *("author__id", "author__username", "author__first_name", "author__last_name"),
    *("outbound__id", "outbound__message_id", "outbound__status", "outbound__last_error"),
)
ITEM_FIELDS = (
    *("id", "order_id", "product_id", "quantity", "unit_price"),
    *("product__id", "product__title", "product__asin", "product__guide_url", "product__troubleshooting_url"),
)
EVENT_FIELDS = ("id", "order_id", "type", "carrier", "occurred_at")
CLAIM_FIELDS = ("id", "order_id", "claim_id", "status", "reason", "amount", "currency", "filed_at", "respond_by")
CHARGEBACK_FIELDS = (
    *("id", "order_id", "chargeback_id", "kind", "status"),
    *("amount", "currency", "filed_at", "respond_by"),
)
BUYER_ORDER_FIELDS = ("id", "buyer_id", "amazon_order_id", "fulfillment_channel", "purchased_at")
BUYER_TICKET_FIELDS = ("id", "buyer_id", "subject", "status", "created_at")
REVIEW_FIELDS = ("id", "buyer_id", "product_id", "rating", "title", "body", "reviewed_at")
FEEDBACK_FIELDS = ("id", "order_id", "rating", "comment", "left_at", "removed")
TEMPLATE_FIELDS = (
    *("id", "seller_account_id", "name", "slug", "purpose", "subject", "body"),
    # What a macro also does (tickets.macros), said in the reply box before sending.
    *("sets_status", "sets_priority", "sets_kind", "sets_assignee_id", "adds_note"),
)
AGENT_FIELDS = ("id", "username", "first_name", "last_name")
ATTACHMENT_FIELDS = ("id", "message_id", "name", "content_type", "size", "refused_reason")
HELD_FIELDS = (
    *("id", "ticket_id", "status", "purpose", "body", "doubts", "status_after", "reply_action"),
    *("author_id", "actor_label", "created_at", "decided_at", "decision_reason", "outbound_id"),
    *("author__id", "author__username", "author__first_name", "author__last_name"),
    *("decided_by__id", "decided_by__username", "decided_by__first_name", "decided_by__last_name"),
)


def _workspace_lists() -> dict:
    """The workspace's lists, each correlated to the ticket (OuterRef): its conversation,
    its order's items, events, claims and chargebacks (none without an order), and the
    buyer's other orders and tickets, reviews and feedback, newest first, cut at
    HISTORY_LIMIT; the reply box's templates and the agents it can be assigned to."""
    from django.contrib.auth import get_user_model

    from reviews.models import ProductReview, SellerFeedback

    from .models import AtoZClaim, Chargeback, Order, OrderEvent

    ticket_id, buyer_id, order_id = OuterRef("pk"), OuterRef("buyer_id"), OuterRef("order_id")
    account_id = OuterRef("seller_account_id")
    return {
        "templates": (MessageTemplate, _templates_offered(account_id), TEMPLATE_FIELDS),
        "agents": (get_user_model(), assignable_agents(account_id), AGENT_FIELDS),
        "conversation": (
            Message,
            Message.objects.filter(ticket_id=ticket_id).order_by("created_at", "pk"),
            MESSAGE_FIELDS,
        ),
        "attachments": (
            Attachment,
            Attachment.objects.filter(message__ticket_id=ticket_id).order_by("pk")[:ATTACHMENTS_LIMIT],
            ATTACHMENT_FIELDS,
        ),
        "held": (
            HeldMessage,
            HeldMessage.objects.filter(ticket_id=ticket_id).order_by("created_at", "pk"),
            HELD_FIELDS,
        ),
        "items": (OrderItem, OrderItem.objects.filter(order_id=order_id).order_by("pk"), ITEM_FIELDS),
        "events": (
            OrderEvent,
            OrderEvent.objects.filter(order_id=order_id).order_by("occurred_at", "pk"),
            EVENT_FIELDS,
        ),
        "claims": (AtoZClaim, AtoZClaim.objects.filter(order_id=order_id).order_by("-filed_at"), CLAIM_FIELDS),
        "chargebacks": (
            Chargeback,
            Chargeback.objects.filter(order_id=order_id).order_by("-filed_at"),
            CHARGEBACK_FIELDS,
        ),
        "buyer_orders": (
            Order,
            # Coalesce: without an order to leave out, ``id <> NULL`` would leave out every order.
            Order.objects.filter(buyer_id=buyer_id)
            .exclude(pk=Coalesce(order_id, 0))
            .order_by("-purchased_at")[:HISTORY_LIMIT],
            BUYER_ORDER_FIELDS,
        ),
        "buyer_tickets": (
            Ticket,
            Ticket.objects.filter(buyer_id=buyer_id).exclude(pk=ticket_id).order_by("-created_at")[:HISTORY_LIMIT],
            BUYER_TICKET_FIELDS,
        ),
        "buyer_reviews": (
            ProductReview,
            ProductReview.objects.filter(buyer_id=buyer_id).order_by("-reviewed_at")[:HISTORY_LIMIT],
            REVIEW_FIELDS,
        ),
        "buyer_feedback": (
            SellerFeedback,
            SellerFeedback.objects.filter(order__buyer_id=buyer_id).order_by("-left_at")[:HISTORY_LIMIT],
            FEEDBACK_FIELDS,
        ),
    }


WORKSPACE_LISTS = ListsStatement(Ticket, _workspace_lists)


def ticket_workspace(*, ticket: Ticket, now: datetime | None = None) -> Workspace:
    """Everything beside the ticket itself in one statement (``WORKSPACE_LISTS``), and one
    more when the order may count toward ODR."""
    from metrics.odr import order_counts_toward_odr

    now = now or timezone.now()
    order, buyer = ticket.order, ticket.buyer
    lists = WORKSPACE_LISTS.fetch(ticket.pk)
    files: dict[int, list] = {}
    for attachment in lists["attachments"]:
        files.setdefault(attachment.message_id, []).append(attachment)
    for message in lists["conversation"]:
        Message.ticket.field.set_cached_value(message, ticket)
        message.files = files.get(message.pk, [])
    claims, chargebacks, buyer_feedback = lists["claims"], lists["chargebacks"], lists["buyer_feedback"]
    flags: list[RiskFlag] = []
    counts_toward_odr = False
    if order is not None:
        feedback = next((f for f in buyer_feedback if f.order_id == order.pk), None)
        flags = _risk_flags(order=order, claims=claims, chargebacks=chargebacks, feedback=feedback)
        # A defect is a claim, a chargeback or feedback: an order with none of them is not
        # asked about (most orders; a statement less). The buyer's feedback above is all of it
        # when shorter than the limit, and is this order's when the order is the buyer's.
        all_feedback_listed = order.buyer_id == buyer.pk and len(buyer_feedback) < HISTORY_LIMIT
        may_have_defect = bool(claims or chargebacks or feedback is not None or not all_feedback_listed)
        # The ODR rules themselves live in metrics.odr; this only asks them about one order.
        counts_toward_odr = may_have_defect and order_counts_toward_odr(
            order=order, seller_account=ticket.seller_account, as_of=now.date()
        )
    return Workspace(
        ticket=ticket,
        conversation=lists["conversation"],
        items=lists["items"],
        order_events=lists["events"],
        buyer_orders=lists["buyer_orders"],
        buyer_tickets=lists["buyer_tickets"],
        buyer_reviews=lists["buyer_reviews"],
        buyer_feedback=buyer_feedback,
        claims=claims,
        chargebacks=chargebacks,
        risk_flags=flags,
        counts_toward_odr=counts_toward_odr,
        templates=usable_templates(lists["templates"]),
        agents=lists["agents"],
        held=lists["held"],
    )


def _risk_flags(*, order, claims, chargebacks, feedback) -> list[RiskFlag]:
    from .models import AtoZClaim, Chargeback

    flags = []
    for claim in claims:
        if claim.status in AtoZClaim.OPEN_STATUSES:
            detail = f"{claim.reason or 'No reason given'} · {claim.amount} {claim.currency}"
            flags.append(RiskFlag("critical", "Open A-to-z claim", detail, claim.respond_by))
    for chargeback in chargebacks:
        if chargeback.status in Chargeback.OPEN_STATUSES:
            title = f"Open chargeback ({chargeback.get_kind_display()})"
            flags.append(
                RiskFlag("critical", title, f"{chargeback.amount} {chargeback.currency}", chargeback.respond_by)
            )
    if feedback is not None and feedback.is_negative and not feedback.removed:
        flags.append(RiskFlag("warning", f"Negative seller feedback ({feedback.rating}★)", feedback.comment[:140]))
    return flags


# --- Reply templates and collisions -----------------------------------------------------------


def _templates_offered(seller_account) -> QuerySet[MessageTemplate]:
    """An account's active templates and the active defaults, by name (``seller_account``
    may be an ``OuterRef``)."""
    return MessageTemplate.objects.filter(
        Q(seller_account=seller_account) | Q(seller_account__isnull=True), is_active=True
    ).order_by("name")


def usable_templates(templates) -> list[MessageTemplate]:
    """Of ``_templates_offered``: the account's own, and the defaults it has not replaced
    with a template of the same slug."""
    own = {t.slug for t in templates if t.seller_account_id}
    return [t for t in templates if t.seller_account_id or t.slug not in own]


def message_templates_for(*, seller_account: SellerAccount) -> list[MessageTemplate]:
    """The templates an account may use (``usable_templates``)."""
    return usable_templates(_templates_offered(seller_account))


def message_template_get(*, seller_account: SellerAccount, slug: str) -> MessageTemplate | None:
    return next((t for t in message_templates_for(seller_account=seller_account) if t.slug == slug), None)


def ticket_activity_since(
    *, ticket: Ticket, seen_message_id: int, user: AbstractBaseUser, notes: bool = True
) -> list[Message]:
    """Messages added to a ticket after the one an agent last saw, other than their own:
    a buyer's follow-up or a colleague's reply that the agent's draft may now contradict.
    ``notes=False`` leaves out colleagues' internal notes: the buyer never reads them, so
    they cannot make a reply contradict what the buyer was told (they hold no reply back)."""
    messages = ticket.messages.filter(pk__gt=seen_message_id).exclude(author=user)
    if not notes:
        messages = messages.exclude(direction=Message.Direction.NOTE)
    return list(messages.select_related("author").order_by("created_at", "pk"))


def order_events_same(*, order: Order, type: str, occurred_at, event_id: str | None) -> QuerySet[OrderEvent]:
    """The stored events a new one would repeat: the same sender's id on this order, or
    without an id the same type at the same time."""
    if event_id:
        return OrderEvent.objects.filter(order=order, event_id=event_id)
    return OrderEvent.objects.filter(order=order, type=type, occurred_at=occurred_at, event_id__isnull=True)


# --- Held replies -----------------------------------------------------------------------------

HELD_QUEUE_LIMIT = 200


def held_messages_pending(*, user: AbstractBaseUser, seller_account_id: int | None = None) -> list[HeldMessage]:
    """The held messages waiting for a manager, oldest first (the buyer has waited longest),
    across the accounts ``user`` sees, with their ticket, account and writer in the same
    query; at most ``HELD_QUEUE_LIMIT``."""
    pending = held_messages_visible_to(user).filter(status=HeldMessage.Status.HELD)
    if seller_account_id is not None:
        pending = pending.filter(seller_account_id=seller_account_id)
    return list(
        pending.select_related("ticket", "seller_account", "author", "buyer").order_by("created_at", "pk")[
            :HELD_QUEUE_LIMIT
        ]
    )


def held_message_for_decision(*, user: AbstractBaseUser, pk: int) -> HeldMessage:
    """A held message through the permission gate (Http404 for foreign or unknown ids)."""
    return get_object_or_404(held_messages_visible_to(user).select_related("ticket", "buyer", "order"), pk=pk)
