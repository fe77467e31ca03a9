"""Asking for a good review: "5 stars", "a positive review", and review gating (asking
only happy buyers, or asking unhappy ones to contact the seller first).

Amazon (G1701, G201972160; notes/amazon.md §3): do not ask for positive reviews and do
not ask only buyers who had a positive experience. Thanks for a good review already
written is not a request ("Thank you for the 5-star review!").
"""

import re
from bisect import bisect_right

from .reviews import ACTING, ReviewReader
from .vocabulary import (
    ACKNOWLEDGE,
    ACT_BASE,
    ACT_FILLERS,
    ACT_GERUND,
    BUYER,
    NUMBER_WORDS,
    POSITIVE,
    REQUEST_MARKERS,
    SATISFIED,
    STRONG_REQUEST,
    Span,
)

# What a gating condition needs around it to be a request ("if" itself asks nothing).
_REQUESTED = REQUEST_MARKERS - {"if", "when", "once", "after"}
# What may stand between "before" and the review: "before leaving us a review".
_BEFORE_FILLERS = ACT_FILLERS | {"you", "u", "of", "than"} | ACT_BASE | ACT_GERUND
_CONDITION_WORDS = frozenset({"if", "when", "provided", "providing", "long", "only"})
_BEFORE_WORDS = frozenset({"before", "instead", "rather"})


def positive_requests(reader: ReviewReader) -> list[Span]:
    """A positive word on a review noun ("a 5-star review", "five stars", "a glowing
    review") in a request rather than in thanks, plus gating and drawn stars."""
    doc, texts, sentence_of = reader.doc, reader.texts, reader.sentence_of
    spans: list[Span] = []
    acts = reader.review_acts(base_only=True)
    act_sentences = {sentence_of[a] for a, _ in acts}
    if_you = _if_you_sentences(reader)
    # Only a noun with a positive word (which a 4 or 5 is) at most four words before it.
    for n in reader.nouns_near(doc.positions(POSITIVE), range(1, 5)):
        k = n - 1
        hit = None
        while k >= 0 and n - k <= 4 and sentence_of[k] == sentence_of[n]:
            text = texts[k]
            if text in POSITIVE:
                hit = k
                break
            if not (text in NUMBER_WORDS or text in {"or", "out", "of", "star", "a", "an", "us", "the", "your"}):
                break
            k -= 1
        if hit is None and reader.lemmas[n] == "star":
            # "5 shining stars": a 4 or 5 a word or two before the stars.
            hit = next(
                (k for k in range(max(n - 3, 0), n) if sentence_of[k] == sentence_of[n]
                 and texts[k] in {"4", "5", "four", "five"}),
                None,
            )  # fmt: skip
        if hit is None:
            continue
        if (
            sentence_of[n] in act_sentences
            or reader.marked(n, STRONG_REQUEST)
            or sentence_of[n] in if_you
            or not _acknowledges(reader, hit, n)
        ):
            spans.append((hit, n))
    spans += _gating(reader, acts)
    spans += _happy_reviewers(reader, acts)
    spans += _drawn_stars(reader)
    return spans


_FOUR_STARS = re.compile(r"1{4,}")


def _drawn_stars(reader: ReviewReader) -> list[Span]:
    """Stars drawn as symbols ("⭐⭐⭐⭐⭐", "★★★★☆") ask for a top rating."""
    # One mark per word, and a regular expression for the runs of four or more.
    marks = reader.doc.marks({"star"})
    return [(run.start(), run.end() - 1) for run in _FOUR_STARS.finditer(marks)]


def _happy_reviewers(reader: ReviewReader, acts: list[Span]) -> list[Span]:
    """Gating without "if": "Happy customers leave reviews, unhappy ones talk to us first"."""
    texts, sentence_of = reader.texts, reader.sentence_of
    # Per sentence, the review acts by position, and from each on the furthest end of an act:
    # "happy customers" reaches to the end of the last act after it (the spans to the acts
    # before that lie within it once merged), found by bisection rather than a scan per word.
    starts: dict[int, list[int]] = {}
    furthest: dict[int, list[int]] = {}
    for a, b in sorted(acts):
        starts.setdefault(sentence_of[a], []).append(a)
        furthest.setdefault(sentence_of[a], []).append(b)
    for ends in furthest.values():
        for k in range(len(ends) - 2, -1, -1):
            ends[k] = max(ends[k], ends[k + 1])
    spans = []
    for i in reader.doc.positions(SATISFIED):
        if i + 1 < len(texts) and texts[i + 1] in {"customers", "buyers", "clients", "people"}:
            after = starts.get(sentence_of[i], [])
            k = bisect_right(after, i)
            if k < len(after):
                spans.append((i, furthest[sentence_of[i]][k]))
    return spans


def _acknowledges(reader: ReviewReader, hit: int, n: int) -> bool:
    """Thanks for a good review already written ("Thank you for the 5-star review",
    "your glowing review made our day") is not a request for one."""
    determiner = reader.doc.before_in_sentence[hit]
    if determiner in {"your", "ur", "the", "that", "this", "those", "these"}:
        return True
    return reader.marked(n, ACKNOWLEDGE)


def _if_you_sentences(reader: ReviewReader) -> set[int]:
    """The sentences with "if you" (or "if u") in them."""
    doc, texts = reader.doc, reader.texts
    return {
        reader.sentence_of[i]
        for i in doc.positions({"if"})
        if i + 1 < len(texts) and texts[i + 1] in BUYER and doc.same_sentence(i, i + 1)
    }


def _review_reach(reader: ReviewReader, acts: list[Span]) -> dict[int, tuple[int, int]]:
    """Per sentence, the first and last review word: what a gating condition reaches to."""
    sentence_of = reader.sentence_of
    reach: dict[int, tuple[int, int]] = {}
    for k in set(reader.nouns) | {i for span in acts for i in span}:
        low, high = reach.get(sentence_of[k], (k, k))
        reach[sentence_of[k]] = (min(low, k), max(high, k))
    return reach


def _gating(reader: ReviewReader, acts: list[Span]) -> list[Span]:
    """Review gating: "If you're happy with it, please leave a review"; "contact us before
    leaving feedback"."""
    doc, texts, sentence_of, clause_of = reader.doc, reader.texts, reader.sentence_of, reader.clause_of
    spans = []
    reach = None  # worked out for the first condition that needs it
    act_sentences = {sentence_of[a] for a, _ in acts}
    for i in doc.positions(_CONDITION_WORDS | _BEFORE_WORDS):
        if texts[i] in _CONDITION_WORDS:
            satisfied = next(
                (k for k in range(i + 1, min(i + 7, len(texts))) if sentence_of[k] == sentence_of[i]
                 and texts[k] in SATISFIED),
                None,
            )  # fmt: skip
            if satisfied is None:
                continue
            if texts[satisfied] == "like" and (
                not doc.same_sentence(satisfied, satisfied + 1)
                or clause_of[satisfied + 1] != clause_of[satisfied]
                or texts[satisfied + 1] == "to"
            ):
                continue  # "if you like, ..." means "if you wish"
            acted = reader.marked(i, _REQUESTED) or reader.marked(i, ACTING) or sentence_of[i] in act_sentences
            if reach is None:
                reach = _review_reach(reader, acts)
            if sentence_of[i] in reach and acted:
                low, high = reach[sentence_of[i]]
                spans.append((min(i, low), max(satisfied, high)))
        else:
            j = reader.skip(i + 1, _BEFORE_FILLERS, limit=5)
            if j is not None and (j in reader.noun_set or texts[j] in {"reviewing", "rating", "rate"}):
                spans.append((i, j))
    return spans
