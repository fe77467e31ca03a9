"""Writes the demo desk: two seller accounts, ~215 orders, tickets in every SLA state,
reviews with outreach cases, and the defects behind the Order Defect Rate.

Idempotent: every row is found by its natural key (username, marketplace + merchant id,
ASIN, Amazon order/buyer/review/claim/chargeback id, message external id; a ticket by
its account and subject) and updated in place, so a second run changes no counts. Times
are offsets from one ``now``, so a later run re-arms the demo (the at-risk ticket is at
risk again) instead of adding rows.

The intended ODR
----------------
Amazon's Order Defect Rate is the number of *distinct* orders with at least one counted
defect (negative 1–2★ feedback, an A-to-z claim that is not denied, a service chargeback)
divided by all orders in the 60-day window, counted by order date (notes/amazon.md §1).

Brewline Espresso's seller-fulfilled (FBM) ODR is meant to read 1 / 120 = 0.83%: close to
the 1% line a CSM watches, but below it. With so few orders a second defective order would
give 1.67%, so exactly one order in the window carries counted defects: the cracked
reservoir, with both 2★ feedback and an open A-to-z claim, to show that they count once.
Around it are defects that must not count: outside the window (1★ feedback, a seller-funded
claim and an open chargeback on orders 66–75 days old) and excluded ones inside it (feedback
Amazon removed, a denied claim, a Buy Shipping-protected claim, a fraud chargeback, a
chargeback decided for the seller).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Min, QuerySet
from django.utils import timezone

from reviews.models import ProductReview, ReviewOutreachCase, SellerFeedback
from reviews.services import review_record
from tickets.intake.claims import (
    CHARGEBACK_RESPOND_WITHIN,
    a_to_z_claim_record,
    a_to_z_respond_within,
    chargeback_record,
)
from tickets.models import (
    AtoZClaim,
    Buyer,
    Chargeback,
    Message,
    MessagePurpose,
    MessageTemplate,
    Order,
    OrderItem,
    Product,
    SellerAccount,
    SlaEvent,
    Ticket,
)
from tickets.models.tickets import DEFENCE_KINDS, UNANSWERED
from tickets.services import ticket_open
from tickets.sla.clock import sla_due_at_for, sla_record_response

from . import catalogue, conversations, feedback
from .plan import DemoPlan, OrderPlan, demo_plan
from .users import USERS, DemoUser, demo_users_ensure

User = get_user_model()

ACTOR = "seed_demo"
REVIEWS_ACTOR = "seed_demo:reviews"
CLAIMS_ACTOR = "seed_demo:claims"


@dataclass(frozen=True)
class DemoSummary:
    users: tuple[DemoUser, ...]
    counts: dict[str, int]
    odr_account: str
    odr_orders: int
    odr_defective_orders: int

    @property
    def odr_percent(self) -> float:
        return 100 * self.odr_defective_orders / self.odr_orders


@transaction.atomic
def demo_seed(*, now: datetime | None = None) -> DemoSummary:
    """Create or refresh the demo desk; safe to run any number of times."""
    now = now or timezone.now()
    plan = demo_plan()
    users = demo_users_ensure()
    accounts = _accounts_ensure(users)
    products = _products_ensure(accounts)
    _templates_ensure(accounts)
    buyers = _buyers_upsert(plan, accounts)
    clocks_before = dict(
        Ticket.objects.filter(seller_account__in=accounts.values(), sla_due_at__isnull=False).values_list(
            "pk", "sla_due_at"
        )
    )
    orders = _orders_upsert(plan, accounts, buyers, now)
    _order_items_upsert(plan, orders, products)
    tickets = _tickets_upsert(plan, accounts, buyers, orders, users, now)
    _feedback_upsert(plan, orders, tickets, now)
    _claims_upsert(plan, orders, tickets, now)
    _reviews_upsert(plan, accounts, products, orders, users, tickets, now)
    _sla_events_follow(clocks_before)
    return _summary(plan)


def _sla_events_follow(clocks_before: dict[int, datetime]) -> None:
    """A re-seed moves each story's clock with ``now``: it is the same clock, already
    swept. Its SLA events move with it, so that the sweep (which records, notifies and
    e-mails once per clock: tickets.sla.sweep) does not warn about the same tickets again
    each time ``make run`` starts."""
    moved = Ticket.objects.filter(pk__in=list(clocks_before), sla_due_at__isnull=False).values_list("pk", "sla_due_at")
    for pk, due in moved:
        if due != clocks_before[pk]:
            already = SlaEvent.objects.filter(ticket_id=pk, due_at=due).values("kind")
            SlaEvent.objects.filter(ticket_id=pk, due_at=clocks_before[pk]).exclude(kind__in=already).update(due_at=due)


def _accounts_ensure(users: dict[str, User]) -> dict[str, SellerAccount]:
    accounts = {}
    for spec in catalogue.ACCOUNTS:
        account, _ = SellerAccount.objects.update_or_create(
            marketplace_id=catalogue.MARKETPLACE_US,
            merchant_id=spec.merchant_id,
            defaults={
                "name": spec.name,
                "proactive_guides_enabled": spec.proactive_guides_enabled,
                # The guide host, so the compliance guard lets the account's guide links through.
                "allowed_link_domains": spec.guide_host,
            },
        )
        accounts[spec.key] = account
    for demo_user in USERS:
        for key in demo_user.accounts:
            accounts[key].agents.add(users[demo_user.username])
    return accounts


# Brewline's own reply for the commonest espresso-machine setup trouble: a pump that hums
# but does not prime (an air lock after shipping). Agents pick it in the reply box.
PRIMING_GUIDE = {
    "slug": "priming_guide",
    "name": "Espresso machine: priming the pump",
    "purpose": MessagePurpose.REPLY,
    "subject": "Getting water through your {{ product.title }}",
    "body": (
        "Hello {{ buyer.name }},\n\n"
        "Thank you for the clear description. A pump that hums without drawing water almost always has "
        "an air lock from shipping. To clear it:\n"
        "1. Switch the machine off and unplug it. Remove the reservoir, then click it firmly back into place.\n"
        "2. Open the steam knob fully and place a cup under the steam wand.\n"
        "3. Switch on and press the brew button for 20 seconds while the knob is open; repeat up to three "
        "times until water runs from the wand.\n"
        "4. Close the knob and run one empty shot through the group head.\n\n"
        "The same steps with pictures: {{ product.troubleshooting_url }}\n\n"
        "If the pump still only hums after that, reply here and we will send a replacement pump unit "
        "at no cost.\n\n"
        "{{ agent.first_name }}, {{ seller.name }}"
    ),
}


def _templates_ensure(accounts: dict[str, SellerAccount]) -> None:
    spec = {key: value for key, value in PRIMING_GUIDE.items() if key != "slug"}
    MessageTemplate.objects.update_or_create(
        seller_account=accounts["brewline"], slug=PRIMING_GUIDE["slug"], defaults=spec
    )


def _products_ensure(accounts: dict[str, SellerAccount]) -> dict[str, Product]:
    products = {}
    for spec in catalogue.ACCOUNTS:
        for item in spec.products:
            product, _ = Product.objects.update_or_create(
                seller_account=accounts[spec.key],
                asin=item.asin,
                defaults={
                    "sku": item.sku,
                    "title": item.title,
                    "category": item.category,
                    "guide_url": f"https://{spec.guide_host}/guides/{item.slug}-quick-start.pdf",
                    "troubleshooting_url": f"https://{spec.guide_host}/support/{item.slug}/troubleshooting",
                },
            )
            products[item.asin] = product
    return products


def _buyers_upsert(plan: DemoPlan, accounts: dict[str, SellerAccount]) -> dict[tuple[str, str], int]:
    """(account key, Amazon buyer id) -> primary key."""
    Buyer.objects.bulk_create(
        [
            Buyer(seller_account=accounts[b.account], amazon_buyer_id=b.amazon_buyer_id, name=b.name, email=b.email)
            for b in plan.buyers
        ],
        update_conflicts=True,
        unique_fields=["seller_account", "amazon_buyer_id"],
        update_fields=["name", "email"],
    )
    keys = {account.pk: key for key, account in accounts.items()}
    rows = Buyer.objects.filter(seller_account__in=accounts.values()).values_list(
        "seller_account", "amazon_buyer_id", "pk"
    )
    return {(keys[account_pk], buyer_id): pk for account_pk, buyer_id, pk in rows}


def _order_row(plan: OrderPlan, *, account: SellerAccount, buyer_id: int, now: datetime) -> Order:
    """One order with a timeline that runs forward: purchased < shipped < delivered <
    returned < refunded, and nothing after ``now``."""
    purchased_at = now - timedelta(days=plan.days_ago)
    fbm = plan.channel == catalogue.FBM
    order = Order(
        seller_account=account,
        buyer_id=buyer_id,
        amazon_order_id=plan.amazon_order_id,
        purchased_at=purchased_at,
        fulfillment_channel=plan.channel,
        order_total=plan.total,
        currency="USD",
        latest_ship_date=purchased_at + timedelta(days=2 if fbm else 1),
        earliest_delivery_date=purchased_at + timedelta(days=3 if fbm else 1),
        latest_delivery_date=purchased_at + timedelta(days=7 if fbm else 2),
        status=Order.Status.UNSHIPPED,
    )
    if plan.cancelled_after_hours is not None:
        order.status = Order.Status.CANCELLED
        order.cancelled_at = purchased_at + timedelta(hours=plan.cancelled_after_hours)
        order.cancelled_by_buyer = plan.cancelled_by_buyer
        return order
    shipped_at = purchased_at + timedelta(hours=plan.ship_hours)
    if shipped_at > now:
        return order
    order.status, order.shipped_at = Order.Status.SHIPPED, shipped_at
    order.carrier, order.tracking_number = plan.carrier, plan.tracking_number
    delivered_at = shipped_at + timedelta(days=plan.transit_days)
    if delivered_at > now:
        return order
    order.status, order.delivered_at = Order.Status.DELIVERED, delivered_at
    if plan.return_after_days is not None:
        returned_at = delivered_at + timedelta(days=plan.return_after_days)
        refunded_at = returned_at + timedelta(days=1.5)
        order.returned_at = returned_at if returned_at <= now else None
        order.refunded_at = refunded_at if refunded_at <= now else None
    return order


# Everything but the key and the creation time is refreshed on every run.
ORDER_UPDATE_FIELDS = [
    f.name
    for f in Order._meta.concrete_fields
    if f.name not in ("id", "seller_account", "amazon_order_id", "created_at")
]


def _orders_upsert(
    plan: DemoPlan, accounts: dict[str, SellerAccount], buyers: dict[tuple[str, str], int], now: datetime
) -> dict[str, Order]:
    Order.objects.bulk_create(
        [
            _order_row(o, account=accounts[o.account], buyer_id=buyers[o.account, o.amazon_buyer_id], now=now)
            for o in plan.orders
        ],
        update_conflicts=True,
        unique_fields=["seller_account", "amazon_order_id"],
        update_fields=ORDER_UPDATE_FIELDS,
    )
    # Re-read for the primary keys (an upsert does not return them on every backend).
    ids = [o.amazon_order_id for o in plan.orders]
    orders = Order.objects.filter(seller_account__in=accounts.values(), amazon_order_id__in=ids)
    return {order.amazon_order_id: order for order in orders}


def _order_items_upsert(plan: DemoPlan, orders: dict[str, Order], products: dict[str, Product]) -> None:
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=orders[o.amazon_order_id],
                product=products[line.asin],
                quantity=line.quantity,
                unit_price=line.unit_price,
            )
            for o in plan.orders
            for line in o.lines
        ],
        update_conflicts=True,
        unique_fields=["order", "product"],
        update_fields=["quantity", "unit_price"],
    )


def _tickets_upsert(
    plan: DemoPlan,
    accounts: dict[str, SellerAccount],
    buyers: dict[tuple[str, str], int],
    orders: dict[str, Order],
    users: dict[str, User],
    now: datetime,
) -> dict[str, Ticket]:
    tickets = {}
    story_buyers = Buyer.objects.in_bulk(
        [buyers[spec.account, plan.story_buyer_ids[spec.buyer]] for spec in conversations.TICKETS]
    )
    for spec in conversations.TICKETS:
        account = accounts[spec.account]
        at = {id(m): now - timedelta(hours=m.hours_ago) for m in spec.messages}
        buyer = story_buyers[buyers[spec.account, plan.story_buyer_ids[spec.buyer]]]
        fields = {
            "order": orders[plan.story_order_ids[spec.order]] if spec.order else None,
            "kind": spec.kind,
            "status": spec.status,
            "priority": spec.priority,
            "assignee": users[spec.assignee] if spec.assignee else None,
            "no_response_needed": spec.no_response_needed,
            "last_message_at": max(at.values()),
            "created_at": min(at.values()),
        }
        ticket = Ticket.objects.filter(seller_account=account, subject=spec.subject).first()
        if ticket is None:
            # Opened as every channel opens one: audited, announced to the webhooks.
            ticket = ticket_open(
                seller_account=account, buyer=buyer, subject=spec.subject, actor=ACTOR, source="demo", **fields
            )
        else:
            # A re-seed moves the story with ``now``: the same row, no new audit event.
            ticket.buyer = buyer
            for name, value in fields.items():
                setattr(ticket, name, value)
            ticket.save()
        _conversation_replay(ticket, spec, at, users.get(spec.assignee or "agent"))
        tickets[spec.key] = ticket
    return tickets


def _conversation_replay(ticket: Ticket, spec: conversations.StoryTicket, at: dict, agent: User | None) -> None:
    """Write the story's messages in the order they happened, with the response facts the
    live SLA clock stores (``tickets.sla``), derived by its own rules: a buyer message is
    due ``sla_due_at_for`` its arrival; each real reply calls ``sla_record_response``, which
    stamps ``responded_at`` on every buyer message waiting before it (automated messages
    and notes answer nothing); "no response needed" marks the ones still waiting. The
    ticket's clock is then the earliest due time of its unanswered messages.

    A defence ticket's clock is its claim's or chargeback's deadline: ``_claims_upsert``
    sets it through the claims intake, so it is left alone here."""
    defence = ticket.kind in DEFENCE_KINDS
    ticket.first_response_at = None  # recorded again by the first reply of the replay
    for number, message in sorted(enumerate(spec.messages, start=1), key=lambda n_m: at[id(n_m[1])]):
        received_at = at[id(message)]
        _message_upsert(ticket, spec.key, number, message, received_at, agent)
        if message.direction == conversations.OUT and not message.automated:
            sla_record_response(ticket=ticket, at=received_at)
    if spec.no_response_needed:
        # What ticket_mark_no_response_needed does to the messages, without its audit
        # event: a re-seed must add no rows.
        Message.objects.filter(UNANSWERED, ticket=ticket).update(no_response_needed=True)
    # As live: the earliest unanswered message's clock, whatever the story's status.
    running = not spec.no_response_needed
    waiting = ticket.messages.filter(UNANSWERED).aggregate(due=Min("response_due_at"))["due"]
    update_fields = ["first_response_at", "updated_at"]
    if not defence:
        ticket.sla_due_at = waiting if running else None
        update_fields.append("sla_due_at")
    ticket.save(update_fields=update_fields)


def _message_upsert(
    ticket: Ticket, key: str, number: int, spec: conversations.StoryMessage, at: datetime, agent: User | None
) -> None:
    values = {"created_at": at, "sent_at": None if spec.direction == conversations.NOTE else at}
    if spec.direction == conversations.IN:
        # Amazon's message id makes buyer messages idempotent, as in the real ingest. The
        # response facts start as on arrival (inbound_message_receive); the replay's
        # replies and marks complete them.
        facts = {
            "response_due_at": sla_due_at_for(
                received_at=at, seller_account=ticket.seller_account, ticket_kind=ticket.kind
            ),
            "responded_at": None,
            "no_response_needed": False,
        }
        Message.objects.update_or_create(
            seller_account_id=ticket.seller_account_id,
            external_id=f"demo-{ticket.seller_account_id}-{key}-{number}",
            defaults={**values, **facts, "ticket": ticket, "direction": spec.direction, "body": spec.body},
        )
    else:
        Message.objects.update_or_create(
            ticket=ticket,
            direction=spec.direction,
            body=spec.body,
            defaults={**values, "author": None if spec.automated else agent, "is_automated": spec.automated},
        )


def _feedback_upsert(plan: DemoPlan, orders: dict[str, Order], tickets: dict[str, Ticket], now: datetime) -> None:
    rows = [
        SellerFeedback(
            order=orders[f.amazon_order_id],
            rating=f.rating,
            comment=f.comment,
            left_at=now - timedelta(hours=f.hours_ago),
        )
        for f in plan.feedback
    ]
    for f in feedback.FEEDBACK:
        removed_at = _ago(now, hours=f.removed_hours_ago)
        rows.append(
            SellerFeedback(
                order=orders[plan.story_order_ids[f.order]],
                rating=f.rating,
                comment=f.comment,
                left_at=now - timedelta(hours=f.hours_ago),
                removed=removed_at is not None,
                removed_at=removed_at,
                ticket=tickets[f.ticket] if f.ticket else None,
            )
        )
    SellerFeedback.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["order"],
        update_fields=["rating", "comment", "left_at", "removed", "removed_at", "ticket", "updated_at"],
    )


def _ago(now: datetime, *, hours: float | None = None, days: float | None = None) -> datetime | None:
    if hours is None and days is None:
        return None
    return now - timedelta(hours=hours or 0, days=days or 0)


def _claims_upsert(plan: DemoPlan, orders: dict[str, Order], tickets: dict[str, Ticket], now: datetime) -> None:
    """Open claims and chargebacks arrive through the claims intake, as from Amazon: it sets
    the deadline and opens the defence ticket due then (or makes a story's ticket the
    defence ticket). The decided ones are history in the ODR window, written as rows: their
    decision date moves with ``now`` on every run, which the intake would audit as an update
    each time."""
    for claim in feedback.CLAIMS:
        order = orders[plan.story_order_ids[claim.order]]
        values = {
            "filed_at": now - timedelta(hours=claim.filed_hours_ago),
            "reason": claim.reason,
            "amount": order.order_total,
            "status": claim.status,
            "decided_at": _ago(now, hours=claim.decided_hours_ago),
            "buy_shipping_protected": claim.buy_shipping_protected,
        }
        _case_upsert(
            model=AtoZClaim,
            key={"claim_id": f"AZ-{order.amazon_order_id}"},
            order=order,
            values=values,
            ticket=tickets[claim.ticket] if claim.ticket else None,
            record=a_to_z_claim_record,
            respond_within=a_to_z_respond_within(),
            tickets=tickets,
        )
    for chargeback in feedback.CHARGEBACKS:
        order = orders[plan.story_order_ids[chargeback.order]]
        values = {
            "kind": chargeback.kind,
            "filed_at": now - timedelta(hours=chargeback.filed_hours_ago),
            "amount": order.order_total,
            "status": chargeback.status,
            "decided_at": _ago(now, hours=chargeback.decided_hours_ago),
        }
        _case_upsert(
            model=Chargeback,
            key={"chargeback_id": f"CB-{order.amazon_order_id}"},
            order=order,
            values=values,
            ticket=tickets[chargeback.ticket] if chargeback.ticket else None,
            record=chargeback_record,
            respond_within=CHARGEBACK_RESPOND_WITHIN,
            tickets=tickets,
        )


def _case_upsert(
    *, model, key: dict, order: Order, values: dict, ticket, record, respond_within: timedelta, tickets
) -> None:
    """One demo claim or chargeback: an open one through its intake (``record``), a decided
    one as a row with the intake's deadline rule."""
    stored = model.objects.filter(seller_account_id=order.seller_account_id, **key)
    if values["status"] in model.OPEN_STATUSES:
        _demo_clock_move(stored, filed_at=values["filed_at"], tickets=tickets)
        if ticket is not None:
            values["ticket"] = ticket
        record(order=order, **key, values=values, actor=CLAIMS_ACTOR)
    else:
        stored.update_or_create(
            seller_account_id=order.seller_account_id,
            **key,
            defaults={**values, "order": order, "respond_by": values["filed_at"] + respond_within, "ticket": None},
        )


def _demo_clock_move(stored: QuerySet, *, filed_at: datetime, tickets: dict[str, Ticket]) -> None:
    """On a later run, move a stored open claim or chargeback and its defence ticket's
    clock by the time that passed, as every demo row moves with ``now``. The intake then
    finds it as it would record it today and writes nothing: no audit event per re-seed,
    and the deadline stays the intake's."""
    # A demo seeded before defence tickets linked the claim to the buyer's conversation.
    stored.exclude(ticket__kind__in=DEFENCE_KINDS).update(ticket=None)
    case = stored.select_related("ticket").first()
    if case is None or case.filed_at == filed_at:
        return
    shift = filed_at - case.filed_at
    ticket = case.ticket
    stored.update(filed_at=F("filed_at") + shift, respond_by=F("respond_by") + shift)
    if ticket is not None and ticket.sla_due_at == case.respond_by:
        # Through save(), which keeps what the model derives from the clock.
        ticket.sla_due_at += shift
        moved = ["sla_due_at", "updated_at"]
        if ticket.pk not in {t.pk for t in tickets.values()}:
            ticket.created_at += shift  # the intake's ticket; story tickets date their own
            moved.append("created_at")
        ticket.save(update_fields=moved)


def _reviews_upsert(
    plan: DemoPlan,
    accounts: dict[str, SellerAccount],
    products: dict[str, Product],
    orders: dict[str, Order],
    users: dict[str, User],
    tickets: dict[str, Ticket],
    now: datetime,
) -> None:
    for spec in feedback.REVIEWS:
        order = orders[plan.story_order_ids[spec.order]] if spec.order else None
        review_id = _review_id(spec.key)
        payload = {
            "seller_account": accounts[spec.account],
            "product": products[spec.asin],
            "amazon_review_id": review_id,
            "title": spec.title,
            "body": spec.body,
            "verified_purchase": spec.verified_purchase,
            "reviewed_at": now - timedelta(days=spec.days_ago),
            "order": order,
            "buyer": order.buyer if order else None,
            # Not ACTOR: the seed's own audit events are one per ticket (tests count them).
            "actor": REVIEWS_ACTOR,
        }
        # Through review_record like real ingest, so outreach cases and theme matches exist.
        # A rating the buyer changed is replayed once: first the original, then the new one.
        ratings = {spec.rating}
        if spec.rating_change:
            from_rating, _, changed_days_ago = spec.rating_change
            ratings.add(from_rating)
            if not ProductReview.objects.filter(
                seller_account=payload["seller_account"], amazon_review_id=review_id
            ).exists():
                review_record(**payload, rating=from_rating)
            review, _ = review_record(**payload, rating=spec.rating, observed_at=now - timedelta(days=changed_days_ago))
        else:
            review, _ = review_record(**payload, rating=spec.rating)
        # Amazon's Contact Customer tool covers verified 1–3★ reviews; a case stays
        # when the buyer later raises the rating on their own.
        if not spec.verified_purchase or min(ratings) > 3:
            continue
        outreach = spec.outreach
        ReviewOutreachCase.objects.update_or_create(
            review=review,
            defaults={
                "status": outreach.status,
                "contact_reason": outreach.contact_reason,
                "contacted_at": _ago(now, days=outreach.contacted_days_ago),
                "resolution": outreach.resolution,
                "resolved_at": _ago(now, days=outreach.resolved_days_ago),
                "assignee": users["agent2" if spec.account == "nordic" else "agent"],
                "ticket": tickets[outreach.ticket] if outreach.ticket else None,
                "review_updated_from": spec.rating_change[0] if spec.rating_change else None,
                "review_updated_to": spec.rating_change[1] if spec.rating_change else None,
            },
        )


def _review_id(key: str) -> str:
    # Amazon review ids look like R2X8K3JH4P1YQ7; derive a stable one from the story key.
    return "R" + hashlib.sha256(f"review:{key}".encode()).hexdigest()[:13].upper()


def _summary(plan: DemoPlan) -> DemoSummary:
    in_window = {
        o.amazon_order_id
        for o in plan.orders
        if o.account == catalogue.BREWLINE.key and o.channel == catalogue.FBM and o.days_ago < 60
    }
    defective = {plan.story_order_ids[key] for key in feedback.COUNTED_DEFECT_ORDERS}
    models = (SellerAccount, Product, Buyer, Order, OrderItem, Ticket, Message, SellerFeedback, AtoZClaim, Chargeback)
    models += (ProductReview, ReviewOutreachCase)
    return DemoSummary(
        users=USERS,
        counts={str(model._meta.verbose_name_plural): model.objects.count() for model in models},
        odr_account=catalogue.BREWLINE.name,
        odr_orders=len(in_window),
        odr_defective_orders=len(defective & in_window),
    )
