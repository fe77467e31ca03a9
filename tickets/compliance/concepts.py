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
from bisect import bisect_left, bisect_right
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
    "ORDER", "AND", "CUSTOMERS", "RELATIVE", "DELIVER", "WISH", "NEW_RANGE", "PROMO",
    "PHONE", "GUIDE", "TRACK", "SHOP", "OWN", "AGAIN", "FEATURE", "MAKER",
)  # fmt: skip

_LONGEST_STEM = 24
# Kana and kanji: a word with one of them is read as Japanese.
_LINK = re.compile(r"[a-z][a-z0-9+.\-]{1,15}://[^\s<>\"'`]*", re.I)
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


# Phrases by their first and second word: a phrase is looked for only where its first word
# stands, and most places are turned away by the second word (one dict lookup). A second
# word that is the last and a stem ("tell other*") is kept apart, under "*".
_Phrase = tuple[tuple[str, ...], frozenset[str]]
_PHRASE_TREE: dict[str, dict[str, list[_Phrase]]] = {}
for _words, _concepts in _LEXICON.phrases.items():
    _second = "*" if len(_words) == 2 and _words[1].endswith("*") else _words[1]
    _PHRASE_TREE.setdefault(_words[0], {}).setdefault(_second, []).append((_words, frozenset(_concepts)))


def _phrase_at(texts: list[str], clause_of: list[int], i: int, words: tuple[str, ...]) -> bool:
    """Do ``words`` stand from word ``i`` on, within one clause (the last may be a stem)?"""
    last = i + len(words) - 1
    if last >= len(texts) or clause_of[last] != clause_of[i]:
        return False
    for k, word in enumerate(words[1:], start=i + 1):
        if not (texts[k] == word or (word.endswith("*") and k == last and texts[k].startswith(word[:-1]))):
            return False
    return True


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
        if "://" in doc.text:
            self._drop_words_in_links()
        sentence_of = doc.sentence_of
        self.sentences: dict[str, set[int]] = {c: set(map(sentence_of.__getitem__, i)) for c, i in self.at.items()}

    def _drop_words_in_links(self) -> None:
        """A link's host and path are no words of the message ("poste.it/cerca" neither
        posts nor searches): the link rules judge links."""
        links = [m.span() for m in _LINK.finditer(self.doc.text)]
        if not links:
            return
        begins = [start for start, _ in links]
        starts = self.doc.starts

        def outside(i: int) -> bool:
            k = bisect_right(begins, starts[i]) - 1
            return k < 0 or starts[i] >= links[k][1]

        self.at = {
            concept: kept for concept, indices in self.at.items() if (kept := [i for i in indices if outside(i)])
        }

    def _phrase_positions(self) -> dict[str, list[int]]:
        doc = self.doc
        texts, clause_of = doc.texts, doc.clause_of
        found: dict[str, list[int]] = {}
        for first in doc.readings & _PHRASE_TREE.keys():
            by_second = _PHRASE_TREE[first]
            for i in doc.positions((first,)):
                if i + 1 >= len(texts):
                    continue
                for words, concepts in (*by_second.get(texts[i + 1], ()), *by_second.get("*", ())):
                    if _phrase_at(texts, clause_of, i, words):
                        for concept in concepts:
                            found.setdefault(concept, []).append(i)
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
