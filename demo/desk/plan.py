"""The demo data as a plan: every buyer, order and feedback row, with times as offsets.

Pure and deterministic: the plan depends only on a fixed seed and the story orders in
``demo.desk.catalogue``, never on the clock or the database, so every run plans the
same rows with the same natural keys (Amazon ids), and relative facts such as
"delivered" or "has feedback" never flip between runs. ``demo.desk.seed`` anchors
the offsets on ``now``.
"""

import random
import string
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .catalogue import ACCOUNTS, BUYERS, FBA, FBM, ORDERS, AccountSpec, ProductSpec

SEED = 20_240_611
# Background orders stay clear of the 60-day ODR window's edge, like the story orders.
IN_WINDOW_DAYS = (0.3, 58.0)
OLDER_DAYS = (62.0, 89.5)

# Whitespace-separated, to keep the lists short on the page.
FIRST_NAMES = (  # noqa: SIM905
    "Olivia Liam Emma Noah Ava Elijah Sophia James Isabella William Mia Benjamin Charlotte Lucas Amelia Henry "
    "Harper Theodore Evelyn Jack Abigail Levi Emily Alexander Ella Jackson Elizabeth Mateo Camila Daniel Luna "
    "Michael Sofia Mason Avery Sebastian Mila Ethan Aria Logan Scarlett Owen Penelope Samuel Layla Jacob Chloe"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall"
).split()

POSITIVE_FEEDBACK = (
    "Fast shipping, exactly as described.",
    "Well packed and arrived early.",
    "Great seller, would buy again.",
    "Item as pictured, quick delivery.",
    "Arrived on time, works perfectly.",
    "Smooth transaction, thank you!",
    "Excellent communication and fast dispatch.",
)
NEUTRAL_FEEDBACK = (
    "Item fine, delivery took a few days longer than promised.",
    "Product OK, box was a bit dented.",
)


@dataclass(frozen=True)
class BuyerPlan:
    account: str
    amazon_buyer_id: str
    name: str
    email: str


@dataclass(frozen=True)
class LinePlan:
    asin: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class OrderPlan:
    account: str
    amazon_order_id: str
    amazon_buyer_id: str
    channel: str
    days_ago: float
    ship_hours: float
    transit_days: float
    lines: tuple[LinePlan, ...]
    carrier: str = ""
    tracking_number: str = ""
    cancelled_after_hours: float | None = None
    cancelled_by_buyer: bool = False
    return_after_days: float | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal("0.00"))

    @property
    def delivered_days_ago(self) -> float | None:
        """Days before ``now`` the order was delivered; None if cancelled or still on its way."""
        if self.cancelled_after_hours is not None:
            return None
        days = self.days_ago - self.ship_hours / 24 - self.transit_days
        return days if days >= 0 else None


@dataclass(frozen=True)
class FeedbackPlan:
    amazon_order_id: str
    rating: int
    comment: str
    hours_ago: float


@dataclass(frozen=True)
class DemoPlan:
    buyers: tuple[BuyerPlan, ...]
    orders: tuple[OrderPlan, ...]
    # Background feedback only (never negative); the story's is in demo.desk.feedback.
    feedback: tuple[FeedbackPlan, ...]
    # Story keys to Amazon ids, so the story can point at its rows.
    story_buyer_ids: dict[str, str]
    story_order_ids: dict[str, str]


def _alnum(rng: random.Random, length: int, alphabet: str = string.ascii_uppercase + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _amazon_buyer_id(rng: random.Random) -> str:
    return "A" + _alnum(rng, 13)


def _relay_email(rng: random.Random) -> str:
    # Amazon's Buyer-Seller Messaging relay hides the buyer's real address.
    return _alnum(rng, 15, string.ascii_lowercase + string.digits) + "@marketplace.amazon.com"


def _amazon_order_id(rng: random.Random) -> str:
    return f"{rng.choice(('111', '112', '113', '114'))}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"


def _tracking(rng: random.Random) -> tuple[str, str]:
    carrier = rng.choice(("UPS", "USPS", "FedEx"))
    if carrier == "UPS":
        return carrier, "1Z" + _alnum(rng, 6) + "03" + "".join(rng.choice(string.digits) for _ in range(8))
    if carrier == "USPS":
        return carrier, "9400" + "".join(rng.choice(string.digits) for _ in range(18))
    return carrier, "".join(rng.choice(string.digits) for _ in range(12))


def _story_orders(taken: set[str]) -> tuple[list[BuyerPlan], list[OrderPlan], dict[str, str], dict[str, str]]:
    products = {p.asin: p for account in ACCOUNTS for p in account.products}
    buyers, buyer_ids = [], {}
    for spec in BUYERS:
        # Seeded by the story key, so adding a story buyer never renames the others.
        rng = random.Random(f"buyer:{spec.key}")
        buyer_ids[spec.key] = _amazon_buyer_id(rng)
        buyers.append(BuyerPlan(spec.account, buyer_ids[spec.key], spec.name, _relay_email(rng)))
    orders, order_ids = [], {}
    for spec in ORDERS:
        rng = random.Random(f"order:{spec.key}")
        order_id = _amazon_order_id(rng)
        assert order_id not in taken, f"story order {spec.key} collides"
        taken.add(order_id)
        order_ids[spec.key] = order_id
        carrier, tracking = _tracking(rng) if spec.channel == FBM else ("", "")
        orders.append(
            OrderPlan(
                account=spec.account,
                amazon_order_id=order_id,
                amazon_buyer_id=buyer_ids[spec.buyer],
                channel=spec.channel,
                days_ago=spec.days_ago,
                ship_hours=spec.ship_hours,
                transit_days=spec.transit_days,
                lines=(LinePlan(spec.asin, 1, products[spec.asin].price),),
                carrier=carrier,
                tracking_number=tracking,
                return_after_days=spec.return_after_days,
            )
        )
    return buyers, orders, buyer_ids, order_ids


def _lines(rng: random.Random, products: tuple[ProductSpec, ...]) -> tuple[LinePlan, ...]:
    first = rng.choices(products, weights=[p.weight for p in products])[0]
    chosen = [first]
    if rng.random() < 0.2:
        chosen.append(rng.choice([p for p in products if p is not first]))
    # Consumables and parts sell in twos now and then; machines do not.
    return tuple(
        LinePlan(p.asin, 2 if p.price < 30 and rng.random() < 0.25 else 1, p.price)
        for p in sorted(chosen, key=lambda p: p.asin)
    )


def _background_orders(
    account: AccountSpec, story: list[OrderPlan], rng: random.Random, taken: set[str]
) -> tuple[list[BuyerPlan], list[OrderPlan]]:
    mine = [o for o in story if o.account == account.key]
    fbm_in = sum(o.channel == FBM and o.days_ago < 60 for o in mine)
    fbm_older = sum(o.channel == FBM and o.days_ago >= 60 for o in mine)
    fba = sum(o.channel == FBA for o in mine)
    slots = (
        [(FBM, IN_WINDOW_DAYS)] * (account.fbm_in_odr_window - fbm_in)
        + [(FBM, OLDER_DAYS)] * (account.fbm_older - fbm_older)
        + [(FBA, (IN_WINDOW_DAYS[0], OLDER_DAYS[1]))] * (account.fba - fba)
    )
    buyers: list[BuyerPlan] = []
    orders: list[OrderPlan] = []
    for channel, (earliest, latest) in slots:
        if buyers and rng.random() < 0.1:  # a returning customer
            buyer = rng.choice(buyers)
        else:
            buyer = BuyerPlan(
                account.key,
                _amazon_buyer_id(rng),
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                _relay_email(rng),
            )
            buyers.append(buyer)
        order_id = _amazon_order_id(rng)
        while order_id in taken:
            order_id = _amazon_order_id(rng)
        taken.add(order_id)
        carrier, tracking = _tracking(rng) if channel == FBM else ("", "")
        cancelled = rng.random() < 0.04
        orders.append(
            OrderPlan(
                account=account.key,
                amazon_order_id=order_id,
                amazon_buyer_id=buyer.amazon_buyer_id,
                channel=channel,
                days_ago=round(rng.uniform(earliest, latest), 4),
                ship_hours=rng.uniform(4, 44) if channel == FBM else rng.uniform(3, 20),
                transit_days=rng.uniform(1.5, 5.5) if channel == FBM else rng.uniform(0.8, 2.5),
                lines=_lines(rng, account.products),
                carrier=carrier,
                tracking_number=tracking,
                cancelled_after_hours=rng.uniform(0.5, 6) if cancelled else None,
                cancelled_by_buyer=cancelled and rng.random() < 0.7,
                return_after_days=rng.uniform(3, 12) if not cancelled and rng.random() < 0.05 else None,
            )
        )
    return buyers, orders


def _background_feedback(orders: list[OrderPlan], rng: random.Random) -> list[FeedbackPlan]:
    """About a quarter of delivered orders get 3–5★ feedback; negatives are story-only,
    so the background never moves the ODR the story is built around."""
    feedback = []
    for order in orders:
        roll, rating = rng.random(), rng.choice((5, 5, 5, 5, 5, 5, 4, 4, 4, 3))
        comment = rng.choice(NEUTRAL_FEEDBACK if rating == 3 else POSITIVE_FEEDBACK)
        hours_ago = ((order.delivered_days_ago or 0) - rng.uniform(0.5, 14)) * 24
        if roll < 0.25 and order.delivered_days_ago is not None and order.return_after_days is None and hours_ago > 0:
            feedback.append(FeedbackPlan(order.amazon_order_id, rating, comment, hours_ago))
    return feedback


@cache
def demo_plan() -> DemoPlan:
    taken: set[str] = set()
    buyers, orders, buyer_ids, order_ids = _story_orders(taken)
    rng = random.Random(SEED)
    feedback = []
    for account in ACCOUNTS:
        more_buyers, more_orders = _background_orders(account, orders, rng, taken)
        buyers += more_buyers
        orders += more_orders
        feedback += _background_feedback(more_orders, rng)
    return DemoPlan(tuple(buyers), tuple(orders), tuple(feedback), buyer_ids, order_ids)
