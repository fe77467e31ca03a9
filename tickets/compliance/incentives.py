"""Paying for a review: anything of value tied to a review or feedback.

Amazon (G201972160; notes/amazon.md §3–§4): no "compensation" for reviews ("money, gift
cards, free or discounted products, refunds, rebates"); a refund must never depend on a
review. Thanks for feedback next to a refund ("Your refund has been issued, thanks for
your feedback!") is no link; "a refund for your feedback" is.
"""

import re
from bisect import bisect_left

from .normalize import Document
from .reviews import ReviewReader, same_sentence
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
    words = doc.words
    found = set()
    for i, word in enumerate(words):
        if word.text in INCENTIVES:
            found.add(i)
        elif word.text == "free" and not word.hyphenated:
            before = words[i - 1].text if same_sentence(words, i - 1, i) else ""
            after = words[i + 1].text if same_sentence(words, i, i + 1) else ""
            if before not in NOT_FREE_BEFORE and after != "to":
                found.add(i)
    for match in _INCENTIVE_PHRASES.finditer(doc.joined):
        found.add(doc.words_at(match.start(), match.end())[0])
    starts = [w.start for w in words]
    for match in _MONEY.finditer(doc.flat):
        k = bisect_left(starts, match.start())
        if k < len(words) and words[k].start < match.end():
            found.add(k)
    return sorted(found)


def review_incentives(reader: ReviewReader, changes: list[Span]) -> list[Span]:
    """Something of value and a review act in one sentence ("a $10 gift card if you leave
    a review"), a value "for" a review ("a refund for your feedback", but not "thanks for
    your feedback"), a value waiting on a review ("once your review is live"), or
    "in exchange" / "as a thank-you for" a review."""
    words = reader.words
    offers = incentive_words(reader.doc)
    acts = reader.review_acts() + changes
    acts_by_sentence: dict[int, list[Span]] = {}
    for act in acts:
        acts_by_sentence.setdefault(words[act[0]].sentence, []).append(act)
    offers_by_sentence: dict[int, list[int]] = {}
    for k in offers:
        offers_by_sentence.setdefault(words[k].sentence, []).append(k)
    spans: list[Span] = []
    for sentence, found in offers_by_sentence.items():
        # Each span joins an offer to a partner (a review act, "for your review") and covers
        # the words between, so the spans of the offers between the first and the last lie
        # within theirs and vanish when violations are merged: two offers per sentence keep
        # "$1 for a review, $1 for a review, …" linear.
        partners = _partners(reader, sentence, acts_by_sentence)
        for k in {found[0], found[-1]}:
            spans += [(min(k, a), max(k, b)) for a, b in partners]
    # "Leave a review and get a free…": whatever the buyer then gets is the reward.
    for a, b in acts:
        for k in range(b + 1, min(b + 4, len(words))):
            if not same_sentence(words, b, k):
                break
            if words[k].text == "and":
                gain = next(
                    (g for g in range(k + 1, min(k + 5, len(words))) if same_sentence(words, k, g)
                     and words[g].text in GAINS),
                    None,
                )  # fmt: skip
                if gain is not None:
                    spans.append((a, gain))
                break
    # Per sentence, the first and last review noun or act: the extent an exchange reaches.
    related: dict[int, tuple[int, int]] = {}
    for n in [*reader.nouns, *(a for a, _ in acts)]:
        low, high = related.get(words[n].sentence, (n, n))
        related[words[n].sentence] = (min(low, n), max(high, n))
    for match in _EXCHANGE.finditer(reader.doc.joined):
        first, last = reader.doc.words_at(match.start(), match.end())
        if words[first].sentence in related:
            low, high = related[words[first].sentence]
            spans.append((min(first, low), max(last, high)))
    return spans


def _partners(reader: ReviewReader, sentence: int, acts_by_sentence: dict[int, list[Span]]) -> list[Span]:
    """What makes an offer in ``sentence`` a reward for a review: a review act in the
    sentence (or in the next or previous one, linked by "then", "in return"…), "for" a
    review ("a refund for your feedback", not "thanks for your feedback"), or a condition
    on a review ("once your review is live")."""
    words = reader.words
    doc = reader.doc
    partners = list(acts_by_sentence.get(sentence, []))
    linked = not doc.sentence_texts[sentence].isdisjoint(LINKS)
    for other in (sentence - 1, sentence + 1):
        if other in acts_by_sentence and (linked or not doc.sentence_texts[other].isdisjoint(LINKS)):
            partners += acts_by_sentence[other]
    same = doc.sentences[sentence]
    for f in (i for i in same if words[i].text == "for"):
        if f and words[f - 1].text in THANKS and same_sentence(words, f - 1, f):
            continue
        j = reader.skip(f + 1, _FOR_FILLERS, limit=4)
        if j is not None and (j in reader.noun_set or words[j].text in {"reviewing", "rating"}):
            partners.append((f, j))
    for c in (i for i in same if words[i].text in CONDITIONS):
        j = reader.skip(c + 1, _CONDITION_FILLERS, limit=4)
        if j is not None and j in reader.noun_set:
            partners.append((c, j))
    return partners
