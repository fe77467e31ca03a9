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

from collections.abc import Iterator, Sequence

from .lexicon import CHANGE_LEMMAS, CHANGE_NOUN_LEMMAS, CHANGE_VERBS
from .normalize import Document, Word
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


def same_sentence(words: tuple[Word, ...], a: int, b: int) -> bool:
    """Are ``a`` and ``b`` valid word indices in one sentence?"""
    return 0 <= a < len(words) and 0 <= b < len(words) and words[a].sentence == words[b].sentence


def run_starts(words: tuple[Word, ...], belongs: Sequence[bool]) -> list[int]:
    """For each word, the first word of the run of words that belong (``belongs[k]``) within
    one sentence and ends with it; ``k + 1`` for a word ``k`` that does not belong."""
    if not any(belongs):
        return list(range(1, len(words) + 1))
    starts: list[int] = []
    for k, (word, inside) in enumerate(zip(words, belongs, strict=True)):
        if not inside:
            starts.append(k + 1)
        elif k and starts[k - 1] <= k - 1 and words[k - 1].sentence == word.sentence:
            starts.append(starts[k - 1])
        else:
            starts.append(k)
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


_REVIEW_LEMMAS = frozenset({"review", "rating", "feedback", "star"})


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
        self.words = doc.words
        # The verdict on a review word depends only on it and its neighbours: found once per
        # distinct context ("star star star…" has one).
        self._noun_verdicts: dict[tuple[str | None, str, str | None], bool] = {}
        self.nouns = self._review_nouns()
        self.noun_set = set(self.nouns)
        # Rules look back over these runs from many words ("we will have been updating",
        # "an updated 5-star review"): found once, so "have have have…" stays linear.
        self._auxiliaries_from = run_starts(self.words, [word.text in AUXILIARIES for word in self.words])
        self._counts_from = run_starts(
            self.words, [word.text in NUMBER_WORDS or word.lemma == "star" for word in self.words]
        )

    # --- what a word is -------------------------------------------------------------

    def is_review_noun(self, i: int) -> bool:
        words = self.words
        word = words[i]
        if word.lemma not in _REVIEW_LEMMAS:
            return self._review_reference(i)
        before = words[i - 1].text if same_sentence(words, i - 1, i) else None
        return self._noun_in_context(before, word.text, self._next_in_clause(i))

    def _noun_in_context(self, before: str | None, text: str, after: str | None) -> bool:
        key = (before, text, after)
        verdict = self._noun_verdicts.get(key)
        if verdict is None:
            verdict = self._noun_verdicts[key] = _review_noun_in_context(*key)
        return verdict

    def _review_nouns(self) -> list[int]:
        """``is_review_noun`` for every word, its neighbours read inline: this runs once per
        word of the message, and only review words and reference nouns need a look."""
        words = self.words
        last = len(words) - 1
        verdicts = self._noun_verdicts
        nouns = []
        for i, word in enumerate(words):
            if word.lemma in _REVIEW_LEMMAS:
                before = words[i - 1].text if i and words[i - 1].sentence == word.sentence else None
                after = words[i + 1].text if i < last and words[i + 1].clause == word.clause else None
                key = (before, word.text, after)
                verdict = verdicts.get(key)
                if verdict is None:
                    verdict = verdicts[key] = _review_noun_in_context(*key)
                if verdict:
                    nouns.append(i)
            elif word.text in REFERENCE_NOUNS and self._review_reference(i):
                nouns.append(i)
        return nouns

    def _review_reference(self, i: int) -> bool:
        """Words that stand for a review without naming it: "what you wrote on Amazon",
        "the comment you left", "your post on Amazon"."""
        words = self.words
        if words[i].text not in REFERENCE_NOUNS:
            return False
        following = [w.text for w in words[i + 1 : i + 4] if w.sentence == words[i].sentence]
        if following[:1] and following[0] in BUYER and following[1:2] and following[1] in POSTED:
            return True
        return following[:2] == ["on", "amazon"] and words[i].text != "what"

    def review_acts(self, *, base_only: bool = False) -> list[Span]:
        """Where the buyer is asked or said to produce a review: "leave a review",
        "give us 5 stars", "review us", "rate the product", "if you review it"."""
        words = self.words
        verbs = ACT_BASE if base_only else _ACT_VERBS
        acts: list[Span] = []
        for i, word in enumerate(words):
            if word.text in verbs:
                j = self.skip(i + 1, ACT_FILLERS, limit=6)
                if j is not None and j in self.noun_set:
                    acts.append((i, self.noun_end(j)))
                    continue
                # "write about your experience in a review", "share your thoughts as a review"
                for k in range(i + 1, min(i + 8, len(words))):
                    if words[k].clause != word.clause:
                        break
                    if words[k].text in {"in", "as", "via", "with"}:
                        j = self.skip(k + 1, ACT_FILLERS, limit=3)
                        if j is not None and j in self.noun_set:
                            acts.append((i, self.noun_end(j)))
                        break
            elif word.text in {"review", "rate", "rating", "reviewing"} and i not in self.noun_set:
                after = self._next_in_clause(i)
                after2 = self._next_in_clause(i + 1) if after else None
                before = words[i - 1].text if same_sentence(words, i - 1, i) else None
                if (
                    after in OBJECT_AFTER_REVIEW_VERB
                    or (after in {"the", "your"} and after2 in PRODUCT_NOUNS)
                    or before in BUYER
                ) and not self.said_by_seller(i):
                    acts.append((i, i + 1 if after in OBJECT_AFTER_REVIEW_VERB else i))
            elif word.lemma == "reviewer":
                # "reviewers get a free kit"; not "a reviewer at our warehouse" (staff).
                before = words[i - 1].text if same_sentence(words, i - 1, i) else None
                after = words[i + 1].text if same_sentence(words, i, i + 1) else None
                if before not in {"our", "a", "the"} and after not in {"at", "from", "in", "on"}:
                    acts.append((i, i))
        return acts

    def mentions(self) -> list[Span]:
        """Every mention of reviews: nouns, reviewers, and requests to review."""
        return [(i, i) for i in self.nouns] + self.review_acts()

    # --- helpers --------------------------------------------------------------------

    def _next_in_clause(self, i: int) -> str | None:
        """The word after ``i`` if no comma or full stop lies between ("review, it made
        our day" is not "review it")."""
        words = self.words
        return words[i + 1].text if i + 1 < len(words) and words[i + 1].clause == words[i].clause else None

    def sentence_of(self, i: int) -> Iterator[Word]:
        """The words of the sentence word ``i`` belongs to."""
        return (self.words[k] for k in self.doc.sentences[self.words[i].sentence])

    def marked(self, i: int, markers: frozenset[str]) -> bool:
        """Does the sentence of word ``i`` contain one of ``markers``?"""
        return not self.doc.sentence_texts[self.words[i].sentence].isdisjoint(markers)

    def skip(self, j: int, fillers: frozenset[str], *, limit: int) -> int | None:
        """The first word from ``j`` on that is not a filler (small numbers are fillers:
        "your 2-star review"), within ``limit`` words and the sentence of word ``j - 1``."""
        words = self.words
        start = j
        while j < len(words) and j - start <= limit and same_sentence(words, start - 1, j):
            text = words[j].text
            filler = text in fillers or (text.isdigit() and len(text) <= 2)
            if not filler or j in self.noun_set:
                return j
            j += 1
        return None

    def noun_end(self, j: int) -> int:
        """The last word of the review noun at ``j``: "star" in "5-star review" runs on."""
        while j + 1 in self.noun_set and same_sentence(self.words, j, j + 1):
            j += 1
        return j

    def said_by_seller(self, i: int) -> bool:
        """True when the nearest subject before word ``i`` is the seller ("we will update",
        "our designers are revising it") or a third party ("Amazon may remove"); an
        imperative or "you" is a request."""
        words = self.words
        k = self._auxiliaries_from[i - 1] - 1 if same_sentence(words, i - 1, i) else i - 1
        if k >= 1 and words[k - 1].sentence == words[i].sentence and words[k - 1].text in {"our", "my", "their"}:
            return True
        for k in range(i - 1, max(i - 9, -1), -1):
            if words[k].sentence != words[i].sentence:
                return False
            text = words[k].text
            if text in BUYER:
                return False
            if text in SELLER or text in OTHERS:
                return True
            if text in SUBORDINATORS:
                return False
        return False

    def _buyer_subject(self, i: int) -> bool:
        words = self.words
        for k in range(i - 1, max(i - 6, -1), -1):
            if words[k].sentence != words[i].sentence or words[k].text in SELLER:
                return False
            if words[k].text in BUYER:
                return True
        return False

    def _noun_before(self, i: int, *, window: int, sentences_back: int) -> int | None:
        words = self.words
        for k in range(i - 1, max(i - window - 1, -1), -1):
            if words[i].sentence - words[k].sentence > sentences_back:
                return None
            if k in self.noun_set:
                return k
        return None

    def _phrase_at(self, i: int) -> int | None:
        """The last word of a change phrase starting at ``i``, or None."""
        words = self.words
        for phrase in PHRASES_BY_FIRST.get(words[i].text, ()) + PHRASES_BY_FIRST.get(words[i].lemma or "", ()):
            end = i + len(phrase) - 1
            # The second word first: it turns away most words at once ("take take take…").
            if end >= len(words) or words[i + 1].text != phrase[1] or not same_sentence(words, i, end):
                continue
            first = words[i]
            if first.text not in PHRASE_VARIANTS.get(phrase[0], {phrase[0]}) and first.lemma != phrase[0]:
                continue
            if all(words[i + k].text == phrase[k] for k in range(1, len(phrase))):
                return end
        return None

    # --- the change request ---------------------------------------------------------

    def change_requests(self) -> list[Span]:
        words = self.words
        spans: list[Span] = []
        for i, word in enumerate(words):
            # Most words start no phrase: the look-up answers that without a call.
            starts_phrase = word.text in PHRASES_BY_FIRST or word.lemma in PHRASES_BY_FIRST
            last = self._phrase_at(i) if starts_phrase else None
            is_verb = word.lemma in CHANGE_LEMMAS
            if last is None and not is_verb and word.text not in TRIGGER_WORDS:
                continue
            phrase = last is not None
            last = i if last is None else last
            # A change word used as a noun ("an update to your rating") has no subject to check.
            as_noun = not phrase and i > 0 and words[i - 1].text in NOUN_DETERMINERS
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
        words = self.words
        bare_look = not phrase and words[i].text in {"look", "looking"}
        # "an update on your feedback" is news; "a change to your rating" is a request.
        as_noun = not phrase and i > 0 and words[i - 1].text in NOUN_DETERMINERS
        j = self.skip(last + 1, FILLERS, limit=6)
        if j is not None and j in self.noun_set:
            if bare_look:
                # "look at your review" is no request to change it; "look at it again" is.
                again = same_sentence(words, j, j + 1) and words[j + 1].text == "again"
                return (i, j + 1) if again else None
            if as_noun and not (
                {w.text for w in words[last + 1 : j]} & {"to", "of", "in"} and self.marked(i, REQUEST_MARKERS)
            ):
                return None
            return (i, self.noun_end(j))
        if bare_look or as_noun:
            return None
        nxt = last + 1
        if same_sentence(words, last, nxt) and words[nxt].text in PRONOUN_OBJECTS:
            noun = self._noun_before(i, window=15, sentences_back=1)
            if noun is not None:
                return (noun, nxt)
        return None

    def _particle_request(self, i: int) -> Span | None:
        """A verb whose particle follows the review: "take your review down", "bump the rating up"."""
        words = self.words
        if words[i].text not in PARTICLE_VERBS:
            return None
        j = self.skip(i + 1, _PARTICLE_FILLERS, limit=6)
        if j is None or j not in self.noun_set:
            return None
        j = self.noun_end(j)
        if same_sentence(words, j, j + 1) and words[j + 1].text in {"down", "back", "up", "off"}:
            return (i, j + 1)
        return None

    def _causative_request(self, i: int) -> Span | None:
        """Having the review changed: "get the 2-star review updated", "have your feedback removed"."""
        words = self.words
        if words[i].text not in CAUSATIVE_VERBS:
            return None
        j = self.skip(i + 1, FILLERS, limit=5)
        if j is None or j not in self.noun_set:
            return None
        j = self.noun_end(j)
        nxt = j + 1
        if same_sentence(words, j, nxt) and words[nxt].lemma in CHANGE_LEMMAS and words[nxt].text != words[nxt].lemma:
            return (i, nxt)
        return None

    def _verbless_request(self, i: int) -> Span | None:
        """Requests that need no review verb: "re-rate us", "rate us again", "do something about
        the 1-star"."""
        words = self.words
        word = words[i]
        if word.lemma == "rerate":
            return (i, i)
        if word.text == "rate":
            for k in range(i + 1, min(i + 4, len(words))):
                if words[k].clause != word.clause:
                    break
                if words[k].text == "again":
                    return (i, k)
        if word.text in {"do", "anything", "something"} and self.marked(i, REQUEST_MARKERS):
            for k in range(i + 1, min(i + 3, len(words))):
                if words[k].clause == word.clause and words[k].text == "about":
                    j = self.skip(k + 1, FILLERS, limit=4)
                    if j is not None and j in self.noun_set:
                        return (i, self.noun_end(j))
        return None

    def _subject_request(self, i: int) -> Span | None:
        """The review named first, the change after: "Is your review something you would
        reconsider?", "Could your rating be updated?"."""
        words = self.words
        noun = self._noun_before(i, window=12, sentences_back=1)
        if noun is None:
            return None
        nxt = i + 1
        no_object = not same_sentence(words, i, nxt) or words[nxt].clause != words[i].clause
        no_object = no_object or words[nxt].text in NO_OBJECT
        if no_object and self._buyer_subject(i):
            return (noun, i)
        passive = words[i].text.endswith(("ed", "en")) and any(
            same_sentence(words, k, i) and words[k].text in BE for k in (i - 1, i - 2)
        )
        if passive and words[noun].sentence == words[i].sentence and self.marked(i, REQUEST_MARKERS):
            return (noun, i)
        return None

    def _reflect_requests(self) -> list[Span]:
        """Wishing the review said something else: "We'd love it if your review reflected the
        resolution", "it'd be fair for your review to say so"."""
        words = self.words
        spans = []
        # Per sentence, its first request marker ("We'd love it if your review reflected…").
        first_marker: dict[int, int] = {}
        for k in range(len(words) - 1, -1, -1):
            if words[k].text in REQUEST_MARKERS:
                first_marker[words[k].sentence] = k
        for n in self.nouns:
            for k in range(n + 1, min(n + 4, len(words))):
                if not same_sentence(words, n, k):
                    break
                wished = words[k].text in REFLECT or (
                    words[k].text in SAY and words[k - 1].text in {"to", "could", "would", "might", "can"}
                )
                if wished:
                    if first_marker.get(words[n].sentence, n) < n:
                        spans.append((n, k))
                    break
        return spans

    def _another_go_requests(self) -> list[Span]:
        """Another chance for the review: "Mind giving the review another go?"."""
        words = self.words
        spans = []
        for n in self.nouns:
            for k in range(n + 1, min(n + 4, len(words))):
                if not same_sentence(words, n, k):
                    break
                if words[k].text in {"another", "second", "fresh", "new"} and same_sentence(words, k, k + 1):
                    if words[k + 1].text in AGAIN_NOUNS and self.marked(n, REQUEST_MARKERS):
                        spans.append((n, k + 1))
                    break
        return spans

    def _changed_review_requests(self) -> list[Span]:
        """Wishing for a changed review: "An updated review would mean a lot", "would you leave a
        new rating"."""
        words = self.words
        spans = []
        for n in self.nouns:
            k = self._counts_from[n - 1] - 1 if same_sentence(words, n - 1, n) else n - 1
            if not (k >= 0 and same_sentence(words, k, n) and words[k].text in CHANGED):
                continue
            # "We'd be grateful for an updated review": the seller wishing is the request.
            if self.marked(n, REQUEST_MARKERS) or self.marked(n, ACTING):
                spans.append((k, n))
        return spans

    def _change_noun_requests(self) -> list[Span]:
        """Naming the change: "removal of your feedback", "a feedback removal"."""
        words = self.words
        spans = []
        for i, word in enumerate(words):
            if word.lemma not in CHANGE_NOUN_LEMMAS:
                continue
            if i - 1 in self.noun_set and same_sentence(words, i - 1, i):
                spans.append((i - 1, i))
                continue
            j = self.skip(i + 1, FILLERS, limit=4)
            if j is not None and j in self.noun_set:
                spans.append((i, j))
        return spans

    def _addition_requests(self) -> list[Span]:
        """Adding to the review: "Could you mention the replacement in your review?", "add a
        note to your rating"."""
        words = self.words
        spans = []
        for i, word in enumerate(words):
            if word.text not in ADD_VERBS and not (word.lemma in CHANGE_LEMMAS and word.text == word.lemma):
                continue
            if self.said_by_seller(i):
                continue
            if not (self.marked(i, REQUEST_MARKERS) or i == 0 or words[i - 1].sentence != word.sentence):
                continue
            for k in range(i + 1, min(i + 8, len(words))):
                if words[k].clause != word.clause or words[k].text in {"and", "or", "then", "but"}:
                    break
                if words[k].text in {"in", "to", "on", "under", "into"} or (
                    words[k].text == "from" and word.text in CHANGE_VERBS
                ):
                    # "in your review" is the existing one; "in a review" would be a new one.
                    j = self.skip(k + 1, _DEFINITE_FILLERS, limit=3)
                    if j is not None and j in self.noun_set and words[k + 1].text not in {"a", "an"}:
                        spans.append((i, j))
                    break
        return spans
