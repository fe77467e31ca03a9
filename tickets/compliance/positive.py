"""Asking for a good review: "5 stars", "a positive review", and review gating (asking
only happy buyers, or asking unhappy ones to contact the seller first).

Amazon (G1701, G201972160; notes/amazon.md §3): do not ask for positive reviews and do
not ask only buyers who had a positive experience. Thanks for a good review already
written is not a request ("Thank you for the 5-star review!").
"""

from .reviews import ReviewReader, same_sentence
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


def positive_requests(reader: ReviewReader) -> list[Span]:
    """A positive word on a review noun ("a 5-star review", "five stars", "a glowing
    review") in a request rather than in thanks, plus gating and drawn stars."""
    words = reader.words
    spans: list[Span] = []
    acts = reader.review_acts(base_only=True)
    act_sentences = {words[a].sentence for a, _ in acts}
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
            or _if_you(reader, n)
            or not _acknowledges(reader, hit, n)
        ):
            spans.append((hit, n))
    spans += _gating(reader, acts)
    spans += _happy_reviewers(reader, acts)
    spans += _drawn_stars(reader)
    return spans


def _drawn_stars(reader: ReviewReader) -> list[Span]:
    """Stars drawn as symbols ("⭐⭐⭐⭐⭐", "★★★★☆") ask for a top rating."""
    words = reader.words
    spans = []
    start = None
    for i in range(len(words) + 1):
        is_star = i < len(words) and words[i].text == "star"
        if is_star and start is None:
            start = i
        elif not is_star and start is not None:
            if i - start >= 4:
                spans.append((start, i - 1))
            start = None
    return spans


def _happy_reviewers(reader: ReviewReader, acts: list[Span]) -> list[Span]:
    """Gating without "if": "Happy customers leave reviews, unhappy ones talk to us first"."""
    words = reader.words
    spans = []
    for i, word in enumerate(words[:-1]):
        if word.text in SATISFIED and words[i + 1].text in {"customers", "buyers", "clients", "people"}:
            for a, b in acts:
                if same_sentence(words, a, i) and a > i:
                    spans.append((i, b))
    return spans


def _acknowledges(reader: ReviewReader, hit: int, n: int) -> bool:
    """Thanks for a good review already written ("Thank you for the 5-star review",
    "your glowing review made our day") is not a request for one."""
    words = reader.words
    determiner = words[hit - 1].text if same_sentence(words, hit - 1, hit) else None
    if determiner in {"your", "ur", "the", "that", "this", "those", "these"}:
        return True
    return reader.marked(n, ACKNOWLEDGE)


def _if_you(reader: ReviewReader, i: int) -> bool:
    sentence = [w.text for w in reader.sentence_of(i)]
    return any(a == "if" and b in BUYER for a, b in zip(sentence, sentence[1:], strict=False))


def _gating(reader: ReviewReader, acts: list[Span]) -> list[Span]:
    """Review gating: "If you're happy with it, please leave a review"; "contact us before
    leaving feedback"."""
    words = reader.words
    spans = []
    review_words = set(reader.nouns) | {i for span in acts for i in span}
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
            review = [k for k in review_words if same_sentence(words, i, k)]
            acted = (
                reader.marked(i, REQUEST_MARKERS - {"if", "when", "once", "after"})
                or any(w.text in ACT_BASE | ACT_GERUND for w in reader.sentence_of(i))
                or any(same_sentence(words, a, i) for a, _ in acts)
            )
            if review and acted:
                spans.append((min(i, *review), max(satisfied, *review)))
        elif word.text in {"before", "instead", "rather"}:
            j = reader.skip(i + 1, ACT_FILLERS | {"you", "u", "of", "than"} | ACT_BASE | ACT_GERUND, limit=5)
            if j is not None and (j in reader.noun_set or words[j].text in {"reviewing", "rating", "rate"}):
                spans.append((i, j))
    return spans
