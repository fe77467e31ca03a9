"""A believable seller's marketplace, generated from a seed: orders over time and their defects.

One ``Marketplace`` per selling partner, the same for the same (seed, selling partner).
Every order carries its whole **timeline** (placed, payment authorised, shipped, delivered
or cancelled) and the defects that follow it (seller feedback, A-to-z claims, chargebacks),
each at its own moment; what the API shows is that timeline read **as of the clock**. So
orders appear, ship and deliver as the clock moves, ``lastUpdatedTime`` moves with them,
and a report or a page of results read "as of" one instant is reproducible.

The figures are in the range a healthy-but-not-perfect seller sees (ODR under 1 %, a few
late FBM shipments), with enough defects in 60 days to make the formula matter.
Claim and chargeback statuses use the desk's vocabulary (``tickets.models.claims``), so
the sync (issue #18, part 2) maps them one to one.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache

AFN = "AFN"  # fulfilled by Amazon (FBA)
MFN = "MFN"  # fulfilled by the merchant (FBM)

US_MARKETPLACE_ID = "ATVPDKIKX0DER"
US_MARKETPLACE_NAME = "Amazon.com"
CURRENCY = "USD"

PENDING = "PENDING"
UNSHIPPED = "UNSHIPPED"
SHIPPED = "SHIPPED"
CANCELLED = "CANCELLED"

# Amazon: "One- and two-star ratings are considered negative" (Seller Central G200285170).
NEGATIVE_RATING_MAX = 2

# Claim and chargeback outcomes that leave the Order Defect Rate (notes/amazon.md §1,
# the desk's defaults in metrics/odr.py): denied, withdrawn, appeal won, Buy Shipping
# protected; payment-fraud chargebacks and those decided for the seller.
CLAIM_STATUSES_NOT_COUNTED = frozenset({"denied", "withdrawn", "appeal_won"})
CHARGEBACK_STATUSES_NOT_COUNTED = frozenset({"decided_for_seller"})

FIRST_NAMES = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Elijah",
    "Sophia",
    "James",
    "Mia",
    "Lucas",
    "Amelia",
    "Mateo",
    "Harper",
    "Ethan",
    "Zoe",
    "Grace",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Lee",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Lopez",
]
CITIES = [
    ("Seattle", "WA", "98101"),
    ("Portland", "OR", "97205"),
    ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"),
    ("Chicago", "IL", "60601"),
    ("Atlanta", "GA", "30303"),
    ("Boston", "MA", "02108"),
    ("Phoenix", "AZ", "85004"),
    ("Columbus", "OH", "43215"),
    ("Raleigh", "NC", "27601"),
]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St", "Elm St", "Lakeview Rd", "Hillcrest Ave"]
PRODUCTS = [
    ("Burr Coffee Grinder, 40 settings", "89.99"),
    ("Pour-Over Kettle, gooseneck, 1 L", "44.50"),
    ("Espresso Tamper 58 mm", "24.00"),
    ("Milk Frothing Pitcher 600 ml", "18.95"),
    ("Cold Brew Maker 1.5 L", "32.99"),
    ("Digital Coffee Scale with Timer", "27.49"),
    ("Paper Filters #4, 200 count", "7.99"),
    ("Descaling Solution, 2 uses", "12.99"),
    ("Stainless Travel Mug 16 oz", "21.00"),
    ("Espresso Machine Cleaning Tablets", "14.25"),
    ("French Press 34 oz", "29.95"),
    ("Replacement Water Reservoir", "39.00"),
]
CARRIERS = [("UPS", "UPS Ground", "1Z"), ("USPS", "USPS Priority Mail", "9400"), ("FedEx", "FedEx Home Delivery", "7")]
FEEDBACK = {
    5: ["Fast shipping, exactly as described.", "Great seller, would buy again.", "Arrived early, well packed."],
    4: ["Good product, delivery took a little longer.", "Works fine, box was dented."],
    3: ["Item OK but arrived late.", "Average experience, slow reply to my question."],
    2: ["Arrived late and the seller did not answer.", "Missing parts, still waiting for a fix."],
    1: ["Never received the order.", "Broken on arrival and no response from seller.", "Wrong item sent."],
}


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def iso(moment: datetime) -> str:
    """Amazon's timestamp form: UTC with a Z, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Product:
    asin: str
    sku: str
    title: str
    price: Decimal


@dataclass(frozen=True)
class OrderItem:
    order_item_id: str
    product: Product
    quantity: int


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    state: str
    postal_code: str
    phone: str
    country: str = "US"


@dataclass(frozen=True)
class Package:
    reference_id: str
    carrier: str
    shipping_service: str
    tracking_number: str
    valid_tracking: bool  # the carrier scanned it (Valid Tracking Rate)


@dataclass
class Feedback:
    rating: int
    comment: str
    left_at: datetime
    removed_at: datetime | None = None  # Amazon removed it: it leaves the ODR from then

    def counted(self, at: datetime) -> bool:
        """Negative feedback that exists at ``at`` and was not removed by then."""
        removed = self.removed_at is not None and self.removed_at <= at
        return self.rating <= NEGATIVE_RATING_MAX and self.left_at <= at and not removed


@dataclass
class Claim:
    """An A-to-z Guarantee claim (statuses as in ``tickets.models.claims.AtoZClaimStatus``)."""

    claim_id: str
    filed_at: datetime
    status: str
    amount: Decimal
    decided_at: datetime | None = None
    buy_shipping_protected: bool = False

    def status_at(self, at: datetime) -> str:
        if self.decided_at is not None and self.decided_at > at:
            return "open"
        return self.status

    def counted(self, at: datetime) -> bool:
        """Filed by ``at`` and not (yet) taken out by a decision for the seller."""
        if self.filed_at > at or self.buy_shipping_protected:
            return False
        return self.status_at(at) not in CLAIM_STATUSES_NOT_COUNTED


@dataclass
class Chargeback:
    chargeback_id: str
    filed_at: datetime
    kind: str  # service / fraud
    status: str
    amount: Decimal
    decided_at: datetime | None = None

    def status_at(self, at: datetime) -> str:
        if self.decided_at is not None and self.decided_at > at:
            return "open"
        return self.status

    def counted(self, at: datetime) -> bool:
        if self.filed_at > at or self.kind != "service":
            return False
        return self.status_at(at) not in CHARGEBACK_STATUSES_NOT_COUNTED


@dataclass
class Order:
    order_id: str
    channel: str  # AFN or MFN
    created: datetime
    authorized: datetime  # payment authorised: PENDING → UNSHIPPED
    items: list[OrderItem]
    buyer_name: str
    buyer_email: str
    address: Address
    service_level: str
    programs: list[str]
    latest_ship: datetime  # the promised ship-by date (late shipment after it)
    earliest_delivery: datetime
    latest_delivery: datetime
    shipped: datetime | None = None
    delivered: datetime | None = None
    cancelled: datetime | None = None
    cancelled_by: str | None = None  # SELLER or BUYER
    package: Package | None = None
    feedback: Feedback | None = None
    claims: list[Claim] = field(default_factory=list)
    chargebacks: list[Chargeback] = field(default_factory=list)

    def exists(self, at: datetime) -> bool:
        return self.created <= at

    def events(self) -> list[datetime]:
        return [m for m in (self.created, self.authorized, self.shipped, self.delivered, self.cancelled) if m]

    def last_updated(self, at: datetime) -> datetime:
        return max(m for m in self.events() if m <= at)

    def status(self, at: datetime) -> str:
        if self.cancelled and self.cancelled <= at:
            return CANCELLED
        if self.shipped and self.shipped <= at:
            return SHIPPED
        if self.authorized <= at:
            return UNSHIPPED
        return PENDING

    def is_delivered(self, at: datetime) -> bool:
        return self.delivered is not None and self.delivered <= at

    def is_defective(self, at: datetime) -> bool:
        return bool(self.has_negative_feedback(at) or self.has_counted_claim(at) or self.has_counted_chargeback(at))

    def has_negative_feedback(self, at: datetime) -> bool:
        return self.feedback is not None and self.feedback.counted(at)

    def has_counted_claim(self, at: datetime) -> bool:
        return any(c.counted(at) for c in self.claims)

    def has_counted_chargeback(self, at: datetime) -> bool:
        return any(c.counted(at) for c in self.chargebacks)

    @property
    def total(self) -> Decimal:
        return sum((item.product.price * item.quantity for item in self.items), Decimal("0"))


@dataclass
class Marketplace:
    """One selling partner's orders in the US marketplace, generated once from a seed."""

    selling_partner_id: str
    seller_name: str
    anchor: datetime
    orders: list[Order]
    products: list[Product]
    marketplace_id: str = US_MARKETPLACE_ID

    @cached_property
    def by_id(self) -> dict[str, Order]:
        return {order.order_id: order for order in self.orders}

    def visible(self, at: datetime) -> list[Order]:
        """The orders that exist at ``at``, oldest first."""
        return [order for order in self.orders if order.exists(at)]

    def order(self, order_id: str, at: datetime) -> Order | None:
        order = self.by_id.get(order_id)
        return order if order is not None and order.exists(at) else None


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(n))


def selling_partner_id_for(seed: int, index: int) -> str:
    """A merchant token shaped like Amazon's (``A`` + 13 upper-case letters and digits)."""
    return "A" + _alnum(random.Random(f"sp:{seed}:{index}"), 13)


@lru_cache(maxsize=16)  # the same arguments give the same (read-only) marketplace; tests build many
def generate(
    *,
    selling_partner_id: str,
    seller_name: str,
    seed: int,
    orders: int,
    anchor: datetime,
    history_days: int = 90,
    future_days: int = 14,
) -> Marketplace:
    """``orders`` orders placed between ``history_days`` before ``anchor`` and ``future_days``
    after it (those appear as the clock moves), deterministic for (seed, selling partner)."""
    rng = random.Random(f"marketplace:{seed}:{selling_partner_id}")
    products = [
        Product(asin="B0" + _alnum(rng, 8), sku=f"SKU-{i + 1:03d}-{_alnum(rng, 4)}", title=title, price=Decimal(price))
        for i, (title, price) in enumerate(PRODUCTS)
    ]
    start = anchor - timedelta(days=history_days)
    span = (history_days + future_days) * 86400
    created_times = sorted(start + timedelta(seconds=rng.randrange(span)) for _ in range(orders))
    generated = [_order(rng, created, products, index) for index, created in enumerate(created_times)]
    return Marketplace(
        selling_partner_id=selling_partner_id,
        seller_name=seller_name,
        anchor=anchor,
        orders=generated,
        products=products,
    )


def _order(rng: random.Random, created: datetime, products: list[Product], index: int) -> Order:
    channel = AFN if rng.random() < 0.6 else MFN
    order_id = f"{rng.choice(['111', '112', '113', '114'])}-{_digits(rng, 7)}-{_digits(rng, 7)}"
    picks = rng.sample(products, k=rng.choice([1, 1, 1, 2, 2, 3]))
    items = [
        OrderItem(order_item_id=_digits(rng, 14), product=product, quantity=rng.choice([1, 1, 1, 2]))
        for product in picks
    ]
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    city, state, postal = rng.choice(CITIES)
    address = Address(
        name=f"{first} {last}",
        line1=f"{rng.randrange(10, 9999)} {rng.choice(STREETS)}",
        city=city,
        state=state,
        postal_code=postal,
        phone=f"+1 206-555-{_digits(rng, 4)}",
    )
    prime = channel == AFN and rng.random() < 0.7
    service_level = "SECOND_DAY" if prime else rng.choice(["STANDARD", "STANDARD", "EXPEDITED"])
    authorized = created + timedelta(minutes=rng.randrange(1, 45))
    handling = timedelta(days=1) if channel == AFN else timedelta(days=2)
    transit = timedelta(days=2) if prime else timedelta(days=5)
    latest_ship = midnight(created.date()) + handling + timedelta(hours=23, minutes=59)
    order = Order(
        order_id=order_id,
        channel=channel,
        created=created,
        authorized=authorized,
        items=items,
        buyer_name=f"{first} {last}",
        buyer_email=f"{_alnum(rng, 14).lower()}@marketplace.amazon.com",
        address=address,
        service_level=service_level,
        programs=["PRIME"] if prime else [],
        latest_ship=latest_ship,
        earliest_delivery=latest_ship + transit - timedelta(days=2 if not prime else 1),
        latest_delivery=latest_ship + transit,
    )
    roll = rng.random()
    if roll < 0.03:
        # Cancelled before shipping: by the buyer through their account, or by the seller
        # (FBM only counts the seller's: Pre-fulfillment Cancel Rate).
        order.cancelled = authorized + timedelta(hours=rng.uniform(1, 20))
        order.cancelled_by = "SELLER" if channel == MFN and rng.random() < 0.5 else "BUYER"
        return _whole_seconds(order)
    late = channel == MFN and rng.random() < 0.03
    if late:
        order.shipped = latest_ship + timedelta(hours=rng.uniform(2, 40))
    else:
        order.shipped = min(authorized + timedelta(hours=rng.uniform(2, 40)), latest_ship - timedelta(minutes=5))
        order.shipped = max(order.shipped, authorized + timedelta(minutes=30))
    transit_days = rng.uniform(1, 3) if prime else rng.uniform(2, 6)
    late_delivery = rng.random() < 0.05
    order.delivered = order.shipped + timedelta(days=transit_days + (rng.uniform(1, 4) if late_delivery else 0))
    if channel == MFN:
        carrier, service, prefix = rng.choice(CARRIERS)
        order.package = Package(
            reference_id="1",
            carrier=carrier,
            shipping_service=service,
            tracking_number=prefix + _digits(rng, 16),
            valid_tracking=rng.random() < 0.97,
        )
    _defects(rng, order, index)
    return _whole_seconds(order)


def _whole_seconds(order: Order) -> Order:
    """Amazon's timestamps are to the second; so are ours, or After/Before bounds would drift."""
    for name in ("created", "authorized", "latest_ship", "earliest_delivery", "latest_delivery"):
        setattr(order, name, getattr(order, name).replace(microsecond=0))
    for name in ("shipped", "delivered", "cancelled"):
        if getattr(order, name) is not None:
            setattr(order, name, getattr(order, name).replace(microsecond=0))
    for defect in [order.feedback, *order.claims, *order.chargebacks]:
        if defect is None:
            continue
        for name in ("left_at", "removed_at", "filed_at", "decided_at"):
            if getattr(defect, name, None) is not None:
                setattr(defect, name, getattr(defect, name).replace(microsecond=0))
    return order


def _defects(rng: random.Random, order: Order, index: int) -> None:
    assert order.delivered is not None
    if rng.random() < 0.08:
        rating = rng.choices([5, 4, 3, 2, 1], weights=[72, 14, 6, 3, 5])[0]
        left = order.delivered + timedelta(days=rng.uniform(0.5, 20))
        feedback = Feedback(rating=rating, comment=rng.choice(FEEDBACK[rating]), left_at=left)
        if rating <= NEGATIVE_RATING_MAX and rng.random() < 0.2:
            # Amazon strikes through FBA delivery comments and removes abusive ones.
            feedback.removed_at = left + timedelta(days=rng.uniform(1, 10))
        order.feedback = feedback
    claim_chance = 0.005 if order.channel == MFN else 0.001
    if rng.random() < claim_chance:
        status = rng.choice(
            ["open", "granted_seller_funded", "refunded_by_seller", "denied", "withdrawn", "appeal_won", "open"]
        )
        filed = order.latest_delivery + timedelta(days=rng.uniform(1, 15))
        order.claims.append(
            Claim(
                claim_id=f"AZ-{_digits(rng, 10)}",
                filed_at=filed,
                status=status,
                amount=order.total,
                decided_at=None if status == "open" else filed + timedelta(days=rng.uniform(2, 12)),
                buy_shipping_protected=order.channel == MFN and rng.random() < 0.1,
            )
        )
    if rng.random() < 0.002:
        status = rng.choice(["open", "decided_for_buyer", "decided_for_seller", "refunded_by_seller"])
        filed = order.delivered + timedelta(days=rng.uniform(5, 30))
        order.chargebacks.append(
            Chargeback(
                chargeback_id=f"CB-{_digits(rng, 10)}",
                filed_at=filed,
                kind="fraud" if rng.random() < 0.3 else "service",
                status=status,
                amount=order.total,
                decided_at=None if status == "open" else filed + timedelta(days=rng.uniform(5, 25)),
            )
        )
