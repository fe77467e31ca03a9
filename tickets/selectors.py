"""Reads. ``*_visible_to`` are the one permission gate: the agent UI, the admin and the
API all fetch through them, so list and detail pages can never disagree about access.

The principal is a user, or an API key (``api.models.ApiKey``: ``is_api_key`` is true),
which sees exactly the seller accounts it was issued for."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import JSONObject, Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Message, MessageTemplate, OrderItem, Product, SellerAccount, Ticket
from .models.tickets import AT_RISK_WINDOW

VIEW_ALL_ACCOUNTS = "tickets.view_all_seller_accounts"


def sees_all_seller_accounts(user: AbstractBaseUser) -> bool:
    """Managers (and superusers) see every account; agents only their own."""
    return user.is_active and user.has_perm(VIEW_ALL_ACCOUNTS)


def _is_api_key(principal) -> bool:
    return getattr(principal, "is_api_key", False)


def seller_accounts_visible_to(user: AbstractBaseUser) -> QuerySet[SellerAccount]:
    if not user.is_authenticated or not user.is_active:
        return SellerAccount.objects.none()
    if _is_api_key(user):
        return SellerAccount.objects.filter(api_keys=user)
    if sees_all_seller_accounts(user):
        return SellerAccount.objects.all()
    return SellerAccount.objects.filter(agents=user)


def tickets_visible_to(user: AbstractBaseUser) -> QuerySet[Ticket]:
    if not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    if _is_api_key(user):
        return Ticket.objects.filter(seller_account__api_keys=user)
    if sees_all_seller_accounts(user):
        return Ticket.objects.all()
    # ``seller_account_id IN (the agent's memberships)`` rather than joining accounts and
    # memberships: the same rows, and PostgreSQL plans the queue's rows query (already five
    # joins and four subqueries) in a third of the time.
    memberships = SellerAccount.agents.through.objects.filter(user=user).values("selleraccount_id")
    return Ticket.objects.filter(seller_account_id__in=memberships)


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
            case "at_risk":
                return working & Q(sla_due_at__gt=now, sla_due_at__lte=now + AT_RISK_WINDOW)
            case "breached":
                return working & Q(sla_due_at__lte=now)
            case "open":
                return working
            case "waiting":
                return Q(status=Ticket.Status.PENDING)
            case "solved":
                return Q(status__in=DONE_STATUSES)
        raise ValueError(f"Unknown queue view {self.slug!r}")


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
    # The not-done statuses listed (not "exclude done"), and a count of ``status`` (never
    # null) rather than of ``id``: the partial index ``ticket_desk_counts`` then answers it
    # alone, an index-only range per visible account instead of reading the table.
    totals = (
        tickets_visible_to(user)
        .filter(status__in=NOT_DONE_STATUSES)
        .aggregate(**{view.slug: Count("status", filter=view.condition(user=user, now=now)) for view in views})
    )
    return {slug: totals[slug] or 0 for slug in totals}


QUEUE_ROW_FIELDS = (
    "subject",
    "kind",
    "status",
    "priority",
    "sla_due_at",
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
                last_message.values(json=JSONObject(preview=Substr("body", 1, 160), direction="direction"))[:1]
            ),
            product=Subquery(first_product.values(json=JSONObject(title="title", asin="asin"))),
        )
        .order_by(*view.ordering)
    )


AMAZON_ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")
ASIN = re.compile(r"B0[0-9A-Z]{8}")


def tickets_matching(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """Search as agents type it: an Amazon order id or an ASIN is looked up exactly
    (through an index), anything else in subjects, buyers and message text."""
    text = text.strip()
    if not text:
        return tickets
    if AMAZON_ORDER_ID.fullmatch(text):
        return tickets.filter(order__amazon_order_id=text)
    if ASIN.fullmatch(text.upper()):
        return tickets.filter(order__items__product__asin=text.upper()).distinct()
    in_messages = Message.objects.filter(ticket=OuterRef("pk"), body__icontains=text)
    return tickets.filter(
        Q(subject__icontains=text)
        | Q(buyer__amazon_buyer_id=text)
        | Q(buyer__name__icontains=text)
        | Exists(in_messages)
    )


# --- The ticket workspace -------------------------------------------------------------------

HISTORY_LIMIT = 10


@dataclass(frozen=True)
class RiskFlag:
    level: str  # "critical" or "warning": how the side panel colours it
    title: str
    detail: str = ""
    due_at: datetime | None = None


@dataclass
class Workspace:
    """Everything the ticket page shows beside the conversation, fetched in fixed queries."""

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


def ticket_for_workspace(*, user: AbstractBaseUser, pk: int) -> Ticket:
    """The ticket through the permission gate (Http404 for foreign or unknown ids)."""
    return get_object_or_404(
        tickets_visible_to(user).select_related("buyer", "order", "assignee", "seller_account"), pk=pk
    )


def ticket_workspace(*, ticket: Ticket, now: datetime | None = None) -> Workspace:
    from metrics.odr import order_counts_toward_odr
    from reviews.models import ProductReview, SellerFeedback

    from .models import AtoZClaim, Chargeback, Order, OrderEvent

    now = now or timezone.now()
    order, buyer = ticket.order, ticket.buyer
    conversation = list(ticket.messages.select_related("author", "outbound").order_by("created_at", "pk"))
    buyer_orders = list(
        Order.objects.filter(buyer=buyer).exclude(pk=ticket.order_id).order_by("-purchased_at")[:HISTORY_LIMIT]
    )
    buyer_tickets = list(
        Ticket.objects.filter(buyer=buyer).exclude(pk=ticket.pk).order_by("-created_at")[:HISTORY_LIMIT]
    )
    buyer_reviews = list(
        ProductReview.objects.filter(buyer=buyer).select_related("product").order_by("-reviewed_at")[:HISTORY_LIMIT]
    )
    buyer_feedback = list(
        SellerFeedback.objects.filter(order__buyer=buyer).select_related("order").order_by("-left_at")[:HISTORY_LIMIT]
    )
    items, events, claims, chargebacks = [], [], [], []
    flags: list[RiskFlag] = []
    counts_toward_odr = False
    if order is not None:
        items = list(order.items.select_related("product").order_by("pk"))
        events = list(OrderEvent.objects.filter(order=order).order_by("occurred_at", "pk"))
        claims = list(AtoZClaim.objects.filter(order=order).order_by("-filed_at"))
        chargebacks = list(Chargeback.objects.filter(order=order).order_by("-filed_at"))
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
        conversation=conversation,
        items=items,
        order_events=events,
        buyer_orders=buyer_orders,
        buyer_tickets=buyer_tickets,
        buyer_reviews=buyer_reviews,
        buyer_feedback=buyer_feedback,
        claims=claims,
        chargebacks=chargebacks,
        risk_flags=flags,
        counts_toward_odr=counts_toward_odr,
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


def message_templates_for(*, seller_account: SellerAccount) -> list[MessageTemplate]:
    """The active templates an account may use: its own, and the defaults it has not
    replaced with a template of the same slug."""
    templates = MessageTemplate.objects.filter(
        Q(seller_account=seller_account) | Q(seller_account__isnull=True), is_active=True
    ).order_by("name")
    own = {t.slug for t in templates if t.seller_account_id}
    return [t for t in templates if t.seller_account_id or t.slug not in own]


def message_template_get(*, seller_account: SellerAccount, slug: str) -> MessageTemplate | None:
    return next((t for t in message_templates_for(seller_account=seller_account) if t.slug == slug), None)


def ticket_activity_since(*, ticket: Ticket, seen_message_id: int, user: AbstractBaseUser) -> list[Message]:
    """Messages added to a ticket after the one an agent last saw, other than their own:
    a buyer's follow-up or a colleague's reply that the agent's draft may now contradict."""
    return list(
        ticket.messages.filter(pk__gt=seen_message_id)
        .exclude(author=user)
        .select_related("author")
        .order_by("created_at", "pk")
    )
