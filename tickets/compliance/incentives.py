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
    spans: list[Span] = []
    for k in offers:
        sentence = words[k].sentence
        for act in acts_by_sentence.get(sentence, []):
            spans.append((min(k, act[0]), max(k, act[1])))
        for other in (sentence - 1, sentence + 1):
            for act in acts_by_sentence.get(other, []):
                texts = reader.doc.sentence_texts[sentence] | reader.doc.sentence_texts[other]
                if texts & LINKS:
                    spans.append((min(k, act[0]), max(k, act[1])))
        # "For every review, we give a $5 voucher" (but "thanks for your feedback" is thanks).
        same = reader.doc.sentences[sentence]
        for f in (i for i in same if words[i].text == "for"):
            if f and words[f - 1].text in THANKS and same_sentence(words, f - 1, f):
                continue
            j = reader.skip(f + 1, ACT_FILLERS | ACT_GERUND | {"every", "each"}, limit=4)
            if j is not None and (j in reader.noun_set or words[j].text in {"reviewing", "rating"}):
                spans.append((min(k, f), max(k, j)))
        for c in (i for i in same if words[i].text in CONDITIONS):
            j = reader.skip(c + 1, FILLERS | {"you", "u"}, limit=4)
            if j is not None and j in reader.noun_set:
                spans.append((min(k, c), max(k, j)))
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
    for match in _EXCHANGE.finditer(reader.doc.joined):
        first, last = reader.doc.words_at(match.start(), match.end())
        related = [n for n in reader.nouns if same_sentence(words, n, first)]
        related += [a for a, _ in acts if same_sentence(words, a, first)]
        if related:
            spans.append((min(first, *related), max(last, *related)))
    return spans
