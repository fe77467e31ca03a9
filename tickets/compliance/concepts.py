"""What the words of a message mean to the intent rules, in the six marketplace languages.

Amazon requires messages in the buyer's language (notes/amazon.md §3), so a request to
change a review may come in English, German, French, Spanish, Italian or Japanese. The
intent rules (``intent``) do not read words: they read *concepts* — a review, a change, a
request, something of value, a condition — which each language names in its own words
(``languages/<code>.py``). A sentence's concepts are the same whatever its language, so
one rule covers every language, and a phrasing the rules never saw still names the same
concepts.

Words are read as ``normalize`` reads them (folded, accents dropped, disguises undone),
so "Bewertung", "BEWERTUNG" and "bеwertung" with a Cyrillic "е" are one word. Japanese has
no spaces: its entries are found inside runs of Japanese text.
"""

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from .normalize import Document, fold_text, read_words

LANGUAGES = ("en", "de", "fr", "es", "it", "ja")
# Every language names every concept (a test checks it).
CONCEPTS = (
    "REVIEW", "WEAK_OBJ", "PLACE", "WROTE", "CHANGE", "ACT", "VISIBLE", "REQUEST", "BUYER", "SELLER",
    "THIRD", "VALUE", "COND", "EXCHANGE", "FOR", "THANKS", "POSITIVE", "NEGATIVE", "SATISFIED",
    "UNSATISFIED", "ONLY", "CONTACT", "BEFORE", "NEGATION", "DISCLAIM", "METRICS", "HONEST", "SHARE",
    "PRONOUN", "MESSENGER", "SEARCH", "WEBSITE", "OUTSIDE", "MARKETING", "ANNOUNCE", "NEXT_ORDER", "REMIND",
    "ORDER",
)  # fmt: skip

_LONGEST_STEM = 24
# Kana and kanji: a word with one of them is read as Japanese.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class _Lexicon:
    """Every language's entries, compiled once when the guard loads."""

    exact: dict[str, set[str]] = field(default_factory=dict)
    prefix: dict[str, set[str]] = field(default_factory=dict)
    infix: dict[str, set[str]] = field(default_factory=dict)
    # A phrase: its words (the last may end in "*"), as a pattern over ``Document.joined``.
    phrases: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    japanese: dict[str, set[str]] = field(default_factory=dict)

    def add(self, language: str, concept: str, entry: str) -> None:
        if language == "ja":
            self.japanese.setdefault(fold_text(entry), set()).add(concept)
            return
        stem = entry.endswith("*")
        inside = entry.startswith("*")
        words = read_words(entry.strip("*"))
        if not words:
            return
        if stem:
            # A stem is folded but not read: reading corrects typos, and "revis" (Spanish
            # "revisar") is one letter from the English "revise".
            words[-1] = fold_text(entry.strip("*")).split()[-1]
        if len(words) > 1:
            key = (*words[:-1], words[-1] + ("*" if stem else ""))
            self.phrases.setdefault(key, set()).add(concept)
        elif inside:
            self.infix.setdefault(words[0], set()).add(concept)
        elif stem:
            self.prefix.setdefault(words[0][:_LONGEST_STEM], set()).add(concept)
        else:
            self.exact.setdefault(words[0], set()).add(concept)


def _load() -> _Lexicon:
    lexicon = _Lexicon()
    for language in LANGUAGES:
        table = import_module(f"{__package__}.languages.{language}").CONCEPTS
        for concept, entries in table.items():
            for entry in entries.split(";"):
                if entry.strip():
                    lexicon.add(language, concept, entry.strip())
    return lexicon


_LEXICON = _load()
_PREFIX_LENGTHS = sorted({len(stem) for stem in _LEXICON.prefix})
_JAPANESE_BY_FIRST: dict[str, list[str]] = {}
for _entry in _LEXICON.japanese:
    _JAPANESE_BY_FIRST.setdefault(_entry[0], []).append(_entry)


def _phrase_pattern(words: tuple[str, ...]) -> str:
    last = re.escape(words[-1].rstrip("*")) + (r"\w*" if words[-1].endswith("*") else "")
    return " ".join([*map(re.escape, words[:-1]), last])


# Phrases by their first word: only those whose first word the message has are looked for
# (most messages have none of most phrases' words).
_PHRASES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
for _words, _concepts in _LEXICON.phrases.items():
    _PHRASES_BY_FIRST.setdefault(_words[0], []).append((_words, frozenset(_concepts)))


_PHRASE_REGEXES: dict[tuple[str, ...], re.Pattern] = {}


def _phrase_regex(words: tuple[str, ...]) -> re.Pattern:
    """One phrase as a pattern over ``Document.joined``, compiled the first time it is needed."""
    if words not in _PHRASE_REGEXES:
        _PHRASE_REGEXES[words] = re.compile(rf"(?<![\w]){_phrase_pattern(words)}(?![\w])")
    return _PHRASE_REGEXES[words]


def word_concepts(word: str) -> frozenset[str]:
    """The concepts one word names, in any of the languages."""
    if len(word) > 64:
        return _word_concepts(word)  # not kept: a message must not fill the cache
    return _cached_word_concepts(word)


def _word_concepts(word: str) -> frozenset[str]:
    found: set[str] = set(_LEXICON.exact.get(word, ()))
    for length in _PREFIX_LENGTHS:
        if length > len(word):
            break
        found |= _LEXICON.prefix.get(word[:length], set())
    for stem, concepts in _LEXICON.infix.items():
        if stem in word:
            found |= concepts
    if _CJK.search(word):
        found |= _japanese_concepts(word)
    return frozenset(found)


_cached_word_concepts = lru_cache(maxsize=8192)(_word_concepts)


def _japanese_concepts(run: str) -> set[str]:
    """The Japanese entries inside a run of text (overlapping: "高評価" is also "評価").
    Only the entries whose first character the run has are looked for, each with one scan
    in C, so a long run costs a scan per candidate entry, not a step per character."""
    found: set[str] = set()
    for first in _JAPANESE_BY_FIRST.keys() & set(run):
        for entry in _JAPANESE_BY_FIRST[first]:
            if entry in run:
                found |= _LEXICON.japanese[entry]
    return found


class Concepts:
    """The concepts of one document: for each, the indices of the words that name it (a
    phrase counts at its first word) and the sentences that hold one. Built with a step per
    distinct word and per match, so a long repetitive message stays fast."""

    def __init__(self, doc: Document):
        self.doc = doc
        by_word: dict[str, frozenset[str]] = {}
        for reading in doc.readings:
            concepts = word_concepts(reading)
            if concepts:
                by_word[reading] = concepts
        readings_of: dict[str, list[str]] = {}
        for reading, concepts in by_word.items():
            for concept in concepts:
                readings_of.setdefault(concept, []).append(reading)
        self.at: dict[str, list[int]] = {concept: doc.positions(r) for concept, r in readings_of.items()}
        for concept, indices in self._phrase_positions().items():
            self.at[concept] = sorted({*self.at.get(concept, ()), *indices})
        sentence_of = doc.sentence_of
        self.sentences: dict[str, set[int]] = {c: set(map(sentence_of.__getitem__, i)) for c, i in self.at.items()}

    def _phrase_positions(self) -> dict[str, list[int]]:
        readings = self.doc.readings
        firsts = readings & _PHRASES_BY_FIRST.keys()
        found: dict[str, list[int]] = {}
        joined, starts = None, None
        for first_word in firsts:
            for words, concepts in _PHRASES_BY_FIRST[first_word]:
                if not all(word in readings for word in words[1:-1]):
                    continue
                if not words[-1].endswith("*") and words[-1] not in readings:
                    continue
                if joined is None:
                    joined, starts = self.doc.joined, self.doc.joined_starts
                # A match starts at a word: its index is found by bisection over the words' offsets.
                firsts = [bisect_left(starts, match.start()) for match in _phrase_regex(words).finditer(joined)]
                for concept in concepts:
                    found.setdefault(concept, []).extend(firsts)
        return found

    def s(self, *concepts: str) -> set[int]:
        """The sentences that hold any of ``concepts``."""
        out: set[int] = set()
        for concept in concepts:
            out |= self.sentences.get(concept, set())
        return out

    def in_sentence(self, concept: str, sentence: int) -> list[int]:
        """The indices of the words in ``sentence`` that name ``concept``."""
        indices = self.at.get(concept)
        if not indices:
            return []
        span = self.doc.sentences[sentence]
        return indices[bisect_left(indices, span.start) : bisect_left(indices, span.stop)]

    def has(self, concept: str, sentence: int) -> bool:
        return sentence in self.sentences.get(concept, ())

    def opens_clause(self, i: int) -> bool:
        """Does word ``i`` open a sentence or a clause (where an imperative stands)?"""
        clause_of = self.doc.clause_of
        return i == 0 or clause_of[i] != clause_of[i - 1]

    def words_of(self, concepts: Iterable[str], sentence: int) -> list[int]:
        return sorted(i for concept in concepts for i in self.in_sentence(concept, sentence))
