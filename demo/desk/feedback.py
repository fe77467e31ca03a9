"""What buyers said after their orders: seller feedback, A-to-z claims and chargebacks
(the ODR defects) and product reviews (the outreach work), as data.

Orders are named by their story key in ``demo.desk.catalogue``; times count back
from the seed's ``now``.
"""

from dataclasses import dataclass, field

from tickets.models.claims import AtoZClaimStatus, ChargebackKind, ChargebackStatus

from .catalogue import BOARD, DESCALER, ESPRESSO, FROTHER, GRINDER, LAMP, THROW


@dataclass(frozen=True)
class StoryFeedback:
    order: str
    rating: int
    comment: str
    hours_ago: float
    removed_hours_ago: float | None = None
    ticket: str | None = None


@dataclass(frozen=True)
class StoryClaim:
    key: str
    order: str
    reason: str
    status: str
    filed_hours_ago: float
    decided_hours_ago: float | None = None
    buy_shipping_protected: bool = False
    # The story ticket that is an open claim's defence ticket; without one, the claims
    # intake opens one (the buyer's own conversation keeps its 24 h clock).
    ticket: str | None = None


@dataclass(frozen=True)
class StoryChargeback:
    key: str
    order: str
    kind: str
    status: str
    filed_hours_ago: float
    decided_hours_ago: float | None = None
    ticket: str | None = None  # as StoryClaim.ticket


@dataclass(frozen=True)
class StoryOutreach:
    status: str = "new"
    contact_reason: str = ""
    contacted_days_ago: float | None = None
    resolution: str = ""
    resolved_days_ago: float | None = None
    ticket: str | None = None


@dataclass(frozen=True)
class StoryReview:
    key: str
    account: str
    asin: str
    rating: int
    title: str
    body: str
    days_ago: float
    order: str | None = None
    verified_purchase: bool = True
    # The buyer changed the rating on their own: (from, to, days_ago). ``rating`` is the new one.
    rating_change: tuple[int, int, float] | None = None
    outreach: StoryOutreach = field(default_factory=StoryOutreach)


# The one counted defect in Brewline's FBM window is the cracked reservoir (feedback and
# claim on one order count once); every other defect here is old or excluded. The
# tests check the rows against this intent with their own ODR arithmetic.
COUNTED_DEFECT_ORDERS = ("reservoir",)

FEEDBACK = (
    StoryFeedback(
        "reservoir", 2, "Reservoir arrived cracked and nobody answered my message for a day.", 4, ticket="reservoir"
    ),
    # Amazon removes feedback that is entirely a product review (notes/amazon.md §1).
    StoryFeedback(
        "removed_feedback",
        1,
        "The steam wand is weak and the machine is louder than my old one.",
        hours_ago=360,
        removed_hours_ago=312,
    ),
    StoryFeedback("old_negative", 1, "Arrived a week late and the box was crushed.", hours_ago=1536),
    StoryFeedback("crema_thanks", 5, "Fast shipping, great machine, friendly seller.", hours_ago=216),
    StoryFeedback("burr_cleaning", 5, "Answered my question within the hour. Great seller.", hours_ago=288),
    StoryFeedback("runner_question", 5, "Lovely runner, arrived quickly.", hours_ago=240),
)

CLAIMS = (
    StoryClaim(
        "reservoir",
        "reservoir",
        "Materially different: arrived damaged",
        AtoZClaimStatus.OPEN,
        filed_hours_ago=3,
    ),
    StoryClaim("denied", "denied_claim", "Item not received", AtoZClaimStatus.DENIED, 576, decided_hours_ago=504),
    # Buy Shipping "Claims Protected": Amazon funds it and it stays out of ODR.
    StoryClaim(
        "protected",
        "protected_claim",
        "Item not received",
        AtoZClaimStatus.GRANTED_AMAZON_FUNDED,
        792,
        decided_hours_ago=720,
        buy_shipping_protected=True,
    ),
    StoryClaim(
        "old_granted",
        "old_claim",
        "Materially different: not as described",
        AtoZClaimStatus.GRANTED_SELLER_FUNDED,
        1392,
        decided_hours_ago=1296,
    ),
)

CHARGEBACKS = (
    StoryChargeback(
        "old_open", "old_chargeback", ChargebackKind.SERVICE, ChargebackStatus.OPEN, 48, ticket="old_chargeback"
    ),
    # Payment fraud is Amazon's responsibility, not a seller defect.
    StoryChargeback(
        "fraud",
        "fraud_chargeback",
        ChargebackKind.FRAUD,
        ChargebackStatus.DECIDED_FOR_BUYER,
        480,
        decided_hours_ago=240,
    ),
    StoryChargeback(
        "won", "chargeback_won", ChargebackKind.SERVICE, ChargebackStatus.DECIDED_FOR_SELLER, 960, decided_hours_ago=600
    ),
)

# Every verified 1–3★ review gets an outreach case (new unless told otherwise); Amazon's
# Contact Customer tool offers nothing for 4–5★ reviews.
REVIEWS = (
    StoryReview(
        "pump",
        "brewline",
        ESPRESSO,
        1,
        "Pump won't prime out of the box",
        "Filled the reservoir and ran the priming cycle exactly as the manual says. The pump just "
        "buzzes and nothing comes out. For $300 I expected it to work on day one.",
        days_ago=8,
        order="pump_review",
    ),
    StoryReview(
        "reservoir",
        "brewline",
        ESPRESSO,
        2,
        "Reservoir arrived cracked",
        "The machine itself seems solid, but the water tank had a hairline crack and leaks onto the "
        "counter. The packaging needs work.",
        days_ago=20,
        order="reservoir_review",
    ),
    StoryReview(
        "durability",
        "brewline",
        ESPRESSO,
        2,
        "Stopped working after 2 months",
        "Made great coffee for about two months, then it stopped heating. Not the durability I expect at this price.",
        days_ago=6,
        order="durability_review",
        outreach=StoryOutreach(status="contacted", contact_reason="courtesy_refund", contacted_days_ago=2),
    ),
    StoryReview(
        "grinder_loud",
        "brewline",
        GRINDER,
        3,
        "Consistent grind, but loud",
        "Grind size is very consistent and it goes fine enough for espresso. It is loud enough to wake the house.",
        days_ago=25,
        order="grinder_review",
    ),
    StoryReview(
        "frother_update",
        "brewline",
        FROTHER,
        4,
        "Update: the replacement works great",
        "My first frother stopped spinning after a week (I gave it two stars). The seller sent a "
        "replacement that has worked perfectly since.",
        days_ago=25,
        order="frother_review",
        rating_change=(2, 4, 15),
        outreach=StoryOutreach(
            status="resolved",
            contact_reason="customer_support",
            contacted_days_ago=24,
            resolution="replacement_sent",
            resolved_days_ago=20,
            ticket="frother_outreach",
        ),
    ),
    StoryReview(
        "flimsy",
        "brewline",
        ESPRESSO,
        1,
        "Looks cheap",
        "Saw it at a friend's place: the plastic drip tray feels flimsy.",
        days_ago=15,
        verified_purchase=False,  # no order to contact: no outreach
    ),
    StoryReview(
        "crema",
        "brewline",
        ESPRESSO,
        5,
        "Great crema, café quality at home",
        "Dialled in within a week. Thick, hazelnut-coloured crema, and the shot timer makes mornings easy.",
        days_ago=11,
    ),
    StoryReview(
        "worth_it",
        "brewline",
        ESPRESSO,
        5,
        "Worth every penny",
        "Replaced my capsule machine and I'm not going back.",
        days_ago=31,
    ),
    StoryReview(
        "learning_curve",
        "brewline",
        ESPRESSO,
        4,
        "Great machine, steep learning curve",
        "Took a bag of beans to get the grind right, but the shots are excellent now.",
        days_ago=47,
    ),
    StoryReview(
        "grinder_great",
        "brewline",
        GRINDER,
        5,
        "Dialled in for espresso in minutes",
        "Stepless adjustment, low retention, easy to clean.",
        days_ago=19,
    ),
    StoryReview(
        "microfoam", "brewline", FROTHER, 5, "Silky microfoam", "Latte art finally works with this frother.", days_ago=9
    ),
    StoryReview(
        "descaler_ok",
        "brewline",
        DESCALER,
        4,
        "Does the job",
        "Clear instructions, machine runs like new.",
        days_ago=27,
    ),
    StoryReview(
        "soft_throw", "nordic", THROW, 5, "Softest throw we own", "Warm, not itchy, and washes well.", days_ago=14
    ),
    StoryReview(
        "board_lovely", "nordic", BOARD, 5, "Beautiful and sturdy", "Heavy, flat and gorgeous grain.", days_ago=36
    ),
    StoryReview(
        "board_warped",
        "nordic",
        BOARD,
        2,
        "Warped after a month",
        "Oiled it as instructed, but it rocks on the counter after a month.",
        days_ago=6,
        order="board_review",
    ),
    StoryReview(
        "lamp_nice",
        "nordic",
        LAMP,
        4,
        "Lovely lamp",
        "Warm light and solid oak base; the shade is a bit small.",
        days_ago=21,
    ),
    # Six months of espresso machine reviews for Review Insights: setup complaints fade
    # after the spring (a clearer quick-start card), durability complaints grow since
    # September. No order is known for these, so their cases cannot be contacted yet.
    *(
        StoryReview(f"espresso_history_{days}", "brewline", ESPRESSO, rating, title, body, days_ago=days)
        for days, rating, title, body in (
            (172, 2, "Confusing setup", "The manual is unclear about priming. Took hours to set up the first day."),
            (163, 3, "Hard to dial in", "Good shots, but it is hard to use at first and the menu is confusing."),
            (151, 5, "Lovely shots", "Rich espresso and the milk steams quickly."),
            (142, 2, "Instructions make no sense", "The instructions make no sense for the grind settings."),
            (126, 4, "Good once you learn it", "Steep learning curve, but worth it for the taste."),
            (111, 5, "Solid build", "Heavy, quiet and hot water in a minute."),
            (101, 3, "Fiddly steam wand", "The steam wand is fiddly and the drip tray is hard to clean."),
            (96, 5, "Morning favourite", "Best coffee we have made at home."),
            (81, 5, "The new quick-start card helped", "Setup was simple with the card in the box."),
            (71, 4, "Good value", "Plenty of machine for the money."),
            (61, 2, "Stopped heating", "It stopped heating after three weeks of daily use."),
            (41, 1, "Pump died", "The pump died after five weeks. Very disappointed."),
            (29, 2, "Steam knob broke", "The steam knob broke off after a month of gentle use."),
            (18, 5, "Café at home", "Shots as good as my local café."),
            (12, 3, "Now it leaks", "Started leaking from the group head after six weeks."),
        )
    ),
)
