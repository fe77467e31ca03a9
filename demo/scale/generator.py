"""The generator: one pass over the orders, writing each order's whole story.

Decisions are drawn from one seeded ``random.Random``, so a seed always gives the same
data. Dates are consistent with each other and never in the future: items ship after
purchase, claims follow delivery, a ticket's messages fall between its order and now.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from django.utils import timezone

from reviews.models import ProductReview, ReviewOutreachCase, ReviewRatingChange, SellerFeedback
from tickets.models import AtoZClaim, Buyer, Chargeback, Message, Order, OrderItem, Ticket
from tickets.models.tickets import AT_RISK_WINDOW

from .shape import (
    A_TO_Z_REASONS,
    A_TO_Z_STATUSES,
    CHARGEBACK_STATUSES,
    CHUNK_ORDERS,
    DEFECT_KINDS,
    DEFECT_RATE,
    FBA_SHARE,
    FIRST_NAMES,
    HISTORY,
    INBOUND,
    LAST_NAMES,
    NEGATIVE_FEEDBACK,
    NEW_BUYER_SHARE,
    NOTES,
    ORDER_ID_MULTIPLIER,
    ORDER_ID_SPACE,
    ORDER_PREFIX,
    OUTBOUND,
    OUTREACH_STATUSES,
    POSITIVE_FEEDBACK,
    POSITIVE_FEEDBACK_RATE,
    PRIORITIES,
    RESOLUTIONS,
    REVIEW_RATE,
    REVIEW_RATINGS,
    REVIEW_TITLES,
    TICKET_KINDS,
    TICKET_STATUSES,
)
from .writer import TableSink, Weighted


@dataclass
class Account:
    pk: int
    currency: str
    sla_hours: int
    products: list[tuple[int, str, Decimal]]  # pk, title, price
    agents: list[int]
    buyers: list[int] = field(default_factory=list)


class Generator:
    def __init__(self, *, run: int, seed: int, accounts: list[Account], log: Callable[[str], None]):
        self.run = run
        self.rng = random.Random(seed * 1000 + run)
        self.accounts = accounts
        self.log = log
        self.now = timezone.now()
        # Parents before children: PostgreSQL checks each foreign key as the row arrives.
        self.buyers = TableSink(
            Buyer,
            "id seller_account_id amazon_buyer_id name email opted_out_of_proactive_messages created_at",
        )
        self.orders = TableSink(
            Order,
            "id seller_account_id buyer_id amazon_order_id purchased_at fulfillment_channel status "
            "order_total currency latest_ship_date earliest_delivery_date latest_delivery_date "
            "shipped_at carrier tracking_number delivered_at returned_at refunded_at cancelled_at "
            "cancelled_by_buyer created_at updated_at",
        )
        self.items = TableSink(OrderItem, "id order_id product_id quantity unit_price")
        self.tickets = TableSink(
            Ticket,
            "id seller_account_id buyer_id order_id subject kind status priority assignee_id "
            "sla_due_at first_response_at no_response_needed last_message_at created_at updated_at sla_at_risk_at",
        )
        self.messages = TableSink(
            Message,
            "id ticket_id direction author_id body external_id is_automated created_at sent_at "
            "response_due_at responded_at no_response_needed seller_account_id",
        )
        self.feedback = TableSink(
            SellerFeedback, "id order_id rating comment left_at removed removed_at ticket_id created_at updated_at"
        )
        self.claims = TableSink(
            AtoZClaim,
            "id order_id claim_id filed_at reason amount currency status respond_by decided_at "
            "buy_shipping_protected ticket_id created_at updated_at seller_account_id",
        )
        self.chargebacks = TableSink(
            Chargeback,
            "id order_id chargeback_id kind filed_at amount currency status respond_by decided_at "
            "ticket_id created_at updated_at seller_account_id",
        )
        self.reviews = TableSink(
            ProductReview,
            "id seller_account_id product_id amazon_review_id order_id buyer_id rating title body "
            "verified_purchase reviewed_at created_at updated_at",
        )
        self.rating_changes = TableSink(ReviewRatingChange, "id review_id from_rating to_rating changed_at")
        self.outreach = TableSink(
            ReviewOutreachCase,
            "id review_id status contact_reason contacted_at resolution resolved_at assignee_id "
            "ticket_id review_updated_from review_updated_to created_at updated_at",
        )
        self.sinks = [
            self.buyers, self.orders, self.items, self.tickets, self.messages, self.feedback, self.claims,
            self.chargebacks, self.reviews, self.rating_changes, self.outreach,
        ]  # fmt: skip
        # Account sizes fall off like real agency portfolios: one big brand, a long tail.
        self.pick_account = Weighted([(a, 1 / (i + 1)) for i, a in enumerate(accounts)])
        self.pick_items = Weighted([(1, 62), (2, 28), (3, 10)])
        self.pick_quantity = Weighted([(1, 90), (2, 8), (3, 2)])
        self.pick_ticket_kind = Weighted([((kind, subject), w) for kind, w, subject in TICKET_KINDS])
        self.pick_ticket_status = Weighted(TICKET_STATUSES)
        self.pick_priority = Weighted(PRIORITIES)
        self.pick_message_count = Weighted([(1, 25), (2, 25), (3, 20), (4, 15), (5, 10), (6, 5)])
        self.pick_defect = Weighted(DEFECT_KINDS)
        self.pick_a_to_z_status = Weighted(A_TO_Z_STATUSES)
        self.pick_chargeback_status = Weighted(CHARGEBACK_STATUSES)
        self.pick_rating = Weighted(REVIEW_RATINGS)
        self.pick_outreach_status = Weighted(OUTREACH_STATUSES)
        self.pick_resolution = Weighted(RESOLUTIONS)

    # -- plan -----------------------------------------------------------------------
    def _plan(self, *, orders: int, tickets: int) -> tuple[dict[int, str], set[int]]:
        """Which orders (by position) get a defect and which get a ticket.

        Defects skip the last week of orders (no claim is filed the day after purchase);
        every defect the CSM defends gets a ticket, the other tickets fall on random orders.
        """
        rng = self.rng
        eligible = max(1, int(orders * (HISTORY - timedelta(days=7)) / HISTORY))
        defective = rng.sample(range(eligible), min(eligible, round(orders * DEFECT_RATE)))
        # The sample is in random order, so the kinds (in exact proportions) land at random.
        defects = dict(zip(defective, self.pick_defect.spread(len(defective)), strict=True))
        defended = sorted(i for i, kind in defects.items() if kind != "chargeback_fraud")[:tickets]
        ticketed = set(defended)
        for i in rng.sample(range(orders), min(orders, tickets + len(defended))):
            if len(ticketed) == tickets:
                break
            ticketed.add(i)
        return defects, ticketed

    # -- main loop ------------------------------------------------------------------
    def generate(self, *, orders: int, tickets: int, started: float) -> None:
        defects, ticketed = self._plan(orders=orders, tickets=tickets)
        start = self.now - HISTORY
        step = HISTORY / orders
        for chunk_start in range(0, orders, CHUNK_ORDERS):
            for i in range(chunk_start, min(orders, chunk_start + CHUNK_ORDERS)):
                # Ids rise with purchase time, as they do when orders are ingested daily.
                purchased_at = start + step * (i + self.rng.random())
                self._order(i, purchased_at, defect=defects.get(i), ticketed=i in ticketed)
            for sink in self.sinks:
                sink.flush()
            done = min(orders, chunk_start + CHUNK_ORDERS)
            self.log(
                f"orders {done:,}/{orders:,}  tickets {self.tickets.written:,}  "
                f"messages {self.messages.written:,}  ({time.monotonic() - started:.1f} s)"
            )

    def _order(self, i: int, purchased_at: datetime, *, defect: str | None, ticketed: bool) -> None:
        rng, now = self.rng, self.now
        account = self.pick_account(rng)
        buyer_id = self._buyer(account, purchased_at)
        order_id = self.orders.take_id()
        fba = rng.random() < FBA_SHARE
        age = now - purchased_at

        items = rng.sample(account.products, self.pick_items(rng))
        total = Decimal(0)
        for product_id, _title, price in items:
            quantity = self.pick_quantity(rng)
            total += price * quantity
            self.items.add((self.items.take_id(), order_id, product_id, quantity, price))

        status = "unshipped"
        shipped_at = delivered_at = returned_at = refunded_at = cancelled_at = None
        carrier = tracking = ""
        cancelled_by_buyer = False
        if defect is None and rng.random() < 0.02:
            status = "cancelled"
            cancelled_at = min(now, purchased_at + timedelta(hours=rng.uniform(0.2, 30)))
            cancelled_by_buyer = rng.random() < 0.6
        elif age < timedelta(hours=6) and rng.random() < 0.3:
            status = "pending"
        else:
            shipped = purchased_at + timedelta(hours=rng.uniform(2, 20 if fba else 44))
            if shipped < now:
                status, shipped_at = "shipped", shipped
                if fba:
                    carrier, tracking = "Amazon Logistics", f"TBA{rng.randrange(10**12):012d}"
                elif rng.random() < 0.5:
                    carrier, tracking = "UPS", f"1Z{rng.getrandbits(56):014X}"
                else:
                    carrier, tracking = "USPS", f"9400{rng.randrange(10**18):018d}"
                delivered = shipped + timedelta(hours=rng.uniform(20, 60 if fba else 130))
                # A few parcels never arrive: those are the "item not received" claims.
                if delivered < now and rng.random() > 0.02:
                    status, delivered_at = "delivered", delivered
                    if rng.random() < 0.04:
                        returned = delivered + timedelta(days=rng.uniform(2, 20))
                        if returned < now:
                            returned_at, refunded_at = returned, min(now, returned + timedelta(days=1))
        updated_at = max(d for d in (purchased_at, shipped_at, delivered_at, refunded_at, cancelled_at) if d)
        amazon_order_id = self._amazon_order_id(i)
        self.orders.add((
            order_id, account.pk, buyer_id, amazon_order_id, purchased_at, "FBA" if fba else "FBM", status,
            total, account.currency, purchased_at + timedelta(days=2), purchased_at + timedelta(days=3 if fba else 4),
            purchased_at + timedelta(days=5 if fba else 8), shipped_at, carrier, tracking, delivered_at, returned_at,
            refunded_at, cancelled_at, cancelled_by_buyer, purchased_at, updated_at,
        ))  # fmt: skip

        order = OrderFacts(order_id, amazon_order_id, account, buyer_id, purchased_at, total, items[0][1])
        ticket_id = None
        defence = None
        if defect == "feedback":
            defence = self._negative_feedback(order)
        elif defect == "a_to_z":
            defence = self._a_to_z_claim(order, with_feedback=rng.random() < 0.15)
        elif defect in ("chargeback_service", "chargeback_fraud"):
            defence = self._chargeback(order, kind=defect.removeprefix("chargeback_"))
        elif rng.random() < POSITIVE_FEEDBACK_RATE and status == "delivered":
            self._feedback(order, rating=rng.choice((3, 4, 4, 5, 5, 5, 5)), left_after=delivered_at)
        if ticketed:
            ticket_id = self._ticket(order, defence=defence)
        if defence is not None:
            defence.link(ticket_id)
        if delivered_at is not None and rng.random() < REVIEW_RATE:
            self._review(order, items, delivered_at)

    def _amazon_order_id(self, i: int) -> str:
        digits = f"{(i * ORDER_ID_MULTIPLIER + 1) % ORDER_ID_SPACE:014d}"
        return f"{ORDER_PREFIX}{self.run:02d}-{digits[:7]}-{digits[7:]}"

    def _buyer(self, account: Account, purchased_at: datetime) -> int:
        rng = self.rng
        if account.buyers and rng.random() > NEW_BUYER_SHARE:
            return rng.choice(account.buyers)
        buyer_id = self.buyers.take_id()
        amazon_buyer_id = f"S{self.run:02d}BUYER{buyer_id:010d}"
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = f"{amazon_buyer_id.lower()}@marketplace.amazon.com"
        self.buyers.add((buyer_id, account.pk, amazon_buyer_id, name, email, rng.random() < 0.08, purchased_at))
        account.buyers.append(buyer_id)
        return buyer_id

    # -- defects ----------------------------------------------------------------------
    def _after(self, moment: datetime, *, min_days: float, max_days: float) -> datetime:
        """A moment some days after ``moment``, never in the future."""
        return min(self.now - timedelta(minutes=5), moment + timedelta(days=self.rng.uniform(min_days, max_days)))

    def _feedback(self, order: "OrderFacts", *, rating: int, left_after: datetime) -> "Defence":
        rng = self.rng
        left_at = max(order.purchased_at, self._after(left_after, min_days=1, max_days=25))
        removed = rating <= 2 and rng.random() < 0.08
        removed_at = self._after(left_at, min_days=1, max_days=10) if removed else None
        comment = rng.choice(NEGATIVE_FEEDBACK if rating <= 2 else POSITIVE_FEEDBACK)
        row = [self.feedback.take_id(), order.pk, rating, comment, left_at, removed, removed_at, None, left_at,
               removed_at or left_at]  # fmt: skip
        self.feedback.add(row)  # a list until the ticket is known (see Defence.link)
        return Defence(
            kind=Ticket.Kind.NEGATIVE_FEEDBACK,
            subject=f"{rating}★ feedback on order {order.amazon_order_id}",
            is_open=not removed and self.now - left_at < timedelta(days=14),
            since=left_at,
            rows=[(row, 7)],
        )

    def _negative_feedback(self, order: "OrderFacts") -> "Defence":
        return self._feedback(order, rating=1 if self.rng.random() < 0.6 else 2, left_after=order.purchased_at)

    def _a_to_z_claim(self, order: "OrderFacts", *, with_feedback: bool) -> "Defence":
        rng = self.rng
        status = self.pick_a_to_z_status(rng)
        is_open = status in AtoZClaim.OPEN_STATUSES
        if status in ("open", "action_required"):
            # Amazon gives 3 days to answer, so an open claim was filed in the last days.
            filed_at = max(order.purchased_at + timedelta(hours=1), self.now - timedelta(days=rng.uniform(0, 3)))
        else:
            filed_at = max(order.purchased_at, self._after(order.purchased_at, min_days=7, max_days=45))
        decided_at = None if is_open else self._after(filed_at, min_days=2, max_days=14)
        protected = status == "granted_amazon_funded" and rng.random() < 0.5
        claim_pk = self.claims.take_id()
        row = [claim_pk, order.pk, f"S{self.run:02d}AZ{claim_pk:09d}", filed_at,
               rng.choice(A_TO_Z_REASONS), order.total, order.account.currency, status,
               filed_at + timedelta(days=3), decided_at, protected, None, filed_at, decided_at or filed_at,
               order.account.pk]  # fmt: skip
        self.claims.add(row)
        rows = [(row, 11)]
        if with_feedback:
            rows += self._negative_feedback(order).rows
        return Defence(
            kind=Ticket.Kind.A_TO_Z_DEFENCE,
            subject=f"A-to-z claim {row[2]} on order {order.amazon_order_id}",
            is_open=is_open,
            since=filed_at,
            rows=rows,
            urgent=status == "action_required",
        )

    def _chargeback(self, order: "OrderFacts", *, kind: str) -> "Defence":
        rng = self.rng
        status = self.pick_chargeback_status(rng)
        is_open = status in Chargeback.OPEN_STATUSES
        if is_open:
            filed_at = max(order.purchased_at + timedelta(hours=1), self.now - timedelta(days=rng.uniform(0, 7)))
        else:
            filed_at = max(order.purchased_at, self._after(order.purchased_at, min_days=10, max_days=60))
        decided_at = None if is_open else self._after(filed_at, min_days=5, max_days=30)
        chargeback_pk = self.chargebacks.take_id()
        row = [chargeback_pk, order.pk, f"S{self.run:02d}CB{chargeback_pk:09d}", kind,
               filed_at, order.total, order.account.currency, status, filed_at + timedelta(days=7), decided_at, None,
               filed_at, decided_at or filed_at, order.account.pk]  # fmt: skip
        self.chargebacks.add(row)
        # Payment fraud is Amazon's business: no defence ticket (see _plan).
        return Defence(
            kind=Ticket.Kind.CHARGEBACK,
            subject=f"Chargeback {row[2]} on order {order.amazon_order_id}",
            is_open=is_open,
            since=filed_at,
            rows=[(row, 10)],
        )

    # -- tickets ----------------------------------------------------------------------
    def _ticket(self, order: "OrderFacts", *, defence: "Defence | None") -> int:
        rng, now = self.rng, self.now
        account = order.account
        ticket_id = self.tickets.take_id()
        order_pk: int | None = order.pk
        if defence is not None:
            kind, subject = defence.kind, defence.subject
            status = (
                rng.choice(("new", "open", "open", "pending"))
                if defence.is_open
                else rng.choice(("solved", "closed", "closed"))
            )
            priority = 4 if defence.urgent else 3
            earliest = defence.since
        else:
            kind, subject = self.pick_ticket_kind(rng)
            subject = subject.format(oid=order.amazon_order_id, product=order.product_title)
            status = self.pick_ticket_status(rng)
            priority = self.pick_priority(rng)
            earliest = order.purchased_at
            if kind == Ticket.Kind.INQUIRY and rng.random() < 0.3:
                # A question before buying: the buyer is known, the order is not linked.
                order_pk, subject = None, f"Question about the {order.product_title}"

        directions = self._directions(status, defence=defence is not None)
        no_response_needed = False
        if status in ("solved", "closed") and len(directions) < 6 and rng.random() < 0.08:
            directions.append("inbound")  # "Thanks!" that needs no answer
            no_response_needed = True

        # The gaps between messages: minutes around notes, our answer within a day
        # or so, the buyer's reply within days.
        gaps = [
            timedelta(hours=rng.uniform(0.1, 2))
            if "note" in (previous, current)
            else timedelta(hours=rng.uniform(0.5, 30) if current == "outbound" else rng.uniform(1, 72))
            for previous, current in pairwise(directions)
        ]
        lowest_end = earliest + timedelta(minutes=10) + sum(gaps, timedelta())
        is_open = status in ("new", "open")
        if is_open:
            # The oldest unanswered buyer message sets the clock: spread the due times
            # from a few days breached to a full SLA ahead.
            if rng.random() < 0.15:
                due = now - timedelta(hours=rng.uniform(0, 72))
            else:
                due = now + timedelta(hours=rng.uniform(0, account.sla_hours))
            end = max(lowest_end, due - timedelta(hours=account.sla_hours))
        elif status == "pending":
            end = max(lowest_end, now - timedelta(hours=rng.uniform(1, 120)))
        else:
            # Settled within a month of the order, and before now.
            end = lowest_end + max(timedelta(), min(now, lowest_end + timedelta(days=30)) - lowest_end) * rng.random()
        end = min(now - timedelta(seconds=1), end)

        times = [end]
        for gap in reversed(gaps):
            times.append(times[-1] - gap)
        times.reverse()
        if times[0] < earliest:
            # Too recent for the whole conversation: squeeze it between the order (or
            # the defect) and now.
            span = (end - earliest) / max(end - times[0], timedelta(seconds=1))
            times = [end - (end - t) * span for t in times]

        assignee = None if status == "new" and rng.random() < 0.7 else rng.choice(account.agents)
        first_response_at = None
        unanswered_since = None
        # The clock per buyer message, as tickets.sla keeps it: due SLA hours after it
        # arrives, answered by the next real reply (which answers every waiting message).
        unanswered: list[list] = []
        for direction, at in zip(directions, times, strict=True):
            message_id = self.messages.take_id()
            external_id = None if direction == "note" else f"S{self.run:02d}M{message_id:010d}"
            author = None if direction == "inbound" else assignee or rng.choice(account.agents)
            body = rng.choice(INBOUND if direction == "inbound" else OUTBOUND if direction == "outbound" else NOTES)
            row = [message_id, ticket_id, direction, author, body, external_id, False, at,
                   None if direction == "note" else at, None, None, False,
                   None if external_id is None else account.pk]  # fmt: skip
            if direction == "inbound":
                row[9] = at + timedelta(hours=account.sla_hours)
                unanswered.append(row)
                unanswered_since = unanswered_since or at
            elif direction == "outbound":
                for waiting in unanswered:
                    waiting[10] = at
                unanswered = []
                first_response_at = first_response_at or at
                unanswered_since = None
            self.messages.add(row)
        if no_response_needed:
            unanswered[-1][11] = True  # the closing "thanks"
        sla_due_at = unanswered_since + timedelta(hours=account.sla_hours) if is_open and unanswered_since else None
        self.tickets.add((
            ticket_id, account.pk, order.buyer_id, order_pk, subject[:300], kind, status, priority, assignee,
            sla_due_at, first_response_at, no_response_needed, times[-1], times[0], times[-1],
            # No SLA policies in the scale data: the default warning (tickets.sla).
            sla_due_at - AT_RISK_WINDOW if sla_due_at else None,
        ))  # fmt: skip
        return ticket_id

    def _directions(self, status: str, *, defence: bool) -> list[str]:
        """Who wrote each message, consistent with the status.

        New: the buyer wrote and nobody answered. Open: the buyer wrote last.
        Pending, solved, closed: we wrote last. Defences start with an internal note.
        """
        rng = self.rng
        n = self.pick_message_count(rng) - (1 if defence else 0)
        if status == "new":
            directions = ["inbound"] * min(max(n, 1), 2)
        else:
            # Open: an odd count (the buyer wrote first and last); otherwise even (we wrote last).
            cap = 5 if defence else 6
            n = min(n, cap)
            if n % 2 != (status == "open"):
                n = n + 1 if n < cap else n - 1
            n = max(n, 1 if status == "open" else 2)
            directions = ["inbound" if k % 2 == 0 else "outbound" for k in range(n)]
            if 2 <= len(directions) < cap and rng.random() < 0.25:
                directions.insert(rng.randint(1, len(directions) - 1), "note")
        return ["note", *directions] if defence else directions

    # -- reviews ----------------------------------------------------------------------
    def _review(self, order: "OrderFacts", items: list, delivered_at: datetime) -> None:
        rng, now = self.rng, self.now
        reviewed_at = delivered_at + timedelta(days=rng.uniform(1, 20))
        if reviewed_at >= now:
            return
        rating = self.pick_rating(rng)
        review_id = self.reviews.take_id()
        # Brand Registry matches only some reviews to their order.
        matched = rng.random() < 0.7
        self.reviews.add((
            review_id, order.account.pk, rng.choice(items)[0], f"RS{self.run:02d}{review_id:011d}",
            order.pk if matched else None, order.buyer_id if matched else None, rating, REVIEW_TITLES[rating],
            f"{REVIEW_TITLES[rating]}. " + rng.choice(INBOUND), rng.random() < 0.95, reviewed_at, reviewed_at,
            reviewed_at,
        ))  # fmt: skip
        if rating > 3:
            return
        status = self.pick_outreach_status(rng)
        created_at = min(now, reviewed_at + timedelta(hours=rng.uniform(1, 12)))
        contacted_at = reason = resolved_at = None
        resolution = ""
        updated_from = updated_to = None
        if status in ("contacted", "resolved") or (status == "closed" and rng.random() < 0.5):
            contacted_at = created_at + timedelta(hours=rng.uniform(1, 72))
            reason = rng.choice(("courtesy_refund", "customer_support"))
            if contacted_at >= now:
                status, contacted_at, reason = "new", None, None
        if status == "resolved":
            resolved_at = contacted_at + timedelta(days=rng.uniform(1, 7))
            if resolved_at >= now:
                status, resolved_at = "contacted", None
            else:
                resolution = self.pick_resolution(rng)
                changed_at = resolved_at + timedelta(days=rng.uniform(1, 10))
                if rng.random() < 0.2 and changed_at < now:
                    # The buyer raised the rating on their own; we never ask for it.
                    updated_from, updated_to = rating, rng.randint(rating + 1, 5)
                    self.rating_changes.add(
                        (self.rating_changes.take_id(), review_id, updated_from, updated_to, changed_at)
                    )
        assignee = rng.choice(order.account.agents) if status != "new" or rng.random() < 0.3 else None
        self.outreach.add((
            self.outreach.take_id(), review_id, status, reason or "", contacted_at, resolution, resolved_at, assignee,
            None, updated_from, updated_to, created_at, resolved_at or contacted_at or created_at,
        ))  # fmt: skip


@dataclass
class OrderFacts:
    """What the defect, ticket and review generators need to know about an order."""

    pk: int
    amazon_order_id: str
    account: Account
    buyer_id: int
    purchased_at: datetime
    total: Decimal
    product_title: str


@dataclass
class Defence:
    """A defect row (or rows) waiting for its defence ticket's id."""

    kind: str
    subject: str
    is_open: bool
    since: datetime
    rows: list[tuple[list, int]]  # (row, index of its ticket_id column)
    urgent: bool = False

    def link(self, ticket_id: int | None) -> None:
        for row, index in self.rows:
            row[index] = ticket_id
