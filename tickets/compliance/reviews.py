"""Asking a buyer to change or remove a review, and the reader the other review rules
(``positive``, ``incentives``) build on.

Amazon (G201972160, notes/amazon.md §3–§5): sellers may not "ask customers to change or
remove their review, or attempt to influence the review"; the Communication Guidelines
forbid "language that asks to remove or update a review". A keyword list would block every
reply that says "review", "update" or "remove", so the rules read who is asked to do what:

- a *review noun* is "review", "rating", "feedback" or "stars" used as a noun about the
  buyer's opinion ("your review", "the 2-star rating"), not "we will review your photos"
  or "the rating plate";
- a *change request* is a change verb whose object is such a noun ("update your review"),
  or that refers back to one ("…your review. Would you reconsider it?"), said to the
  buyer rather than by the seller about itself ("we updated the manual").
"""

import re
from collections.abc import Collection, Iterator
from functools import cached_property
from itertools import compress

from .lexicon import CHANGE_LEMMAS, CHANGE_NOUN_LEMMAS, CHANGE_VERBS, forms_of
from .normalize import Document
from .vocabulary import (
    ACT_BASE,
    ACT_FILLERS,
    ACT_GERUND,
    ACT_THIRD,
    ADD_VERBS,
    AGAIN_NOUNS,
    AUXILIARIES,
    BE,
    BUYER,
    CAUSATIVE_VERBS,
    CHANGED,
    FILLERS,
    NO_OBJECT,
    NUMBER_WORDS,
    OBJECT_AFTER_REVIEW_VERB,
    OTHERS,
    PARTICLE_VERBS,
    PHRASE_VARIANTS,
    PHRASES_BY_FIRST,
    POSITIVE,
    POSTED,
    PRODUCT_NOUNS,
    PRONOUN_OBJECTS,
    REFERENCE_NOUNS,
    REFLECT,
    REQUEST_MARKERS,
    SAY,
    SELLER,
    SUBORDINATORS,
    TECHNICAL_AFTER,
    TECHNICAL_BEFORE,
    TRIGGER_WORDS,
    VERB_BEFORE_REVIEW,
    Span,
)

_RUNS = re.compile("1+")


def run_starts(doc: Document, readings: Collection[str]) -> list[int]:
    """For each word, the first word of the run of words that read as one of ``readings``
    within one sentence and ends with it; ``k + 1`` for a word ``k`` that is none."""
    sentence_of = doc.sentence_of
    starts = list(range(1, len(sentence_of) + 1))
    for run in _RUNS.finditer(doc.marks(readings)):
        first, stop = run.span()
        if sentence_of[first] == sentence_of[stop - 1]:
            starts[first:stop] = [first] * (stop - first)
            continue
        for k in range(first, stop):  # a run across sentences starts again in each
            if k > first and sentence_of[k] != sentence_of[k - 1]:
                first = k
            starts[k] = first
    return starts


# A review act in a sentence: "leave", "writing"…
ACTING = ACT_BASE | ACT_GERUND
# Word sets the rules combine, built once rather than at every word.
_ACT_VERBS = ACT_BASE | ACT_GERUND | ACT_THIRD
_OBJECT_OR_DETERMINER = OBJECT_AFTER_REVIEW_VERB | {"the", "your"}
_PARTICLE_FILLERS = FILLERS - {"up", "down", "off", "back"}
_DEFINITE_FILLERS = FILLERS - {"a", "an"}

# Before a change word, these make it a noun: "an update to", "a quick edit to".
NOUN_DETERMINERS = frozenset({"a", "an", "the", "this", "any", "our", "my", "quick", "small", "little"})


_REVIEW_FORMS = forms_of({"review", "rating", "feedback", "star"})
_REVIEWER_FORMS = forms_of({"reviewer"})
_REVIEW_VERBS = frozenset({"review", "rate", "rating", "reviewing"})
_CHANGE_NOUNS = forms_of(CHANGE_NOUN_LEMMAS)
# The words each rule starts from: every other word is passed over without a look.
_ACT_STARTS = {
    True: ACT_BASE | _REVIEW_VERBS | _REVIEWER_FORMS,  # base_only
    False: _ACT_VERBS | _REVIEW_VERBS | _REVIEWER_FORMS,
}
_CHANGE_STARTS = PHRASES_BY_FIRST.keys() | forms_of(PHRASES_BY_FIRST) | forms_of(CHANGE_LEMMAS) | TRIGGER_WORDS
_COUNTS = NUMBER_WORDS | forms_of({"star"})
_WISHED = REFLECT | SAY
_ANOTHER = frozenset({"another", "second", "fresh", "new"})
_ADDING = ADD_VERBS | CHANGE_LEMMAS  # an adding verb, or a change verb's base form ("update")


def _review_noun_in_context(before: str | None, text: str, after: str | None) -> bool:
    """Is ``text`` (a review lemma's form) the buyer's review between these two words?"""
    if before in TECHNICAL_BEFORE or after in TECHNICAL_AFTER:
        return False
    if text == "review":
        # "we will review", "please review the guide": the verb, not the buyer's review.
        if before in VERB_BEFORE_REVIEW:
            return False
        if after in _OBJECT_OR_DETERMINER and before not in {"your", "the", "a", "my", "this"}:
            return False
    if text == "rating" and after in OBJECT_AFTER_REVIEW_VERB:
        return False  # "thanks for rating us": an act, see review_acts()
    if text == "star":
        # "5-star", "one star", "star rating"; never "the star screws".
        return before in NUMBER_WORDS or before in POSITIVE or after in {"rating", "ratings", "review", "you"}
    return True


class ReviewReader:
    """The review-related facts of one document, computed once for all review rules."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.texts = doc.texts
        self.lemmas = doc.lemmas
        self.sentence_of = doc.sentence_of
        self.clause_of = doc.clause_of
        self.nouns = self._review_nouns()
        self.noun_set = set(self.nouns)

    # Rules look back over these runs from many words ("we will have been updating",
    # "an updated 5-star review"): found once, so "have have have…" stays linear; and only
    # when a rule asks.
    @cached_property
    def _auxiliaries_from(self) -> list[int]:
        return run_starts(self.doc, AUXILIARIES)

    @cached_property
    def _counts_from(self) -> list[int]:
        return run_starts(self.doc, _COUNTS)

    # --- what a word is -------------------------------------------------------------

    def _review_nouns(self) -> list[int]:
        """The review nouns: review words judged by their neighbours, and reference nouns."""
        doc = self.doc
        found = doc.positions(_REVIEW_FORMS)

        # The verdict on a review word depends only on it and its neighbours: found once per
        # distinct context ("star star star…" has one). The contexts are read twice rather
        # than kept: ``zip`` then reuses one tuple instead of building one per word.
        def contexts() -> Iterator[tuple[str | None, str, str | None]]:
            return zip(
                map(doc.before_in_sentence.__getitem__, found),
                map(self.texts.__getitem__, found),
                map(doc.after_in_clause.__getitem__, found),
                strict=True,
            )

        verdicts = {context: _review_noun_in_context(*context) for context in set(contexts())}
        nouns = list(compress(found, map(verdicts.__getitem__, contexts())))
        references = [i for i in doc.positions(REFERENCE_NOUNS) if self._review_reference(i)]
        return sorted(nouns + references) if references else nouns

    def _review_reference(self, i: int) -> bool:
        """Words that stand for a review without naming it: "what you wrote on Amazon",
        "the comment you left", "your post on Amazon"."""
        texts, sentence_of = self.texts, self.sentence_of
        if texts[i] not in REFERENCE_NOUNS:
            return False
        following = [texts[k] for k in range(i + 1, min(i + 4, len(texts))) if sentence_of[k] == sentence_of[i]]
        if following[:1] and following[0] in BUYER and following[1:2] and following[1] in POSTED:
            return True
        return following[:2] == ["on", "amazon"] and texts[i] != "what"

    def review_acts(self, *, base_only: bool = False) -> list[Span]:
        """Where the buyer is asked or said to produce a review: "leave a review",
        "give us 5 stars", "review us", "rate the product", "if you review it"."""
        doc, texts, clause_of = self.doc, self.texts, self.clause_of
        verbs = ACT_BASE if base_only else _ACT_VERBS
        acts: list[Span] = []
        for i in doc.positions(_ACT_STARTS[base_only]):
            text = texts[i]
            if text in verbs:
                j = self.skip(i + 1, ACT_FILLERS, limit=6)
                if j is not None and j in self.noun_set:
                    acts.append((i, self.noun_end(j)))
                    continue
                # "write about your experience in a review", "share your thoughts as a review"
                for k in range(i + 1, min(i + 8, len(texts))):
                    if clause_of[k] != clause_of[i]:
                        break
                    if texts[k] in {"in", "as", "via", "with"}:
                        j = self.skip(k + 1, ACT_FILLERS, limit=3)
                        if j is not None and j in self.noun_set:
                            acts.append((i, self.noun_end(j)))
                        break
            elif text in _REVIEW_VERBS and i not in self.noun_set:
                after = self._next_in_clause(i)
                after2 = self._next_in_clause(i + 1) if after else None
                before = doc.before_in_sentence[i]
                if (
                    after in OBJECT_AFTER_REVIEW_VERB
                    or (after in {"the", "your"} and after2 in PRODUCT_NOUNS)
                    or before in BUYER
                ) and not self.said_by_seller(i):
                    acts.append((i, i + 1 if after in OBJECT_AFTER_REVIEW_VERB else i))
            elif text in _REVIEWER_FORMS:
                # "reviewers get a free kit"; not "a reviewer at our warehouse" (staff).
                before = doc.before_in_sentence[i]
                after = texts[i + 1] if doc.same_sentence(i, i + 1) else None
                if before not in {"our", "a", "the"} and after not in {"at", "from", "in", "on"}:
                    acts.append((i, i))
        return acts

    def mentions(self) -> list[Span]:
        """Every mention of reviews: nouns, reviewers, and requests to review."""
        return [(i, i) for i in self.nouns] + self.review_acts()

    # --- helpers --------------------------------------------------------------------

    def nouns_near(self, words: Collection[int], offsets: range) -> list[int]:
        """In order, the nouns at one of ``offsets`` from one of ``words`` (or every noun,
        when that is fewer): a rule that looks a few words from each noun for one of
        ``words`` need visit only these."""
        if len(words) * len(offsets) >= len(self.nouns):
            return self.nouns
        return sorted({k + offset for k in words for offset in offsets} & self.noun_set)

    def _next_in_clause(self, i: int) -> str | None:
        """The word after ``i`` if no comma or full stop lies between ("review, it made
        our day" is not "review it")."""
        return self.doc.after_in_clause[i] if i < len(self.texts) else None

    def marked(self, i: int, markers: frozenset[str]) -> bool:
        """Does the sentence of word ``i`` contain one of ``markers``?"""
        return not self.doc.sentence_texts[self.sentence_of[i]].isdisjoint(markers)

    def skip(self, j: int, fillers: frozenset[str], *, limit: int) -> int | None:
        """The first word from ``j`` on that is not a filler (small numbers are fillers:
        "your 2-star review"), within ``limit`` words and the sentence of word ``j - 1``."""
        texts, sentence_of = self.texts, self.sentence_of
        start = j
        if not 1 <= start <= len(texts):
            return None
        sentence = sentence_of[start - 1]
        while j < len(texts) and j - start <= limit and sentence_of[j] == sentence:
            text = texts[j]
            filler = text in fillers or (text.isdigit() and len(text) <= 2)
            if not filler or j in self.noun_set:
                return j
            j += 1
        return None

    def noun_end(self, j: int) -> int:
        """The last word of the review noun at ``j``: "star" in "5-star review" runs on."""
        while j + 1 in self.noun_set and self.sentence_of[j + 1] == self.sentence_of[j]:
            j += 1
        return j

    def said_by_seller(self, i: int) -> bool:
        """True when the nearest subject before word ``i`` is the seller ("we will update",
        "our designers are revising it") or a third party ("Amazon may remove"); an
        imperative or "you" is a request."""
        texts, sentence_of = self.texts, self.sentence_of
        k = self._auxiliaries_from[i - 1] - 1 if self.doc.same_sentence(i - 1, i) else i - 1
        if k >= 1 and sentence_of[k - 1] == sentence_of[i] and texts[k - 1] in {"our", "my", "their"}:
            return True
        for k in range(i - 1, max(i - 9, -1), -1):
            if sentence_of[k] != sentence_of[i]:
                return False
            text = texts[k]
            if text in BUYER:
                return False
            if text in SELLER or text in OTHERS:
                return True
            if text in SUBORDINATORS:
                return False
        return False

    def _buyer_subject(self, i: int) -> bool:
        texts, sentence_of = self.texts, self.sentence_of
        for k in range(i - 1, max(i - 6, -1), -1):
            if sentence_of[k] != sentence_of[i] or texts[k] in SELLER:
                return False
            if texts[k] in BUYER:
                return True
        return False

    def _noun_before(self, i: int, *, window: int, sentences_back: int) -> int | None:
        sentence_of = self.sentence_of
        for k in range(i - 1, max(i - window - 1, -1), -1):
            if sentence_of[i] - sentence_of[k] > sentences_back:
                return None
            if k in self.noun_set:
                return k
        return None

    def _phrase_at(self, i: int) -> int | None:
        """The last word of a change phrase starting at ``i``, or None."""
        texts, lemmas = self.texts, self.lemmas
        for phrase in PHRASES_BY_FIRST.get(texts[i], ()) + PHRASES_BY_FIRST.get(lemmas[i] or "", ()):
            end = i + len(phrase) - 1
            # The second word first: it turns away most words at once ("take take take…").
            if end >= len(texts) or texts[i + 1] != phrase[1] or not self.doc.same_sentence(i, end):
                continue
            if texts[i] not in PHRASE_VARIANTS.get(phrase[0], {phrase[0]}) and lemmas[i] != phrase[0]:
                continue
            if all(texts[i + k] == phrase[k] for k in range(1, len(phrase))):
                return end
        return None

    # --- the change request ---------------------------------------------------------

    def change_requests(self) -> list[Span]:
        texts, lemmas = self.texts, self.lemmas
        spans: list[Span] = []
        # Only a phrase's first word, a change verb or a trigger word can start a request.
        for i in self.doc.positions(_CHANGE_STARTS):
            text, lemma = texts[i], lemmas[i]
            starts_phrase = text in PHRASES_BY_FIRST or lemma in PHRASES_BY_FIRST
            last = self._phrase_at(i) if starts_phrase else None
            is_verb = lemma in CHANGE_LEMMAS
            if last is None and not is_verb and text not in TRIGGER_WORDS:
                continue
            phrase = last is not None
            last = i if last is None else last
            # A change word used as a noun ("an update to your rating") has no subject to check.
            as_noun = not phrase and i > 0 and texts[i - 1] in NOUN_DETERMINERS
            if not as_noun and self.said_by_seller(i):
                continue
            particle = self._particle_request(i) or self._causative_request(i) or self._verbless_request(i)
            if particle:
                spans.append(particle)
                continue
            span = self._object_request(i, last, phrase=phrase) or (
                self._subject_request(i) if is_verb and not phrase else None
            )
            if span:
                spans.append(span)
        spans += self._reflect_requests()
        spans += self._another_go_requests()
        spans += self._changed_review_requests()
        spans += self._change_noun_requests()
        spans += self._addition_requests()
        return spans

    def _object_request(self, i: int, last: int, *, phrase: bool) -> Span | None:
        """A change verb acting on a review: "update your review", "take another look at the
        stars", or on one named before: "…your review. Would you remove it?"."""
        texts = self.texts
        bare_look = not phrase and texts[i] in {"look", "looking"}
        # "an update on your feedback" is news; "a change to your rating" is a request.
        as_noun = not phrase and i > 0 and texts[i - 1] in NOUN_DETERMINERS
        j = self.skip(last + 1, FILLERS, limit=6)
        if j is not None and j in self.noun_set:
            if bare_look:
                # "look at your review" is no request to change it; "look at it again" is.
                again = self.doc.same_sentence(j, j + 1) and texts[j + 1] == "again"
                return (i, j + 1) if again else None
            if as_noun and not (set(texts[last + 1 : j]) & {"to", "of", "in"} and self.marked(i, REQUEST_MARKERS)):
                return None
            return (i, self.noun_end(j))
        if bare_look or as_noun:
            return None
        nxt = last + 1
        if self.doc.same_sentence(last, nxt) and texts[nxt] in PRONOUN_OBJECTS:
            noun = self._noun_before(i, window=15, sentences_back=1)
            if noun is not None:
                return (noun, nxt)
        return None

    def _particle_request(self, i: int) -> Span | None:
        """A verb whose particle follows the review: "take your review down", "bump the rating up"."""
        if self.texts[i] not in PARTICLE_VERBS:
            return None
        j = self.skip(i + 1, _PARTICLE_FILLERS, limit=6)
        if j is None or j not in self.noun_set:
            return None
        j = self.noun_end(j)
        if self.doc.same_sentence(j, j + 1) and self.texts[j + 1] in {"down", "back", "up", "off"}:
            return (i, j + 1)
        return None

    def _causative_request(self, i: int) -> Span | None:
        """Having the review changed: "get the 2-star review updated", "have your feedback removed"."""
        texts, lemmas = self.texts, self.lemmas
        if texts[i] not in CAUSATIVE_VERBS:
            return None
        j = self.skip(i + 1, FILLERS, limit=5)
        if j is None or j not in self.noun_set:
            return None
        j = self.noun_end(j)
        nxt = j + 1
        if self.doc.same_sentence(j, nxt) and lemmas[nxt] in CHANGE_LEMMAS and texts[nxt] != lemmas[nxt]:
            return (i, nxt)
        return None

    def _verbless_request(self, i: int) -> Span | None:
        """Requests that need no review verb: "re-rate us", "rate us again", "do something about
        the 1-star"."""
        texts, clause_of = self.texts, self.clause_of
        text = texts[i]
        if self.lemmas[i] == "rerate":
            return (i, i)
        if text == "rate":
            for k in range(i + 1, min(i + 4, len(texts))):
                if clause_of[k] != clause_of[i]:
                    break
                if texts[k] == "again":
                    return (i, k)
        if text in {"do", "anything", "something"} and self.marked(i, REQUEST_MARKERS):
            for k in range(i + 1, min(i + 3, len(texts))):
                if clause_of[k] == clause_of[i] and texts[k] == "about":
                    j = self.skip(k + 1, FILLERS, limit=4)
                    if j is not None and j in self.noun_set:
                        return (i, self.noun_end(j))
        return None

    def _subject_request(self, i: int) -> Span | None:
        """The review named first, the change after: "Is your review something you would
        reconsider?", "Could your rating be updated?"."""
        doc, texts = self.doc, self.texts
        noun = self._noun_before(i, window=12, sentences_back=1)
        if noun is None:
            return None
        nxt = i + 1
        no_object = not doc.same_sentence(i, nxt) or self.clause_of[nxt] != self.clause_of[i]
        no_object = no_object or texts[nxt] in NO_OBJECT
        if no_object and self._buyer_subject(i):
            return (noun, i)
        passive = texts[i].endswith(("ed", "en")) and any(
            doc.same_sentence(k, i) and texts[k] in BE for k in (i - 1, i - 2)
        )
        if passive and self.sentence_of[noun] == self.sentence_of[i] and self.marked(i, REQUEST_MARKERS):
            return (noun, i)
        return None

    def _reflect_requests(self) -> list[Span]:
        """Wishing the review said something else: "We'd love it if your review reflected the
        resolution", "it'd be fair for your review to say so"."""
        doc, texts, sentence_of = self.doc, self.texts, self.sentence_of
        # Only a noun with such a word within three words after it can be one.
        near = self.nouns_near(doc.positions(_WISHED), range(-3, 0))
        if not near:
            return []
        # Per sentence, its first request marker ("We'd love it if your review reflected…").
        first_marker: dict[int, int] = {}
        for k in reversed(doc.positions(REQUEST_MARKERS)):
            first_marker[sentence_of[k]] = k
        spans = []
        for n in near:
            for k in range(n + 1, min(n + 4, len(texts))):
                if sentence_of[k] != sentence_of[n]:
                    break
                wished = texts[k] in REFLECT or (
                    texts[k] in SAY and texts[k - 1] in {"to", "could", "would", "might", "can"}
                )
                if wished:
                    if first_marker.get(sentence_of[n], n) < n:
                        spans.append((n, k))
                    break
        return spans

    def _another_go_requests(self) -> list[Span]:
        """Another chance for the review: "Mind giving the review another go?"."""
        doc, texts, sentence_of = self.doc, self.texts, self.sentence_of
        spans = []
        for n in self.nouns_near(doc.positions(_ANOTHER), range(-3, 0)):
            for k in range(n + 1, min(n + 4, len(texts))):
                if sentence_of[k] != sentence_of[n]:
                    break
                if texts[k] in _ANOTHER and doc.same_sentence(k, k + 1):
                    if texts[k + 1] in AGAIN_NOUNS and self.marked(n, REQUEST_MARKERS):
                        spans.append((n, k + 1))
                    break
        return spans

    def _changed_review_requests(self) -> list[Span]:
        """Wishing for a changed review: "An updated review would mean a lot", "would you leave a
        new rating"."""
        doc, texts = self.doc, self.texts
        if not doc.has_any(CHANGED):
            return []  # none can be one
        spans = []
        for n in self.nouns:
            k = self._counts_from[n - 1] - 1 if doc.same_sentence(n - 1, n) else n - 1
            if not (k >= 0 and doc.same_sentence(k, n) and texts[k] in CHANGED):
                continue
            # "We'd be grateful for an updated review": the seller wishing is the request.
            if self.marked(n, REQUEST_MARKERS) or self.marked(n, ACTING):
                spans.append((k, n))
        return spans

    def _change_noun_requests(self) -> list[Span]:
        """Naming the change: "removal of your feedback", "a feedback removal"."""
        spans = []
        for i in self.doc.positions(_CHANGE_NOUNS):
            if i - 1 in self.noun_set and self.doc.same_sentence(i - 1, i):
                spans.append((i - 1, i))
                continue
            j = self.skip(i + 1, FILLERS, limit=4)
            if j is not None and j in self.noun_set:
                spans.append((i, j))
        return spans

    def _addition_requests(self) -> list[Span]:
        """Adding to the review: "Could you mention the replacement in your review?", "add a
        note to your rating"."""
        texts, sentence_of, clause_of = self.texts, self.sentence_of, self.clause_of
        spans = []
        for i in self.doc.positions(_ADDING):
            if self.said_by_seller(i):
                continue
            if not (self.marked(i, REQUEST_MARKERS) or i == 0 or sentence_of[i - 1] != sentence_of[i]):
                continue
            for k in range(i + 1, min(i + 8, len(texts))):
                if clause_of[k] != clause_of[i] or texts[k] in {"and", "or", "then", "but"}:
                    break
                if texts[k] in {"in", "to", "on", "under", "into"} or (texts[k] == "from" and texts[i] in CHANGE_VERBS):
                    # "in your review" is the existing one; "in a review" would be a new one.
                    j = self.skip(k + 1, _DEFINITE_FILLERS, limit=3)
                    if j is not None and j in self.noun_set and texts[k + 1] not in {"a", "an"}:
                        spans.append((i, j))
                    break
        return spans
