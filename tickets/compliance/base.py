"""The guard's public types and its catalogue of rules (id → what a CSM is told).

Sources (../shared/notes/amazon.md §3–§5):
- Communication Guidelines (Buyer-Seller Messaging, 2020) as quoted by FeedbackWhiz,
  eComEngine and the UK seller forum: no marketing or coupons, no incentive for reviews,
  no request to remove or update a review, no review request only for good experiences,
  no links except secure ones needed for the order, no email addresses or phone numbers
  (phone numbers only for warranty, carriers, manufacturers), no emoji, no HTML, one
  proactive message per order within 30 days, the 17-digit order ID included.
- Seller Central G201972160 (Customer product reviews policies): sellers may not "ask
  customers to change or remove their review, or attempt to influence the review", nor
  offer compensation, nor ask only happy buyers (also G1701, package inserts included).
- Brand Registry Contact Customer: two reasons only (Courtesy Refund, Customer Support);
  "Email templates cannot be customized or modified."
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Purpose(StrEnum):
    """Why a message is written; the guard applies different rules per purpose."""

    REPLY = "reply"
    PROACTIVE_GUIDE = "proactive_guide"
    REVIEW_OUTREACH = "review_outreach"
    CLAIM_RESPONSE = "claim_response"
    CHARGEBACK_RESPONSE = "chargeback_response"
    WARRANTY = "warranty"
    # The Messaging API's message types (notes/amazon.md §7): Amazon's own permitted
    # proactive messages, each with its limits (``guard.MAX_LENGTH``, ``AMAZON_ACTION_PURPOSES``).
    AMAZON_CONFIRM_CUSTOMIZATION_DETAILS = "amazon_confirm_customization_details"
    AMAZON_CONFIRM_DELIVERY_DETAILS = "amazon_confirm_delivery_details"
    AMAZON_LEGAL_DISCLOSURE = "amazon_legal_disclosure"
    AMAZON_CONFIRM_ORDER_DETAILS = "amazon_confirm_order_details"
    AMAZON_CONFIRM_SERVICE_DETAILS = "amazon_confirm_service_details"
    AMAZON_WARRANTY = "amazon_warranty"
    AMAZON_DIGITAL_ACCESS_KEY = "amazon_digital_access_key"
    AMAZON_UNEXPECTED_PROBLEM = "amazon_unexpected_problem"
    AMAZON_INVOICE = "amazon_invoice"
    # An internal note is never sent to a buyer, so no Amazon rule applies: the guard
    # allows every note unchecked. (A note copied into a reply is checked as a reply.)
    NOTE = "note"


AMAZON_ACTION_PURPOSES = frozenset(p for p in Purpose if p.value.startswith("amazon_"))
# Messaging API types that carry no text of their own (attachments, dates): the desk's record
# of them is its own fixed sentence, which the guard still reads.
AMAZON_ATTACHMENT_ONLY = frozenset({Purpose.AMAZON_LEGAL_DISCLOSURE, Purpose.AMAZON_WARRANTY, Purpose.AMAZON_INVOICE})


# The two reasons of Amazon's Contact Customer page on Brand Registry Customer Reviews.
CONTACT_REASONS = frozenset({"courtesy_refund", "customer_support"})


@dataclass(frozen=True)
class ComplianceContext:
    """What the guard needs to know beyond the text.

    ``open_buyer_question`` is recorded for callers and audit; no rule reads it yet.
    ``days_since_delivery`` None means unknown: the 30-day rule is then not applied.
    """

    amazon_order_id: str | None = None
    days_since_delivery: int | None = None
    earlier_proactive_messages: int = 0
    open_buyer_question: bool = False
    allowed_link_domains: frozenset[str] = frozenset()
    extra_forbidden_phrases: tuple[str, ...] = ()
    contact_reason: str | None = None


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``start``/``end`` are character offsets into the original text
    (``text[start:end]`` is what to highlight); ``start == end == 0`` means the rule is
    about the message as a whole (e.g. a second proactive message on the order)."""

    rule: str
    message: str
    start: int
    end: int


class Verdict(StrEnum):
    ALLOWED = "allowed"
    # The guard is unsure: the message is held (not sent, draft kept) until a manager
    # approves or rejects it.
    HELD = "held"
    REFUSED = "refused"


@dataclass(frozen=True)
class ComplianceResult:
    """``allowed`` is false when a rule is broken (``violations``). An allowed message with
    ``doubts`` (where the guard is unsure, same shape as a violation) must not be sent on its
    own: its verdict is *held*, for a manager to approve or reject."""

    allowed: bool
    violations: tuple[Violation, ...] = field(default=())
    doubts: tuple[Violation, ...] = field(default=())

    @property
    def verdict(self) -> Verdict:
        if not self.allowed:
            return Verdict.REFUSED
        return Verdict.HELD if self.doubts else Verdict.ALLOWED

    def as_dict(self) -> dict:
        def spans(items):
            return [{"rule": v.rule, "message": v.message, "start": v.start, "end": v.end} for v in items]

        return {
            "allowed": self.allowed,
            "verdict": str(self.verdict),
            "violations": spans(self.violations),
            "doubts": spans(self.doubts),
        }


# Every rule the guard knows, with the sentence an agent sees. Built in: none can be
# switched off; managers can only add phrases (``extra_phrase``) and link domains.
RULES: dict[str, str] = {
    "review_change_request": (
        "Do not ask the buyer to change, update or remove a review or feedback, however politely: "
        "Amazon can suspend the account for it. Solve the problem and leave the review to the buyer."
    ),
    "review_incentive": (
        "Do not connect a review or feedback with anything of value (refund, discount, gift card, free item): "
        "a refund or replacement must never depend on a review."
    ),
    "positive_review_request": (
        "Do not ask for a positive or 5-star review, or for reviews only from happy buyers "
        "(asking unhappy buyers to contact you first is the same thing)."
    ),
    "marketing": (
        "No marketing in buyer messages: no coupons or discount codes, other products, sales, newsletters "
        "or social media."
    ),
    "external_link": (
        "Links must be secure (https) and needed for the order: Amazon, a domain this account allows, or a "
        "carrier's tracking page (no shorteners, file hosts or shops, nothing promotional)."
    ),
    "link_unvouched": ("This link is not on the account's allowed domains; a manager approves it or adds the domain."),
    "contact_details": (
        "No email addresses or phone numbers: the conversation stays in Amazon's messaging. "
        "Phone numbers are allowed only in warranty messages."
    ),
    "html": "Write plain text: Amazon does not allow HTML tags or entities in messages.",
    "emoji": "Messages to buyers may not contain emoji or pictographs (Amazon's Communication Guidelines).",
    "amazon_text_missing": "This Amazon message type needs a text.",
    "proactive_limit": "This order already had a proactive message; Amazon allows one per order.",
    "proactive_too_late": "Proactive messages must be sent within 30 days of delivery.",
    "missing_order_id": "A proactive message must contain the order's 17-digit Amazon order ID.",
    "review_mention": (
        "A proactive message may not mention reviews or feedback; use Amazon's Request a Review button instead."
    ),
    "free_text_outreach": (
        "Review outreach goes only through Amazon's Contact Customer templates (courtesy refund or customer "
        "support), which cannot be edited: no free text."
    ),
    "extra_phrase": "This phrase is on the account's list of forbidden phrases.",
    "learned_doubt": (
        "This reads like messages Amazon does not allow, though no rule names it (the guard's learned "
        "second opinion): a manager approves it before it is sent."
    ),
    "too_long": "This message is too long to send: shorten it (only its beginning was checked).",
}


def violation(rule: str, start: int = 0, end: int = 0, detail: str = "") -> Violation:
    message = RULES[rule]
    return Violation(rule=rule, message=f"{message} {detail}".strip(), start=start, end=end)
