"""Asking for a good review: "5 stars", "a positive review", and review gating (asking
only happy buyers, or asking unhappy ones to contact the seller first).

Amazon (G1701, G201972160; notes/amazon.md §3): do not ask for positive reviews and do
not ask only buyers who had a positive experience. Thanks for a good review already
written is not a request ("Thank you for the 5-star review!").
"""

import re
from bisect import bisect_right

from .reviews import ACTING, ReviewReader, same_sentence
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


def positive_requests(reader: ReviewReader) -> list[Span]:
    """A positive word on a review noun ("a 5-star review", "five stars", "a glowing
    review") in a request rather than in thanks, plus gating and drawn stars."""
    words = reader.words
    spans: list[Span] = []
    acts = reader.review_acts(base_only=True)
    act_sentences = {words[a].sentence for a, _ in acts}
    if_you = _if_you_sentences(reader)
    for n in reader.nouns:
        k = n - 1
        hit = None
        while k >= 0 and n - k <= 4 and same_sentence(words, k, n):
            text = words[k].text
            if text in POSITIVE:
                hit = k
                break
            if not (text in NUMBER_WORDS or text in {"or", "out", "of", "star", "a", "an", "us", "the", "your"}):
                break
            k -= 1
        if hit is None and words[n].lemma == "star":
            # "5 shining stars": a 4 or 5 a word or two before the stars.
            hit = next(
                (k for k in range(max(n - 3, 0), n) if same_sentence(words, k, n)
                 and words[k].text in {"4", "5", "four", "five"}),
                None,
            )  # fmt: skip
        if hit is None:
            continue
        if (
            words[n].sentence in act_sentences
            or reader.marked(n, STRONG_REQUEST)
            or words[n].sentence in if_you
            or not _acknowledges(reader, hit, n)
        ):
            spans.append((hit, n))
    spans += _gating(reader, acts)
    spans += _happy_reviewers(reader, acts)
    spans += _drawn_stars(reader)
    return spans


_FOUR_STARS = re.compile(r"\*{4,}")


def _drawn_stars(reader: ReviewReader) -> list[Span]:
    """Stars drawn as symbols ("⭐⭐⭐⭐⭐", "★★★★☆") ask for a top rating."""
    # One mark per word, and a regular expression for the runs of four or more.
    marks = "".join(["*" if text == "star" else " " for text in reader.doc.texts])
    return [(run.start(), run.end() - 1) for run in _FOUR_STARS.finditer(marks)]


def _happy_reviewers(reader: ReviewReader, acts: list[Span]) -> list[Span]:
    """Gating without "if": "Happy customers leave reviews, unhappy ones talk to us first"."""
    words = reader.words
    # Per sentence, the review acts by position, and from each on the furthest end of an act:
    # "happy customers" reaches to the end of the last act after it (the spans to the acts
    # before that lie within it once merged), found by bisection rather than a scan per word.
    starts: dict[int, list[int]] = {}
    furthest: dict[int, list[int]] = {}
    for a, b in sorted(acts):
        starts.setdefault(words[a].sentence, []).append(a)
        furthest.setdefault(words[a].sentence, []).append(b)
    for ends in furthest.values():
        for k in range(len(ends) - 2, -1, -1):
            ends[k] = max(ends[k], ends[k + 1])
    spans = []
    for i, word in enumerate(words[:-1]):
        if word.text in SATISFIED and words[i + 1].text in {"customers", "buyers", "clients", "people"}:
            after = starts.get(word.sentence, [])
            k = bisect_right(after, i)
            if k < len(after):
                spans.append((i, furthest[word.sentence][k]))
    return spans


def _acknowledges(reader: ReviewReader, hit: int, n: int) -> bool:
    """Thanks for a good review already written ("Thank you for the 5-star review",
    "your glowing review made our day") is not a request for one."""
    words = reader.words
    determiner = words[hit - 1].text if same_sentence(words, hit - 1, hit) else None
    if determiner in {"your", "ur", "the", "that", "this", "those", "these"}:
        return True
    return reader.marked(n, ACKNOWLEDGE)


def _if_you_sentences(reader: ReviewReader) -> set[int]:
    """The sentences with "if you" (or "if u") in them."""
    words = reader.words
    return {
        words[i].sentence
        for i in range(len(words) - 1)
        if words[i].text == "if" and words[i + 1].text in BUYER and same_sentence(words, i, i + 1)
    }


def _gating(reader: ReviewReader, acts: list[Span]) -> list[Span]:
    """Review gating: "If you're happy with it, please leave a review"; "contact us before
    leaving feedback"."""
    words = reader.words
    spans = []
    review_words = set(reader.nouns) | {i for span in acts for i in span}
    # Per sentence, the first and last review word: what a gating condition reaches to.
    reach: dict[int, tuple[int, int]] = {}
    for k in review_words:
        low, high = reach.get(words[k].sentence, (k, k))
        reach[words[k].sentence] = (min(low, k), max(high, k))
    act_sentences = {words[a].sentence for a, _ in acts}
    for i, word in enumerate(words):
        if word.text in {"if", "when", "provided", "providing", "long", "only"}:
            satisfied = next(
                (k for k in range(i + 1, min(i + 7, len(words))) if same_sentence(words, i, k)
                 and words[k].text in SATISFIED),
                None,
            )  # fmt: skip
            if satisfied is None:
                continue
            if words[satisfied].text == "like" and (
                not same_sentence(words, satisfied, satisfied + 1)
                or words[satisfied + 1].clause != words[satisfied].clause
                or words[satisfied + 1].text == "to"
            ):
                continue  # "if you like, ..." means "if you wish"
            acted = reader.marked(i, _REQUESTED) or reader.marked(i, ACTING) or word.sentence in act_sentences
            if word.sentence in reach and acted:
                low, high = reach[word.sentence]
                spans.append((min(i, low), max(satisfied, high)))
        elif word.text in {"before", "instead", "rather"}:
            j = reader.skip(i + 1, _BEFORE_FILLERS, limit=5)
            if j is not None and (j in reader.noun_set or words[j].text in {"reviewing", "rating", "rate"}):
                spans.append((i, j))
    return spans
