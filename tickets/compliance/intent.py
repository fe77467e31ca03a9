"""The intent rules: what a message asks of the buyer, about what, tied to what — in any of
the six marketplace languages (``concepts``).

The word rules (``reviews``, ``incentives``, ``positive``) read English phrasings closely.
These rules read a sentence's *concepts* instead, so they carry across phrasings and
languages: "could you update your review", "könnten Sie Ihre Bewertung anpassen" and
"レビューを修正していただけませんか" are one sentence to them — a REQUEST, a CHANGE, a REVIEW.
Each rule states the Amazon rule it enforces; where the concepts only half make a
violation, the rule gives a *doubt* (the message is held for a manager) instead.

Sentences are sets: a rule is set algebra over the sentences that hold each concept, then
a closer look (word order, clauses) at the few sentences left, so a long message costs a
step per candidate sentence, not per word.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from .base import Purpose
from .concepts import Concepts
from .normalize import Document

# Word endings that are no imperative ("updated", "leaving"): a request verb opening a
# clause is one ("Update your review", "Ändern Sie…", "Modifiez votre avis").
_NOT_IMPERATIVE = ("ed", "ing")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_AMAZON = frozenset({"amazon", "amazons", "アマゾン"})


def _nearest(indices: list[int], word: int, within: int) -> bool:
    """Is one of ``indices`` (in order) at most ``within`` words from ``word``? By bisection:
    a sentence of thousands of such words stays linear."""
    k = bisect_left(indices, word - within)
    return k < len(indices) and indices[k] <= word + within


def _between(indices: list[int], low: int, high: int) -> bool:
    """Is one of ``indices`` (in order) strictly between ``low`` and ``high``?"""
    k = bisect_right(indices, low)
    return k < len(indices) and indices[k] < high


# Object pronouns attached to a Spanish or Italian verb: "actualizarla", "rimuoverla".
_CLITICS = ("la", "lo", "las", "los", "li", "le")


@dataclass(frozen=True)
class Finding:
    """One rule met (or half met, ``doubt``) by the words ``first`` to ``last``."""

    rule: str
    first: int
    last: int
    doubt: bool = False


class IntentReader:
    """The intent rules over one document's concepts."""

    def __init__(self, doc: Document, purpose: Purpose):
        self.doc = doc
        self.purpose = purpose
        self.c = Concepts(doc)
        c = self.c
        self._drawn_ratings()
        self.own = self._own_review_words()
        if self.own:
            # Not a review at all: the rules below never see these words as one.
            c.at["REVIEW"] = [i for i in c.at["REVIEW"] if i not in self.own]
            c.sentences["REVIEW"] = {doc.sentence_of[i] for i in c.at["REVIEW"]}
        # A review: named ("your review", "Bewertung", "レビュー"), or a comment or post
        # placed on the product page, written by the buyer ("what you wrote") or negative.
        self.reviews = (
            c.s("REVIEW")
            | (c.s("WEAK_OBJ", "WROTE") & c.s("PLACE", "WROTE", "NEGATIVE", "POSITIVE"))
            | (c.s("SHARE") & c.s("PLACE"))  # "other buyers would like to know, on the product page"
            | (c.s("ACT") & c.s("PLACE"))  # "before posting anything on the product page"
            | (c.s("WEAK_OBJ") & c.s("METRICS"))  # "one unhappy comment can sink our ranking"
        )
        # A request: a request word, an imperative, or a question put to the buyer ("any
        # chance those could go up?"): whatever a sentence asks, it asks of the buyer.
        self.requests = c.s("REQUEST", "REMIND") | self._imperatives() | self._questions()
        self.disclaimed = c.s("DISCLAIM")
        # "You've said you'll update your review once the refund comes through. The refund
        # isn't linked to your review in any way": a denial of the tie (a disclaimer naming both
        # the value and the review) answers the sentence before, unless that one asks.
        self.answered = {s - 1 for s in self.disclaimed & c.s("VALUE") & c.s("REVIEW")} - self.requests
        self.disclaimed |= self.answered
        self._reviews_in: dict[int, list[int]] = {}
        # A review referred to: a request to leave or change "one", "it", "en" (or, in
        # Japanese, nothing) right after a sentence about a review ("…each positive review
        # counts; if you could leave us one…").
        self.referred = {
            s
            for s in (c.s("ACT", "CHANGE") & self.requests) - self.reviews
            if s - 1 in self.reviews and self._refers(s, c.in_sentence("ACT", s) + c.in_sentence("CHANGE", s))
        }

    def _drawn_ratings(self) -> None:
        """ "★5のレビュー", "⭐ 5": a drawn star (read as "star") before a 4 or a 5 names a top
        rating. One look at the word after each star, not a phrase with a stem: a message of
        ten thousand stars stays fast."""
        doc, c = self.doc, self.c
        stars = doc.positions(("star",))
        if not stars:
            return
        texts = doc.texts
        rated = [i for i in stars if i + 1 < len(texts) and texts[i + 1][:1] in "45" and doc.same_sentence(i, i + 1)]
        for concept in ("POSITIVE", "REVIEW") if rated else ():  # the stars are the rating too
            c.at[concept] = sorted({*c.at.get(concept, ()), *rated})
            c.sentences[concept] = {doc.sentence_of[i] for i in c.at[concept]}

    def _own_review_words(self) -> set[int]:
        """Review words in their other sense: the seller's own people or checks ("feedback
        from our engineers", "l'avis de nos techniciens", "社内の品質評価", "a second opinion")
        or a mark on the product ("the stars engraved on the ring"): an OWN word at most three
        words away in the same clause (in Japanese, the same run), in a sentence that speaks
        of no buyer's review (nothing written, placed or shared) and with no buyer
        between the two words."""
        c, clause_of, sentence_of = self.c, self.doc.clause_of, self.doc.sentence_of
        owners = c.at.get("OWN")
        if not owners:
            return set()
        buyers_review = c.s("WROTE", "PLACE", "SHARE")
        buyers = c.at.get("BUYER", [])
        own = set()
        for i in c.at.get("REVIEW", ()):
            if sentence_of[i] in buyers_review:
                continue
            k = bisect_left(owners, i - 3)
            near = [o for o in owners[k : k + 7] if abs(o - i) <= 3 and clause_of[o] == clause_of[i]]
            if any(not _between(buyers, min(o, i), max(o, i)) for o in near):
                own.add(i)
        # The review words of such a sentence share that sense ("the stars engraved on the
        # ring…: one star for espresso"), unless the sentence asks the buyer to act.
        senses = {sentence_of[i] for i in own} - c.s("ACT", "REQUEST", "CHANGE")
        return own | {i for i in c.at.get("REVIEW", ()) if sentence_of[i] in senses}

    def own_spans(self) -> list[tuple[int, int]]:
        """Where the review words in their other sense stand (original offsets), for the word
        rules, which do not read senses). A phrase counts at its first word ("one star"), so
        the span reaches two words on, within the sentence."""
        doc = self.doc
        return [
            doc.span(
                i, max(k for k in range(i, min(i + 3, len(doc.texts))) if doc.sentence_of[k] == doc.sentence_of[i])
            )
            for i in sorted(self.own)
        ]

    def _refers(self, sentence: int, verbs: list[int]) -> bool:
        """Does ``sentence`` point back with a pronoun, a clitic or a Japanese zero pronoun?"""
        texts = self.doc.texts
        return self.c.has("PRONOUN", sentence) or any(
            (texts[i].endswith(_CLITICS) and len(texts[i]) > 6) or _JAPANESE.search(texts[i]) for i in verbs
        )

    def disclaimers(self) -> set[int]:
        """Sentences that deny asking ("we can't ask you to change your review", "the refund
        does not depend on it"): the word rules, which do not read negation, stand down there."""
        c = self.c
        return (self.disclaimed & c.s("NEGATION")) | self.answered | (self.disclaimed & c.s("VALUE") & c.s("REVIEW"))

    def topics_at(self, offset: int, *, with_previous: bool = True) -> frozenset[str]:
        """The concepts of the sentence at character ``offset`` (a link's start: what the
        sentence around the link is about), ``with_previous`` the sentence before when the
        link opens its own ("The setup guide is on our support page:\nhttps://…")."""
        doc = self.doc
        if not doc.texts:
            return frozenset()
        word = max(bisect_right(doc.starts, offset) - 1, 0)
        sentence = doc.sentence_of[word]
        wanted = {sentence}
        if with_previous and doc.sentences[sentence].start >= word and sentence > 0:
            wanted.add(sentence - 1)
        return frozenset(concept for concept, sentences in self.c.sentences.items() if sentences & wanted)

    # --- reading helpers -----------------------------------------------------------------

    def _imperatives(self) -> set[int]:
        """Sentences with a change or review verb opening a clause: "Update your review"."""
        c, texts, sentence_of = self.c, self.doc.texts, self.doc.sentence_of
        found = set()
        first = set(c.at.get("BEFORE", ()))  # "First update your review", "Prima aggiorni…"
        for i in [*c.at.get("CHANGE", ()), *c.at.get("ACT", ())]:
            # A Japanese run is a whole clause: its requests are marked (ください), not placed.
            opens = c.opens_clause(i) or (i - 1 in first and c.opens_clause(i - 1))
            if opens and not texts[i].endswith(_NOT_IMPERATIVE) and not _JAPANESE.search(texts[i]):
                found.add(sentence_of[i])
        return found

    def _questions(self) -> set[int]:
        """Sentences that end with a question mark, among those with a change or review word
        (the only ones a rule asks about)."""
        candidates = self.c.s("CHANGE", "ACT", "REVIEW", "POSITIVE", "AGAIN")
        return {s for s in candidates if self._ends_with_question(s)}

    def _span(self, sentence: int, *concepts: str) -> tuple[int, int]:
        words = self.c.words_of(concepts, sentence)
        if not words:
            span = self.doc.sentences[sentence]
            return span.start, span.stop - 1
        return words[0], words[-1]

    def _finding(self, rule: str, sentence: int, *concepts: str, doubt: bool = False) -> Finding:
        return Finding(rule, *self._span(sentence, *concepts), doubt=doubt)

    def _near(self, a: str, b: str, sentence: int, *, within: int) -> bool:
        """Are a word of concept ``a`` and one of ``b`` at most ``within`` words apart?"""
        bs = self.c.in_sentence(b, sentence)
        return any(_nearest(bs, i, within) for i in self.c.in_sentence(a, sentence))

    def _said_by_seller(self, sentence: int, verbs: list[int]) -> bool:
        """A statement by the seller or Amazon ("we updated the manual after your review",
        "Amazon removed the review"): a seller or third-party subject before the verb."""
        if self.c.has("THIRD", sentence):
            return True  # "Amazon removed it", "it was removed by Amazon's moderators"
        # The seller as subject in the verb's own clause ("we've sorted it out, could those go
        # up?" is a request); "<=": a Japanese run holds both.
        # "We'd be grateful if you could reconsider": the buyer, named after the seller, is
        # the verb's subject.
        clause_of = self.doc.clause_of
        verb = max(verbs)
        buyers = self.c.in_sentence("BUYER", sentence)
        return any(
            k <= verb and clause_of[k] == clause_of[verb] and not _between(buyers, k, verb)
            for k in self.c.in_sentence("SELLER", sentence)
        )

    def _negated(self, sentence: int, verbs: list[int]) -> bool:
        """Is every verb negated ("nicht ändern", "not to remove"), and no reminder ("don't
        forget to update") makes the negation a request?"""
        if self.c.has("REMIND", sentence):
            return False
        negations = self.c.in_sentence("NEGATION", sentence)
        if not negations:
            return False
        requests = set(self.c.in_sentence("REQUEST", sentence))
        negated = set(negations)
        # Japanese negates after the verb, in the same run, and asks with a negative
        # question ("削除していただけませんか"): a run with a request word is no negation.
        texts = self.doc.texts
        return all(
            (v in negated and v not in requests)
            or (not _JAPANESE.search(texts[v]) and (_nearest(negations, v - 2, 1) or _nearest(negations, v - 3, 0)))
            for v in verbs
        )

    def _clause_review(self, cond: int) -> bool:
        """Is there a review in the clause that ``cond`` (a condition word) opens? Japanese
        puts the condition after it ("…更新していただけましたら"), in the same run."""
        clause_of = self.doc.clause_of
        reviews = self._review_words(cond)
        k = bisect_left(reviews, cond - 1)
        return any(clause_of[r] == clause_of[cond] for r in reviews[k : k + 2])

    def _review_words(self, word: int) -> list[int]:
        """The review and weak-object words of the sentence of ``word``, in order; where the
        review is an opinion shared on the product page ("tell other shoppers what you think
        on the listing"), the words that share it."""
        sentence = self.doc.sentence_of[word]
        if sentence not in self._reviews_in:
            concepts = ("REVIEW", "WEAK_OBJ", "SHARE") if self.c.has("PLACE", sentence) else ("REVIEW", "WEAK_OBJ")
            self._reviews_in[sentence] = self.c.words_of(concepts, sentence)
        return self._reviews_in[sentence]

    def _sentence_text(self, sentence: int) -> str:
        """The original text of ``sentence``, to its next sentence (a link runs over "."s)."""
        doc, span = self.doc, self.doc.sentences[sentence]
        stop = doc.starts[span.stop] if span.stop < len(doc.starts) else len(doc.text)
        return doc.text[doc.starts[span.start] : stop].lower()

    def _ends_with_question(self, sentence: int) -> bool:
        span = self.doc.sentences[sentence]
        end = self.doc.ends[span.stop - 1]
        return self.doc.text[end : end + 3].lstrip()[:1] in {"?", "？"}

    # --- the rules ------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        found = [
            *self.change_requests(),
            *self.incentives(),
            *self.positive_requests(),
            *self.gating(),
            *self.metric_pressure(),
            *self.off_amazon(),
            *self.marketing(),
        ]
        if self.purpose is Purpose.PROACTIVE_GUIDE:
            found += self.proactive()
        return found

    def change_requests(self) -> Iterator[Finding]:
        """Asking to change, update or remove a review (G201972160: sellers may not "ask
        customers to change or remove their review"), in any phrasing: a REQUEST and a
        CHANGE on a REVIEW in one sentence, or a CHANGE asked of "it" right after one."""
        c = self.c
        # A comment or a note asked to change is one too ("could you edit your comment?").
        weak = {s for s in c.s("WEAK_OBJ") & self.requests if self._near("WEAK_OBJ", "CHANGE", s, within=4)}
        for s in sorted(((self.reviews | weak) & c.s("CHANGE")) - self.disclaimed):
            verbs = c.in_sentence("CHANGE", s)
            if self._negated(s, verbs):
                continue  # "you don't need to change your review"
            if s in self.requests:
                yield self._finding("review_change_request", s, "REVIEW", "WEAK_OBJ", "CHANGE")
            elif self._said_by_seller(s, verbs) or c.has("THANKS", s):
                continue
            elif c.has("BUYER", s):
                # "You can update your review at any time": no request word, still a nudge;
                # a request in the next sentence makes it one ("…; we'd be grateful").
                asked = s + 1 in c.s("REQUEST") and s + 1 not in self.reviews
                yield self._finding("review_change_request", s, "REVIEW", "WEAK_OBJ", "CHANGE", doubt=not asked)
        # "Would you mind reading what you posted below the listing once more?": a request to
        # look again at what the buyer published (written or placed, not a mere photo) asks
        # for a change without a change word.
        again = (c.s("AGAIN") & self.reviews & self.requests & c.s("PLACE", "WROTE")) - c.s("CHANGE")
        for s in sorted(again - self.disclaimed):
            verbs = c.in_sentence("AGAIN", s)
            if not self._negated(s, verbs) and not self._said_by_seller(s, verbs):
                yield self._finding("review_change_request", s, "REVIEW", "WEAK_OBJ", "AGAIN")
        for s in sorted((c.s("CHANGE") & self.requests) - self.reviews - self.disclaimed):
            # The review referred to, in the sentence before or the one before that ("Your
            # rating hurts us. The delay was the carrier's. Could you change it?").
            before = next((t for t in (s - 1, s - 2) if t in self.reviews - self.disclaimed), None)
            if before is None:
                continue
            verbs = c.in_sentence("CHANGE", s)
            # The review referred to: "it", a clitic ("modificarla"), or in Japanese nothing.
            if self._refers(s, verbs) and not self._said_by_seller(s, verbs):
                yield Finding("review_change_request", self._span(before, "REVIEW")[0], max(verbs))

    def incentives(self) -> Iterator[Finding]:
        """Something of value tied to a review (G201972160: no "compensation" for reviews; a
        refund must never depend on one): in exchange for it, for it, or on condition of it
        ("sobald wir die aktualisierte Bewertung sehen, erstatten wir…")."""
        c, clause_of = self.c, self.doc.clause_of
        changed = self.reviews | (c.s("WEAK_OBJ") & c.s("CHANGE"))
        # What the seller sends or releases once a review changes ("…, we ship it the same
        # day") is of value, as the value itself is.
        valued = c.s("VALUE") | {
            s
            for s in c.s("DELIVER") & c.s("SELLER") & c.s("COND") & c.s("CHANGE") - c.s("THIRD")
            if not self._said_by_seller(s, c.in_sentence("CHANGE", s))  # "we've updated…, and … ship"
        }
        for s in sorted((valued & changed) - self.disclaimed):
            values = c.words_of(("VALUE", "DELIVER"), s) if c.has("COND", s) else c.in_sentence("VALUE", s)
            if c.has("EXCHANGE", s) or self._value_for_review(s, values):
                yield self._finding("review_incentive", s, "VALUE", "REVIEW", "WEAK_OBJ")
                continue
            if not c.s("CHANGE", "ACT", "VISIBLE", "POSITIVE", "SHARE") & {s}:
                continue
            if self._act_and_value(s, values):
                # "Leave a review and get a voucher", "Deja una reseña y te devolvemos…".
                yield self._finding("review_incentive", s, "ACT", "CHANGE", "VALUE")
                continue
            for cond in self._conditions(s):
                if self._conditions_value(cond, values, clause_of):
                    yield self._finding("review_incentive", s, "COND", "VALUE", "REVIEW", "WEAK_OBJ")
                    break
        # "Your refund is approved. It goes out as soon as we see the rating updated."
        for s in sorted((self.reviews & c.s("COND") & c.s("CHANGE", "VISIBLE")) - valued - self.disclaimed):
            paid = s - 1 in c.s("VALUE") - self.reviews - self.disclaimed and c.s("DELIVER", "PRONOUN") & {s}
            if paid and any(self._clause_review(k) or self._review_follows(k) for k in c.in_sentence("COND", s)):
                yield Finding("review_incentive", self._span(s - 1, "VALUE")[0], self._span(s, "REVIEW")[1])
        # "Please update your review. Once it is live, we'll send the refund."
        for s in sorted((c.s("VALUE") & c.s("COND")) - self.reviews - self.disclaimed):
            before = s - 1
            asked = before in self.reviews and before in self.requests and before in c.s("CHANGE", "ACT")
            if asked and c.s("PRONOUN", "VISIBLE", "CHANGE") & {s}:
                yield Finding("review_incentive", self._span(before, "REVIEW")[0], self._span(s, "VALUE")[1])
            # "We saw the comments you shared on the product page. Once those are brought up
            # to date, we'll add a refund": the change of the review named just before, asked
            # by condition alone.
            elif (
                before in self.reviews
                and c.has("CHANGE", s)
                and c.has("PRONOUN", s)
                and not self._negated(s, c.in_sentence("VALUE", s))
            ):
                first = self._span(before, "REVIEW", "WEAK_OBJ")[0]
                yield Finding("review_incentive", first, self._span(s, "VALUE")[1])
        # "Once your review is updated. We will then refund you."
        for s in sorted((self.reviews & c.s("COND") & c.s("CHANGE", "VISIBLE")) - c.s("VALUE") - self.disclaimed):
            conditional = any(self._clause_review(k) for k in c.in_sentence("COND", s))
            if conditional and s + 1 in c.s("VALUE") - self.disclaimed:
                yield Finding("review_incentive", self._span(s, "COND")[0], self._span(s + 1, "VALUE")[1])

    def _conditions(self, sentence: int) -> list[int]:
        """The condition words of ``sentence``, with the relative pronoun of "customers who…",
        "Kunden, die…", "clients qui…" (a privilege for those who review is a condition)."""
        c = self.c
        conds = c.in_sentence("COND", sentence)
        customers = set(c.in_sentence("CUSTOMERS", sentence))
        relatives = [i for i in c.in_sentence("RELATIVE", sentence) if i - 1 in customers]
        return sorted({*conds, *relatives}) if relatives else conds

    def _review_follows(self, cond: int) -> bool:
        reviews = self._review_words(cond)
        k = bisect_right(reviews, cond)
        return k < len(reviews) and reviews[k] <= cond + 8

    def _act_and_value(self, sentence: int, values: list[int]) -> bool:
        """An imperative or a request to review, then "and" and a value: the value follows
        from the review ("Mettez-nous quelques étoiles, et nous prolongerons la garantie")."""
        c = self.c
        if sentence not in self.requests or c.has("THANKS", sentence) or c.has("COND", sentence):
            return False
        reviews = self._review_words(values[0])
        ands = c.in_sentence("AND", sentence)
        if not reviews or not ands:
            return False
        return any(reviews[0] < k < v and v - k <= 10 for v in values for k in ands)

    def _conditions_value(self, cond: int, values: list[int], clause_of: list[int]) -> bool:
        """Does the condition at ``cond`` make a value wait on a review? The review follows
        the condition with no value between ("we refund you as soon as we see your review
        updated"), or, in Japanese, the condition closes the clause of the review
        ("レビューを更新していただけましたら、返金…") and the value lies in another clause."""
        reviews = self._review_words(cond)  # values too are in order
        k = bisect_right(reviews, cond)
        if k < len(reviews) and (values[0] <= cond or values[-1] >= reviews[k]):
            return True
        if self._clause_review(cond):
            clause = clause_of[cond]
            return clause_of[values[0]] != clause or clause_of[values[-1]] != clause or values[-1] > reviews[-1]
        return False

    def _value_for_review(self, s: int, values: list[int]) -> bool:
        """ "A voucher for your review", "un bon d'achat pour votre avis": a value, then
        "for", then a review within a few words (not "thanks for your review")."""
        c = self.c
        reviews = c.in_sentence("REVIEW", s)
        thanks = c.in_sentence("THANKS", s)
        for f in c.in_sentence("FOR", s):
            if _nearest(thanks, f - 2, 1):
                continue  # "thanks for your review"
            # Japanese puts "for" after the review, in its run: "レビュー1件につき".
            japanese = _JAPANESE.search(self.doc.texts[f])
            k = bisect_left(reviews, f - 1 if japanese else f + 1)
            review = reviews[k] if k < len(reviews) and reviews[k] <= f + 4 else None
            # "a voucher for your review", or "for every review, a discount".
            if review is not None and (values[0] < f or values[-1] > review or (japanese and values[-1] >= f)):
                return True
        return False

    def positive_requests(self) -> Iterator[Finding]:
        """Asking for a positive review (G1701, G201972160): a positive word on a review, in
        a request or a condition, not in thanks for one already written."""
        c = self.c
        for s in sorted((c.s("POSITIVE") & self.reviews) - self.disclaimed):
            if not self._near("POSITIVE", "REVIEW", s, within=3):
                continue
            # A wish counts as a request here ("five stars would make our day").
            if s in self.requests or c.has("WISH", s) or (c.has("COND", s) and c.has("ACT", s)):
                yield self._finding("positive_review_request", s, "POSITIVE", "REVIEW")
            elif c.has("ACT", s) and not c.has("THANKS", s) and not c.has("SELLER", s):
                yield self._finding("positive_review_request", s, "POSITIVE", "REVIEW", doubt=True)

    def gating(self) -> Iterator[Finding]:
        """Review gating (G1701; Communication Guidelines: no review request "only if the
        experience was positive"): a review asked of happy buyers only, or unhappy ones sent
        to the seller first, or asked not to write a negative one."""
        c, clause_of = self.c, self.doc.clause_of
        asked = self.reviews | c.s("ACT")
        # "If you're happy with it, please leave a review" / "Wenn Sie zufrieden sind, …".
        for s in sorted(c.s("SATISFIED") & c.s("COND") - c.s("UNSATISFIED") - self.disclaimed):
            conditional = {clause_of[cond] for cond in c.in_sentence("COND", s)}
            happy = [k for k in c.in_sentence("SATISFIED", s) if clause_of[k] in conditional]
            if not happy:
                continue
            if s in self.reviews and (s in self.requests or c.has("ACT", s)):
                yield self._finding("positive_review_request", s, "SATISFIED", "REVIEW", "ACT")
            elif s + 1 in self.reviews and s + 1 in self.requests and s not in self.reviews:
                yield Finding("positive_review_request", happy[0], self._span(s + 1, "REVIEW")[1])
        # "Happy with your grinder? Leave us a review!"
        for s in sorted(c.s("SATISFIED") - c.s("UNSATISFIED") - self.reviews):
            if s + 1 in self.reviews and s + 1 in (self.requests | c.s("ACT")) and self._ends_with_question(s):
                yield Finding("positive_review_request", self._span(s, "SATISFIED")[0], self._span(s + 1, "REVIEW")[1])
        # "Only satisfied customers…", "nur zufriedene Kunden…".
        for s in sorted(c.s("ONLY") & c.s("SATISFIED") & asked - self.disclaimed):
            if self._near("ONLY", "SATISFIED", s, within=8):
                yield self._finding("positive_review_request", s, "ONLY", "SATISFIED", "REVIEW", "ACT")
        # "Contact us before leaving a review" / "bitte kontaktieren Sie uns zuerst, bevor…".
        contact_first = c.s("CONTACT") & c.s("BEFORE")
        unhappy = c.s("UNSATISFIED", "NEGATIVE", "COND")
        # A review asked for (or a condition on one) next to the contact-first sentence:
        # "If you love it, five stars; if not, write to us first."
        wished = (self.reviews & (self.requests | c.s("COND", "POSITIVE", "ACT"))) - c.s("THANKS")
        for s in sorted(contact_first - self.disclaimed - c.s("THANKS")):
            if s in self.reviews or (s + 1 in self.reviews and {s, s + 1} & unhappy and s + 1 not in c.s("THANKS")):
                yield self._finding("positive_review_request", s, "CONTACT", "BEFORE", "REVIEW")
            elif s - 1 in self.reviews & c.s("NEGATIVE") and s - 1 not in c.s("THANKS"):
                yield self._finding("positive_review_request", s, "CONTACT", "BEFORE")
            elif s - 1 in wished and s in unhappy:
                yield Finding("positive_review_request", self._span(s - 1, "REVIEW")[0], self._span(s, "CONTACT")[1])
            elif {s - 1, s} & c.s("UNSATISFIED", "NEGATIVE") and self._before_act(s):
                # "Not happy? Write to us before posting anything.", "Before you post anything
                # negative, give us a chance to fix it."
                yield self._finding("positive_review_request", s, "CONTACT", "BEFORE", "ACT")
        # "Please don't leave negative feedback", "Bitte keine negative Bewertung".
        for s in sorted(c.s("NEGATION") & c.s("NEGATIVE") & self.reviews & self.requests - self.disclaimed):
            if self._near("NEGATIVE", "REVIEW", s, within=3) and self._near("NEGATION", "NEGATIVE", s, within=6):
                yield self._finding("positive_review_request", s, "NEGATION", "NEGATIVE", "REVIEW")

    def _before_act(self, sentence: int) -> bool:
        """Does a review verb follow "before" closely ("before posting", "avant de publier",
        "bevor Sie etwas Negatives schreiben")?"""
        acts = self.c.in_sentence("ACT", sentence)
        return any(_nearest(acts, b + 3, 2) for b in self.c.in_sentence("BEFORE", sentence))

    def metric_pressure(self) -> Iterator[Finding]:
        """Pressing the buyer through the seller's metrics ("your feedback affects our account
        health, would you…"): an attempt "to influence the review" (G201972160)."""
        c = self.c
        acted = c.s("CHANGE", "ACT", "POSITIVE")
        for s in sorted(c.s("METRICS") - self.disclaimed - c.s("HONEST")):
            for t in (s, s - 1, s + 1):
                if t in self.reviews | self.referred and t in self.requests and t in acted and t not in self.disclaimed:
                    rule = "review_change_request" if t in c.s("CHANGE") else "positive_review_request"
                    first, last = self._span(s, "METRICS")
                    asked = self._span(t, "REVIEW", "ACT", "CHANGE")
                    yield Finding(rule, min(first, asked[0]), max(last, asked[1]))
                    break

    def off_amazon(self) -> Iterator[Finding]:
        """Contact outside Amazon's messaging (Communication Guidelines: no e-mail addresses,
        phone numbers or links not needed for the order; phone numbers only for warranty):
        a messenger, "search for us on Google", the brand's website named in words."""
        c = self.c
        # "The watch shows WhatsApp notifications", "LINE通知に対応": the product's feature, no
        # channel to the seller (unless the sentence also asks the buyer to contact).
        feature_words = set(c.at.get("FEATURE", ()))
        contact = {
            self.doc.sentence_of[i] for i in c.at.get("CONTACT", ()) if i not in feature_words
        }  # not "message alerts"
        features = c.s("FEATURE") - contact - c.s("SELLER", "OUTSIDE", "PHONE")
        for s in sorted(c.s("MESSENGER") - features):
            # "We have no WhatsApp number; please write here" offers no channel.
            if not (c.has("NEGATION", s) and not c.s("CONTACT", "REQUEST") & {s}):
                yield self._finding("contact_details", s, "MESSENGER")
        for s in sorted(c.s("OUTSIDE")):
            yield self._finding("contact_details", s, "OUTSIDE")
        if self.purpose is not Purpose.WARRANTY:
            # "Call our hotline", "am Telefon: null-eins…": a phone is for warranty messages only.
            # "The number on the box is the manufacturer's hotline": a maker's or a carrier's
            # phone is allowed, so naming one in passing sends the buyer nowhere forbidden.
            for s in sorted(c.s("PHONE") - (c.s("MAKER") - c.s("SELLER", "CONTACT"))):
                if not self._negated(s, c.in_sentence("PHONE", s)):
                    yield self._finding("contact_details", s, "PHONE")
        # The website named beside the https link to a manual or a tracking page, with no way
        # to reach the seller there ("the manual is on our website: https://…"), says where the
        # link goes; the link itself is judged by ``content.link_standing``. Named without a
        # link ("register the warranty on our homepage"), it sends the buyer off Amazon.
        # "In Google Home, tap 'Works with Google' and search for the app's name": a search
        # inside the product's own integration, not for the seller.
        in_the_product = c.s("SEARCH") & features - c.s("WEBSITE", "SHOP")
        for s in sorted(c.s("SEARCH", "WEBSITE") - self.link_pointers() - in_the_product):
            yield self._finding("external_link", s, "SEARCH", "WEBSITE")

    def link_pointers(self) -> set[int]:
        """Sentences that name the website only to say where an https link to a manual or a
        tracking page goes, with no way to reach the seller there."""
        c = self.c
        return {
            s
            for s in c.s("GUIDE", "TRACK") - c.s("SEARCH", "CONTACT", "MESSENGER", "OUTSIDE", "PHONE", "SHOP")
            if "https://" in self._sentence_text(s)
        }

    def marketing(self) -> Iterator[Finding]:
        """Marketing (Communication Guidelines: no "marketing or promotional messages
        including coupons"): promotion words in any language, a saving on a next order."""
        c = self.c
        for s in sorted(c.s("MARKETING")):
            if not self._negated(s, c.in_sentence("MARKETING", s)):  # "we can't offer a promo code"
                yield self._finding("marketing", s, "MARKETING")
        for s in sorted(c.s("NEW_RANGE") & c.s("PROMO")):
            yield self._finding("marketing", s, "NEW_RANGE", "PROMO")  # "our new scale, 20% off"
        # "The matching cable is 20% cheaper in our shop right now": a saving where the seller
        # sells (not Amazon's own checkout).
        for s in sorted(c.s("SHOP", "WEBSITE") & c.s("PROMO") - c.s("NEW_RANGE")):
            if self.doc.sentence_texts[s].isdisjoint(_AMAZON) and not self._negated(s, c.in_sentence("PROMO", s)):
                yield self._finding("marketing", s, "SHOP", "WEBSITE", "PROMO")
        for s in sorted(c.s("NEXT_ORDER") & c.s("VALUE")):
            if not self._negated(s, c.in_sentence("VALUE", s)):
                yield self._finding("marketing", s, "NEXT_ORDER", "VALUE")
        if self.purpose is not Purpose.PROACTIVE_GUIDE:
            for s in sorted(c.s("ANNOUNCE") - c.s("ORDER")):
                if not self._negated(s, c.in_sentence("ANNOUNCE", s)):  # "no recipe book is included"
                    yield self._finding("marketing", s, "ANNOUNCE", doubt=True)
        else:
            # In a message the buyer did not ask for, "our new carafe" is another product.
            for s in sorted(c.s("NEW_RANGE") - c.s("PROMO", "ORDER", "DELIVER")):  # not "it ships with our new…"
                yield self._finding("marketing", s, "NEW_RANGE")

    def proactive(self) -> Iterator[Finding]:
        """A proactive message is for the order only (Communication Guidelines: permitted
        messages; use Request a Review rather than free text about reviews): no review in
        any language or wording, no asking for opinions, nothing but the order."""
        c = self.c
        # A review word alone, in a sentence that neither addresses the buyer nor names a
        # review's place, act or tone, is another sense ("a star screwdriver", "in our
        # baristas' opinion", "the stars engraved on the ring").
        addressed = c.s(
            "BUYER", "REQUEST", "ACT", "PLACE", "WROTE", "SHARE", "POSITIVE", "NEGATIVE", "SATISFIED", "THANKS",
            "CONTACT", "CHANGE",
        )  # fmt: skip
        for s in sorted(self.reviews & (addressed | self.requests)):
            yield self._finding("review_mention", s, "REVIEW", "WEAK_OBJ")
        for s in sorted(c.s("SHARE") - self.reviews):
            yield self._finding("review_mention", s, "SHARE")
        for s in sorted(c.s("ANNOUNCE")):
            yield self._finding("marketing", s, "ANNOUNCE")
