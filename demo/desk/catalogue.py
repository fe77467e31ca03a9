"""The demo desk's sellers, catalogue, buyers and story orders, as data.

Times are offsets back from one ``now`` (``days_ago``) so the story reads the same
whenever it is seeded. ``demo.desk.plan`` adds the background orders and
``demo.desk.seed`` writes it all.
"""

from dataclasses import dataclass
from decimal import Decimal

from tickets.models import FulfillmentChannel

FBA = FulfillmentChannel.FBA
FBM = FulfillmentChannel.FBM

MARKETPLACE_US = "ATVPDKIKX0DER"


@dataclass(frozen=True)
class ProductSpec:
    asin: str
    sku: str
    title: str
    category: str
    price: Decimal
    slug: str  # names the guide pages
    weight: int  # how often background orders pick it


@dataclass(frozen=True)
class AccountSpec:
    key: str
    name: str
    merchant_id: str
    guide_host: str
    proactive_guides_enabled: bool
    products: tuple[ProductSpec, ...]
    # Order counts per channel, story orders included; the plan fills up to them.
    fbm_in_odr_window: int
    fbm_older: int
    fba: int


BREWLINE = AccountSpec(
    key="brewline",
    name="Brewline Espresso",
    merchant_id="A2BRWLNESPRS7Q",
    guide_host="support.brewline.example.com",
    proactive_guides_enabled=True,  # the demo account for proactive guides (off by default)
    products=(
        ProductSpec(
            "B0ESPRESS1",
            "BRW-PRO-01",
            "Brewline Pro Programmable Espresso Machine, 15 bar",
            "Espresso machines",
            Decimal("299.99"),
            "pro-espresso",
            20,
        ),
        ProductSpec(
            "B0GRINDER2",
            "BRW-GR-58",
            "Brewline Conical Burr Grinder",
            "Coffee grinders",
            Decimal("149.99"),
            "burr-grinder",
            15,
        ),
        ProductSpec(
            "B0FROTHER3", "BRW-MF-02", "Brewline Milk Frother", "Milk frothers", Decimal("39.99"), "milk-frother", 20
        ),
        ProductSpec(
            "B0DESCALE4",
            "BRW-DSK-04",
            "Brewline Descaling Kit (4 treatments)",
            "Coffee machine accessories",
            Decimal("14.99"),
            "descaling-kit",
            30,
        ),
        ProductSpec(
            "B0RESERVR5",
            "BRW-PRO-RES",
            "Replacement Water Reservoir for Brewline Pro",
            "Coffee machine parts",
            Decimal("24.99"),
            "pro-reservoir",
            15,
        ),
    ),
    fbm_in_odr_window=120,
    fbm_older=30,
    fba=12,
)

NORDIC = AccountSpec(
    key="nordic",
    name="Nordic Home Goods",
    merchant_id="A1NRDCHOMEGD3X",
    guide_host="help.nordichome.example.com",
    proactive_guides_enabled=False,
    products=(
        ProductSpec(
            "B0NRDTHRW1", "NHG-THR-GRY", "Merino Wool Throw Blanket, Grey", "Blankets", Decimal("89.00"), "throw", 25
        ),
        ProductSpec(
            "B0NRDBOARD", "NHG-CB-BIR", "Birch End-Grain Cutting Board", "Cutting boards", Decimal("45.50"), "board", 25
        ),
        ProductSpec(
            "B0NRDJARS3",
            "NHG-JAR-6",
            "Glass Storage Jars with Oak Lids, Set of 6",
            "Food storage",
            Decimal("32.99"),
            "jars",
            25,
        ),
        ProductSpec(
            "B0NRDLINEN",
            "NHG-RUN-NAT",
            "Stone-Washed Linen Table Runner",
            "Table linen",
            Decimal("27.99"),
            "runner",
            15,
        ),
        ProductSpec(
            "B0NRDLAMP5", "NHG-LMP-OAK", "Oak Table Lamp with Linen Shade", "Lamps", Decimal("119.00"), "lamp", 10
        ),
    ),
    fbm_in_odr_window=6,
    fbm_older=2,
    fba=45,
)

ACCOUNTS = (BREWLINE, NORDIC)


@dataclass(frozen=True)
class StoryBuyer:
    key: str
    account: str
    name: str


@dataclass(frozen=True)
class StoryOrder:
    key: str
    account: str
    buyer: str
    asin: str
    channel: str
    days_ago: float
    ship_hours: float = 20
    transit_days: float = 3
    return_after_days: float | None = None


BUYERS = (
    StoryBuyer("priya", "brewline", "Priya Raman"),
    StoryBuyer("tom", "brewline", "Tom Becker"),
    StoryBuyer("lena", "brewline", "Lena Fischer"),
    StoryBuyer("marcus", "brewline", "Marcus Hill"),
    StoryBuyer("aisha", "brewline", "Aisha Khan"),
    StoryBuyer("greg", "brewline", "Greg Olsen"),
    StoryBuyer("sofia", "brewline", "Sofia Marino"),
    StoryBuyer("dale", "brewline", "Dale Summers"),
    StoryBuyer("nina", "brewline", "Nina Petrova"),
    StoryBuyer("jordan", "brewline", "Jordan Avery"),
    StoryBuyer("ray", "brewline", "Ray Collins"),
    StoryBuyer("ellen", "brewline", "Ellen Park"),
    StoryBuyer("victor", "brewline", "Victor Lee"),
    StoryBuyer("hannah", "brewline", "Hannah Wright"),
    StoryBuyer("chris", "brewline", "Chris Dunn"),
    StoryBuyer("paul", "brewline", "Paul Novak"),
    StoryBuyer("mia", "brewline", "Mia Chen"),
    StoryBuyer("owen", "brewline", "Owen Brooks"),
    StoryBuyer("kate", "brewline", "Kate Morgan"),
    StoryBuyer("sam", "brewline", "Sam Ortiz"),
    StoryBuyer("ben", "brewline", "Ben Carter"),
    StoryBuyer("ivy", "brewline", "Ivy Nguyen"),
    StoryBuyer("liam", "brewline", "Liam Walsh"),  # asks before buying: no order
    StoryBuyer("emma", "nordic", "Emma Larsen"),
    StoryBuyer("noah", "nordic", "Noah Berg"),
    StoryBuyer("olivia", "nordic", "Olivia Dahl"),  # asks before buying: no order
    StoryBuyer("lucas", "nordic", "Lucas Holm"),
    StoryBuyer("ella", "nordic", "Ella Lind"),
    StoryBuyer("axel", "nordic", "Axel Strand"),
    StoryBuyer("freya", "nordic", "Freya Solberg"),
)

ESPRESSO, GRINDER, FROTHER, DESCALER, RESERVOIR = (p.asin for p in BREWLINE.products)
THROW, BOARD, JARS, RUNNER, LAMP = (p.asin for p in NORDIC.products)

# The ODR window is 60 days by order date: story orders sit well inside (< 58 days)
# or well outside (> 62 days) it, so a test a few seconds later reads the same window.
ORDERS = (
    # Brewline, seller-fulfilled, inside the ODR window.
    StoryOrder("pump", "brewline", "priya", ESPRESSO, FBM, days_ago=6),
    StoryOrder("reservoir", "brewline", "tom", ESPRESSO, FBM, days_ago=8),  # the one defective order
    StoryOrder("oat_milk", "brewline", "lena", FROTHER, FBM, days_ago=9),
    StoryOrder("grinder_return", "brewline", "aisha", GRINDER, FBM, days_ago=30, return_after_days=6),
    StoryOrder("crema_thanks", "brewline", "greg", ESPRESSO, FBM, days_ago=14),
    StoryOrder("descaler_late", "brewline", "sofia", DESCALER, FBM, days_ago=4, ship_hours=30, transit_days=5),
    StoryOrder("removed_feedback", "brewline", "dale", ESPRESSO, FBM, days_ago=20),
    StoryOrder("denied_claim", "brewline", "nina", GRINDER, FBM, days_ago=35),
    StoryOrder("fraud_chargeback", "brewline", "jordan", ESPRESSO, FBM, days_ago=28),
    StoryOrder("protected_claim", "brewline", "ray", FROTHER, FBM, days_ago=45),
    StoryOrder("chargeback_won", "brewline", "ellen", GRINDER, FBM, days_ago=50),
    StoryOrder("frother_review", "brewline", "mia", FROTHER, FBM, days_ago=40),
    StoryOrder("pump_review", "brewline", "owen", ESPRESSO, FBM, days_ago=12),
    StoryOrder("reservoir_review", "brewline", "kate", ESPRESSO, FBM, days_ago=25),
    StoryOrder("grinder_review", "brewline", "sam", GRINDER, FBM, days_ago=33),
    StoryOrder("burr_cleaning", "brewline", "ben", GRINDER, FBM, days_ago=22),
    StoryOrder("hard_water", "brewline", "ivy", DESCALER, FBM, days_ago=18),
    # Brewline, seller-fulfilled, older than the ODR window.
    StoryOrder("warranty", "brewline", "marcus", ESPRESSO, FBM, days_ago=66),
    StoryOrder("old_negative", "brewline", "victor", ESPRESSO, FBM, days_ago=75, transit_days=9),
    StoryOrder("old_claim", "brewline", "hannah", ESPRESSO, FBM, days_ago=70),
    StoryOrder("old_chargeback", "brewline", "chris", ESPRESSO, FBM, days_ago=68),
    StoryOrder("durability_review", "brewline", "paul", ESPRESSO, FBM, days_ago=72),
    # Nordic Home Goods.
    StoryOrder("throw_late", "nordic", "emma", THROW, FBA, days_ago=3, ship_hours=10, transit_days=4),
    StoryOrder("board_split", "nordic", "noah", BOARD, FBA, days_ago=12, ship_hours=8, transit_days=1.5),
    StoryOrder("lamp_bulb", "nordic", "lucas", LAMP, FBM, days_ago=8),
    StoryOrder("runner_question", "nordic", "ella", RUNNER, FBA, days_ago=15, ship_hours=8, transit_days=2),
    StoryOrder("jars_thanks", "nordic", "axel", JARS, FBA, days_ago=10, ship_hours=8, transit_days=1.5),
    StoryOrder("board_review", "nordic", "freya", BOARD, FBA, days_ago=40, ship_hours=8, transit_days=1.5),
)
