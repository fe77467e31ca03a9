"""The shape of scale data: sizes, rates, weights and the words it is made of.

Weights are relative (they need not sum to 100). Rates and shares come from what a CSM
agency sees on healthy accounts: an Order Defect Rate near Amazon's 1 % limit, about
60 % of orders fulfilled by Amazon, a few percent of orders reviewed.
"""

from datetime import timedelta

from tickets.models import Ticket

MERCHANT_PREFIX = "SCALE"
AGENT_PREFIX = "scale-agent-"
ORDER_PREFIX = "9"  # 9rr-…: run rr
MAX_RUNS = 99
PRODUCTS_PER_ACCOUNT = 60
AGENTS_PER_ACCOUNT = 3
HISTORY = timedelta(days=120)
CHUNK_ORDERS = 50_000

DEFECT_RATE = 0.015
REVIEW_RATE = 0.03
POSITIVE_FEEDBACK_RATE = 0.03
FBA_SHARE = 0.6
NEW_BUYER_SHARE = 0.45  # the rest of the orders come from returning buyers

# A bijection of 0…10^14-1 (the multiplier is coprime with 10): unique order ids that
# do not look sequential, for any number of orders per run.
ORDER_ID_SPACE = 10**14
ORDER_ID_MULTIPLIER = 73_939_133_977_777

MARKETPLACES = [  # marketplace id, region, currency
    ("ATVPDKIKX0DER", "NA", "USD"),
    ("A1F83G8C2ARO7P", "EU", "GBP"),
    ("A2EUQ1WTGCTBG2", "NA", "CAD"),
    ("A1PA6795UKMFR9", "EU", "EUR"),
    ("A1VC38T7YXB528", "FE", "JPY"),
]
BRANDS = [
    ("Northbrew", "Coffee", ["Espresso Machine", "Milk Frother", "Burr Grinder", "Pour-Over Kettle", "Tamper"]),
    ("Trailcraft", "Outdoors", ["Camping Stove", "Headlamp", "Water Filter", "Trekking Poles", "Dry Bag"]),
    ("Little Nest", "Baby", ["Bottle Warmer", "Baby Monitor", "Sterilizer", "Night Light", "Carrier"]),
    ("Voltwise", "Electronics", ["USB-C Hub", "Power Bank", "Wireless Charger", "Smart Plug", "Dash Cam"]),
    ("Hearth & Co", "Kitchen", ["Air Fryer", "Stand Mixer", "Sous Vide", "Knife Set", "Rice Cooker"]),
]
ADJECTIVES = ["Compact", "Pro", "Classic", "Deluxe", "Mini", "Smart", "Travel", "Ultra", "Eco", "Max", "Plus", "Lite"]
FIRST_NAMES = (  # noqa: SIM905 (a word list reads better as text)
    "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard "
    "Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty Mark Sandra "
    "Paul Ashley Steven Emily Andrew Donna Kenneth Michelle Joshua Carol Kevin Amanda Brian Melissa "
    "George Deborah"
).split()
LAST_NAMES = (  # noqa: SIM905 (a word list reads better as text)
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
    "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
    "Nelson Baker Hall"
).split()

TICKET_KINDS = [  # kind, weight, subject template
    (Ticket.Kind.INQUIRY, 22, "Question about order {oid}"),
    (Ticket.Kind.WHERE_IS_MY_PACKAGE, 24, "Where is my package? Order {oid}"),
    (Ticket.Kind.SETUP, 16, "Can't get the {product} to work"),
    (Ticket.Kind.REPLACEMENT_PART, 10, "Missing part for my {product}"),
    (Ticket.Kind.RETURN, 16, "Return request for order {oid}"),
    (Ticket.Kind.WARRANTY, 12, "{product} stopped working"),
]
TICKET_STATUSES = [("new", 12), ("open", 13), ("pending", 15), ("solved", 25), ("closed", 35)]
PRIORITIES = [(1, 15), (2, 70), (3, 12), (4, 3)]
INBOUND = [
    "Hi, I ordered this a while ago and still have a question about it. Can you help?",
    "The tracking has not moved for three days. When will it arrive?",
    "The box arrived damaged and one part is missing.",
    "I followed the manual but it does not turn on. What am I doing wrong?",
    "I would like to return it, it is not what I expected.",
    "Is there a replacement part I can buy?",
    "Thanks for the quick answer, that worked!",
    "I still have not received anything, please advise.",
]
OUTBOUND = [
    "Thank you for reaching out. I am sorry for the trouble; here is what we can do.",
    "I have checked with the carrier: the parcel is on its way and should arrive within two days.",
    "Please try holding the power button for ten seconds; our quick-start guide is linked below.",
    "We are sending a replacement part today at no cost. You will receive tracking shortly.",
    "I have issued a full refund; it will show on your statement in 3-5 business days.",
    "Could you send us a photo of the damage so we can sort this out quickly?",
]
NOTES = [
    "Checked carrier scans: last scan at the regional hub.",
    "Buyer is a repeat customer; offered a replacement.",
    "Escalated to the seller for approval of a refund.",
    "Evidence for the defence: tracking shows delivered, signature on file.",
]
NEGATIVE_FEEDBACK = ["Arrived late and nobody answered my messages.", "Item broken on arrival.", "Never received."]
POSITIVE_FEEDBACK = ["Great seller, fast shipping.", "Exactly as described.", "Good communication."]
REVIEW_TITLES = {
    1: "Broke after a week",
    2: "Disappointed",
    3: "It's okay",
    4: "Very good",
    5: "Love it!",
}
A_TO_Z_REASONS = ["Item not received", "Item not as described", "Damaged item", "Return refund not received"]
A_TO_Z_STATUSES = [
    ("open", 12),
    ("action_required", 10),
    ("denied", 20),
    ("withdrawn", 8),
    ("granted_amazon_funded", 10),
    ("granted_seller_funded", 15),
    ("refunded_by_seller", 12),
    ("appealed", 5),
    ("appeal_won", 4),
    ("appeal_lost", 4),
]
CHARGEBACK_STATUSES = [
    ("open", 10),
    ("action_required", 10),
    ("represented", 15),
    ("refunded_by_seller", 20),
    ("decided_for_seller", 25),
    ("decided_for_buyer", 20),
]
DEFECT_KINDS = [("feedback", 50), ("a_to_z", 30), ("chargeback_service", 15), ("chargeback_fraud", 5)]
REVIEW_RATINGS = [(5, 58), (4, 14), (3, 9), (2, 7), (1, 12)]
OUTREACH_STATUSES = [("new", 30), ("contacted", 30), ("resolved", 25), ("closed", 15)]
RESOLUTIONS = [("refund_issued", 50), ("replacement_sent", 25), ("no_action_possible", 25)]
