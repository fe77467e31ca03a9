"""Paying for a review: anything of value tied to a review or feedback.

Amazon (G201972160; notes/amazon.md §3–§4): no "compensation" for reviews ("money, gift
cards, free or discounted products, refunds, rebates"); a refund must never depend on a
review. Thanks for feedback next to a refund ("Your refund has been issued, thanks for
your feedback!") is no link; "a refund for your feedback" is.
"""

import re
from bisect import bisect_left

from .literals import may_match_words, required, word_pieces
from .normalize import Document
from .reviews import ReviewReader
from .vocabulary import (
    ACT_FILLERS,
    ACT_GERUND,
    FILLERS,
    Span,
    word_set,
)

INCENTIVES = word_set(
    "refund refunds refunded refunding reimburse reimbursed reimbursement discount discounts discounted "
    "coupon coupons voucher vouchers rebate rebates cashback money cash compensation compensate "
    "compensated reward rewards rewarded bonus bonuses gift gifts giftcard freebie freebies giveaway "
    "credit paypal venmo promo promotion perk perks complimentary prize sweepstakes raffle"
)
# "free" is an incentive, except in "feel free", "free to", "BPA-free" and the like.
NOT_FREE_BEFORE = word_set(
    "feel bpa lead toll hassle worry stress dust drip gluten sugar fat scratch rust tangle maintenance "
    "cruelty lactose dairy caffeine error"
)
_INCENTIVE_PHRASES = re.compile(
    r"\b(?:extended warranty|warranty extension|on the house|cash back|free of charge|at no (?:cost|charge)|"
    r"no charge|for nothing|pay (?:you|for|back)|cover the cost|extend\w* (?:your |the |our )?warranty)\b"
)
# (?<![\d.,]): a number is tried from its first digit only, so a long run of digits stays linear.
_MONEY = re.compile(r"[$€£]\s?\d|(?<![\d.,])\d+(?:[.,]\d+)?\s?(?:%|percent\b|dollars?\b|euros?\b|pounds?\b|bucks\b)")
# Phrases that make whatever follows a reward: "in exchange", "as a thank-you for".
_EXCHANGE = re.compile(
    r"\bin (?:exchange|return)\b(?! (?:label|shipping|package|parcel|box|window)\b)"
    r"|\bas (?:a )?(?:thank you|thanks|token)\b|\bto thank you for\b|\bthank you gift\b"
)
# The words each phrase pattern cannot match without, looked up among the message's
# distinct words before the pattern runs over all of them (see ``content.marketing``).
_INCENTIVE_PHRASES_NEEDS = word_pieces(required(_INCENTIVE_PHRASES))
_EXCHANGE_NEEDS = word_pieces(required(_EXCHANGE))
GAINS = word_set("get gets receive receives earn earns win wins enjoy claim")
THANKS = word_set("thanks thank you grateful appreciate sorry apologies apologise apologize reason")
# A reward that waits for a review: "once your review is live", "as soon as the review is removed".
CONDITIONS = word_set("if once when after soon provided until unless")
# Words that tie a reward in one sentence to a review in the next: "Leave a review. Then…"
LINKS = word_set("then once afterwards afterward exchange return reward rewarded turn")
# Between "for" or a condition and the review: "for every 5-star review", "once your review".
_FOR_FILLERS = ACT_FILLERS | ACT_GERUND | {"every", "each"}
_CONDITION_FILLERS = FILLERS | {"you", "u"}


def incentive_words(doc: Document) -> list[int]:
    """Indices of the words that offer something of value."""
    texts = doc.texts
    found = set(doc.positions(INCENTIVES))
    for i in doc.positions({"free"}):
        if not doc.hyphenated[i]:
            before = texts[i - 1] if doc.same_sentence(i - 1, i) else ""
            after = texts[i + 1] if doc.same_sentence(i, i + 1) else ""
            if before not in NOT_FREE_BEFORE and after != "to":
                found.add(i)
    if may_match_words(_INCENTIVE_PHRASES_NEEDS, doc.vocabulary):
        for match in _INCENTIVE_PHRASES.finditer(doc.joined):
            found.add(doc.words_at(match.start(), match.end())[0])
    starts = doc.starts
    for match in _MONEY.finditer(doc.flat):
        k = bisect_left(starts, match.start())
        if k < len(starts) and starts[k] < match.end():
            found.add(k)
    return sorted(found)


def review_incentives(reader: ReviewReader, changes: list[Span]) -> list[Span]:
    """Something of value and a review act in one sentence ("a $10 gift card if you leave
    a review"), a value "for" a review ("a refund for your feedback", but not "thanks for
    your feedback"), a value waiting on a review ("once your review is live"), or
    "in exchange" / "as a thank-you for" a review."""
    doc, texts, sentence_of = reader.doc, reader.texts, reader.sentence_of
    offers = incentive_words(doc)
    acts = reader.review_acts() + changes
    acts_by_sentence: dict[int, list[Span]] = {}
    for act in acts:
        acts_by_sentence.setdefault(sentence_of[act[0]], []).append(act)
    offers_by_sentence: dict[int, list[int]] = {}
    for k in offers:
        offers_by_sentence.setdefault(sentence_of[k], []).append(k)
    spans: list[Span] = []
    # Read once, cut to each sentence by bisection (``_partners``).
    fors, conditions = doc.positions({"for"}), doc.positions(CONDITIONS)
    for sentence, found in offers_by_sentence.items():
        # Each span joins an offer to a partner (a review act, "for your review") and covers
        # the words between, so the spans of the offers between the first and the last lie
        # within theirs and vanish when violations are merged: two offers per sentence keep
        # "$1 for a review, $1 for a review, …" linear.
        partners = _partners(reader, sentence, acts_by_sentence, fors=fors, conditions=conditions)
        for k in {found[0], found[-1]}:
            spans += [(min(k, a), max(k, b)) for a, b in partners]
    # "Leave a review and get a free…": whatever the buyer then gets is the reward.
    for a, b in acts:
        for k in range(b + 1, min(b + 4, len(texts))):
            if sentence_of[k] != sentence_of[b]:
                break
            if texts[k] == "and":
                gain = next(
                    (g for g in range(k + 1, min(k + 5, len(texts))) if sentence_of[g] == sentence_of[k]
                     and texts[g] in GAINS),
                    None,
                )  # fmt: skip
                if gain is not None:
                    spans.append((a, gain))
                break
    exchanges = []
    if may_match_words(_EXCHANGE_NEEDS, doc.vocabulary):
        exchanges = [doc.words_at(match.start(), match.end()) for match in _EXCHANGE.finditer(doc.joined)]
    if exchanges:
        # Per sentence, the first and last review noun or act: the extent an exchange reaches.
        related: dict[int, tuple[int, int]] = {}
        for n in [*reader.nouns, *(a for a, _ in acts)]:
            low, high = related.get(sentence_of[n], (n, n))
            related[sentence_of[n]] = (min(low, n), max(high, n))
        for first, last in exchanges:
            if sentence_of[first] in related:
                low, high = related[sentence_of[first]]
                spans.append((min(first, low), max(last, high)))
    return spans


def _in_sentence(positions: list[int], sentence: range) -> list[int]:
    return positions[bisect_left(positions, sentence.start) : bisect_left(positions, sentence.stop)]


def _partners(
    reader: ReviewReader,
    sentence: int,
    acts_by_sentence: dict[int, list[Span]],
    *,
    fors: list[int],
    conditions: list[int],
) -> list[Span]:
    """What makes an offer in ``sentence`` a reward for a review: a review act in the
    sentence (or in the next or previous one, linked by "then", "in return"…), "for" a
    review ("a refund for your feedback", not "thanks for your feedback"), or a condition
    on a review ("once your review is live"). ``fors`` and ``conditions``: where the
    message has "for" and the words of ``CONDITIONS``."""
    doc, texts = reader.doc, reader.texts
    partners = list(acts_by_sentence.get(sentence, []))
    linked = not doc.sentence_texts[sentence].isdisjoint(LINKS)
    for other in (sentence - 1, sentence + 1):
        if other in acts_by_sentence and (linked or not doc.sentence_texts[other].isdisjoint(LINKS)):
            partners += acts_by_sentence[other]
    same = doc.sentences[sentence]
    for f in _in_sentence(fors, same):
        if f and texts[f - 1] in THANKS and doc.same_sentence(f - 1, f):
            continue
        j = reader.skip(f + 1, _FOR_FILLERS, limit=4)
        if j is not None and (j in reader.noun_set or texts[j] in {"reviewing", "rating"}):
            partners.append((f, j))
    for c in _in_sentence(conditions, same):
        j = reader.skip(c + 1, _CONDITION_FILLERS, limit=4)
        if j is not None and j in reader.noun_set:
            partners.append((c, j))
    return partners
