"""``compliance_check``: the one function every outbound channel calls before a message
to a buyer is queued (agent UI, admin, API, tasks, template save)."""

import re
from functools import partial
from operator import itemgetter

from . import content
from .base import (
    AMAZON_ACTION_PURPOSES,
    CONTACT_REASONS,
    RULES,
    ComplianceContext,
    ComplianceResult,
    Purpose,
    Violation,
    violation,
)
from .incentives import review_incentives
from .intent import IntentReader
from .learned import shipped_model
from .normalize import Document
from .positive import positive_requests
from .reviews import ReviewReader

_ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")
# Amazon's proactive window (Communication Guidelines, as quoted in notes/amazon.md §3).
PROACTIVE_DAYS = 30
# The longest text each purpose may have. A proactive message is one of Amazon's Permitted
# Messages, whose text the Messaging API takes up to 2,000 characters (notes/amazon.md §7);
# for the others Amazon states no figure, so the desk's own limit on a message body (the
# reply box, the API) applies. Longer texts are refused with ``too_long`` and only their
# beginning is checked, so no text makes the guard slow (the rules are linear besides).
MAX_LENGTH: dict[Purpose, int] = {
    Purpose.REPLY: 20_000,
    Purpose.PROACTIVE_GUIDE: 2_000,
    Purpose.REVIEW_OUTREACH: 20_000,
    Purpose.CLAIM_RESPONSE: 20_000,
    Purpose.CHARGEBACK_RESPONSE: 20_000,
    Purpose.WARRANTY: 20_000,
    # The Messaging API's own limits per message type (messaging.json, notes/amazon.md §7).
    Purpose.AMAZON_CONFIRM_CUSTOMIZATION_DETAILS: 800,
    Purpose.AMAZON_CONFIRM_DELIVERY_DETAILS: 2_000,
    Purpose.AMAZON_CONFIRM_ORDER_DETAILS: 2_000,
    Purpose.AMAZON_CONFIRM_SERVICE_DETAILS: 2_000,
    Purpose.AMAZON_DIGITAL_ACCESS_KEY: 400,
    Purpose.AMAZON_UNEXPECTED_PROBLEM: 2_000,
    # No text of their own: the desk's one-line record of the attachments.
    Purpose.AMAZON_LEGAL_DISCLOSURE: 2_000,
    Purpose.AMAZON_WARRANTY: 2_000,
    Purpose.AMAZON_INVOICE: 2_000,
}


def compliance_check(
    *, text: str, purpose: Purpose | str, context: ComplianceContext | None = None
) -> ComplianceResult:
    """Check a message against Amazon's messaging and review rules.

    Every purpose except ``note`` gets the content rules (review requests and incentives,
    marketing, links, contact details, HTML, emoji, manager-added phrases); ``proactive_guide``
    also gets the proactive rules (one per order, within 30 days of delivery, order ID
    present, no mention of reviews); a Messaging API type (``amazon_*``) gets the
    content rules and no mention of reviews (it is one of Amazon's permitted
    messages, never a review request), with the type's own length; ``review_outreach``
    accepts no free text at all. A text longer than the purpose's ``MAX_LENGTH`` is refused (``too_long``, marking
    the excess) and only its first ``MAX_LENGTH`` characters are checked. Raises
    ``ValueError`` for an unknown purpose.
    """
    try:
        purpose = Purpose(purpose)
    except ValueError:
        known = ", ".join(p.value for p in Purpose)
        raise ValueError(f"Unknown message purpose {purpose!r}; expected one of: {known}.") from None
    context = context or ComplianceContext()
    if purpose is Purpose.NOTE:
        return ComplianceResult(allowed=True, violations=())
    limit = MAX_LENGTH[purpose]
    doc = Document(text[:limit])
    reader = IntentReader(doc, purpose)
    found = _content_violations(doc=doc, purpose=purpose, context=context, reader=reader)
    found = _without_disclaimed(found, doc, reader)
    found = _without_other_senses(found, reader)
    found = _without_website_pointers(found, doc, reader)
    intent = reader.findings()
    found += [_found(doc, f.rule, f.first, f.last) for f in intent if not f.doubt]
    situation = _situation_violations(doc=doc, purpose=purpose, context=context)
    if len(text) > limit:
        detail = f"({len(text):,} characters; at most {limit:,} for a {purpose.value.replace('_', ' ')}.)"
        situation.append(violation("too_long", limit, len(text), detail=detail))
    found += [(v.rule, v.start, v.end, v.message) for v in situation]
    unsure = [f for f in found if f[0] in _DOUBT_RULES]
    violations = _merged([f for f in found if f[0] not in _DOUBT_RULES])
    # Doubts matter only for a message no rule refuses: it is then held for a manager.
    doubts = [] if violations else _merged(unsure + [_found(doc, f.rule, f.first, f.last) for f in intent if f.doubt])
    if not violations and not doubts:
        doubts = _learned_doubts(doc, purpose)
    return ComplianceResult(allowed=not violations, violations=tuple(violations), doubts=tuple(doubts))


# The learned opinion reads a message's beginning only: twice the longest proactive message,
# longer than nearly every reply, so a 20,000-character text costs it what 4,000 do.
LEARNED_READS = 4_000


def _learned_doubts(doc: Document, purpose: Purpose) -> list[Violation]:
    """The learned second opinion (``learned``) on a message no rule objects to: held when
    the model is confident it breaks a rule anyway, marking the sentence it reads so."""
    model = shipped_model()
    flat = doc.flat[:LEARNED_READS]
    if model is None or not model.doubted(flat, purpose=purpose.value):
        return []
    start, end = model.likeliest_sentence(flat, purpose=purpose.value)
    return [violation("learned_doubt", start, end)]


# A violation before merging, as a plain tuple: rule, start, end, message. A message of many
# matches ("1 1 1 …" against the phrase "1 1") has thousands, most merged away, so only the
# merged ones become ``Violation`` objects.
Found = tuple[str, int, int, str]


def _found(doc: Document, rule: str, first: int, last: int) -> Found:
    return (rule, *doc.span(first, last), RULES[rule])


# The content rules that only doubt: what they find holds a message rather than refusing it.
_DOUBT_RULES = frozenset({"link_unvouched"})
_REVIEW_RULES = frozenset({"review_change_request", "review_incentive", "positive_review_request"})


def _without_disclaimed(found: list[Found], doc: Document, reader: IntentReader) -> list[Found]:
    """The review rules' findings, less those in a sentence that denies asking ("We can't ask
    you to change your review, and we won't")."""
    disclaimed = reader.disclaimers()
    if not disclaimed:
        return found
    spans = [(doc.starts[doc.sentences[s].start], doc.ends[doc.sentences[s].stop - 1]) for s in sorted(disclaimed)]

    def inside(start: int, end: int) -> bool:
        # Both ends in disclaimed sentences: a finding may reach from the buyer's words into
        # the denial that answers them.
        return any(a <= start < b for a, b in spans) and any(a < end <= b for a, b in spans)

    return [f for f in found if f[0] not in _REVIEW_RULES or not inside(f[1], f[2])]


def _without_other_senses(found: list[Found], reader: IntentReader) -> list[Found]:
    """The review rules' findings, less those that are only a review word in its other sense
    ("Feedback from our engineers is that…"), which the intent layer reads (``IntentReader.own``)."""
    own = reader.own_spans()
    if not own:
        return found

    def other_sense(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in own)

    return [f for f in found if f[0] not in _REVIEW_RULES | {"review_mention"} or not other_sense(f[1], f[2])]


# The English word rule reads "our website" as promotion; beside a needed manual link it only
# says where the link goes (``IntentReader.link_pointers``), as in the other languages.
_WEBSITE_WORDS = re.compile(r"our (?:website|web site|site)", re.I)


def _without_website_pointers(found: list[Found], doc: Document, reader: IntentReader) -> list[Found]:
    marketing = [f for f in found if f[0] == "marketing" and _WEBSITE_WORDS.fullmatch(doc.text[f[1] : f[2]])]
    if not marketing:
        return found
    pointers = reader.link_pointers()
    spans = [(doc.starts[doc.sentences[s].start], doc.ends[doc.sentences[s].stop - 1]) for s in pointers]
    dropped = {f for f in marketing if any(a <= f[1] and f[2] <= b for a, b in spans)}
    return [f for f in found if f not in dropped]


def _content_violations(
    *, doc: Document, purpose: Purpose, context: ComplianceContext, reader: IntentReader
) -> list[Found]:
    intent = reader
    reader = ReviewReader(doc)
    found: list[Found] = []

    def add(rule: str, ranges) -> None:
        # The message as ``violation()`` words it.
        for start, end, *detail in ranges:
            found.append((rule, start, end, f"{RULES[rule]} {detail[0] if detail else ''}".strip()))

    def add_words(rule: str, spans) -> None:
        add(rule, (doc.span(first, last) for first, last in spans))

    changes = reader.change_requests()
    add_words("review_change_request", changes)
    add_words("review_incentive", review_incentives(reader, changes))
    add_words("positive_review_request", positive_requests(reader))
    add("marketing", content.marketing(doc))
    proactive = purpose is Purpose.PROACTIVE_GUIDE
    links = content.external_links(
        doc,
        allowed_link_domains=context.allowed_link_domains,
        # A proactive message reads only the link's own sentence (``content.link_standing``).
        topics_at=partial(intent.topics_at, with_previous=not proactive),
        proactive=proactive,
    )
    add("external_link", links.refused)
    # Not a violation: a doubt, the message held for a manager (``compliance_check``).
    add("link_unvouched", links.unvouched)
    # Amazon allows phone numbers for warranty, carriers and manufacturers: here, warranty messages.
    add("contact_details", content.contact_details(doc, phones_allowed=purpose is Purpose.WARRANTY))
    add("html", content.html(doc))
    add("extra_phrase", content.extra_phrases(doc, phrases=context.extra_forbidden_phrases))
    # Amazon's Communication Guidelines: permitted messages, replies included, "may not
    # contain" emojis (the 2020 styling rules; notes/amazon.md §3 lists them for proactive ones).
    add("emoji", content.emoji(doc))
    if purpose is Purpose.PROACTIVE_GUIDE or purpose in AMAZON_ACTION_PURPOSES:
        add_words("review_mention", reader.mentions())
    return found


def _situation_violations(*, doc: Document, purpose: Purpose, context: ComplianceContext) -> list[Violation]:
    text = doc.text
    found: list[Violation] = []
    if purpose is Purpose.PROACTIVE_GUIDE:
        if context.earlier_proactive_messages >= 1:
            found.append(violation("proactive_limit"))
        if context.days_since_delivery is not None and context.days_since_delivery > PROACTIVE_DAYS:
            days = context.days_since_delivery
            found.append(violation("proactive_too_late", detail=f"(This order was delivered {days} days ago.)"))
        order_id = (context.amazon_order_id or "").strip()
        if not order_id:
            found.append(violation("missing_order_id", detail="(No order is linked to this message.)"))
        elif order_id not in doc.flat and order_id not in text:
            found.append(violation("missing_order_id", detail=f"(Add {order_id}.)"))
        elif not _ORDER_ID.fullmatch(order_id):
            found.append(violation("missing_order_id", detail=f"({order_id} is not a 3-7-7 digit Amazon order ID.)"))
    if purpose in AMAZON_ACTION_PURPOSES and not text.strip():
        found.append(violation("amazon_text_missing"))
    if purpose is Purpose.REVIEW_OUTREACH:
        if text.strip():
            found.append(violation("free_text_outreach", 0, len(text)))
        if context.contact_reason not in CONTACT_REASONS:
            found.append(
                violation(
                    "free_text_outreach", detail="(Choose the contact reason: courtesy refund or customer support.)"
                )
            )
    return found


def _merged(found: list[Found]) -> list[Violation]:
    """One violation per rule and overlapping stretch of text, in reading order."""
    out: list[Found] = []
    for v in sorted(found, key=itemgetter(0, 1, 2)):
        rule, start, end, _ = v
        last = out[-1] if out else None
        if last and last[0] == rule and start < last[2] and last[2] > last[1] and end > start:
            out[-1] = (rule, last[1], max(last[2], end), last[3])
        elif not (last and last == v):
            out.append(v)
    out.sort(key=itemgetter(1, 2, 0))
    return [Violation(rule=rule, message=message, start=start, end=end) for rule, start, end, message in out]
