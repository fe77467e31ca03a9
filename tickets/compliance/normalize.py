"""From a message to the words the rules read, each with its offsets in the original text.

A sender who wants to slip a forbidden request past a filter disguises the words, so every
word is read as a person would read it:

- NFKC + casefold: fullwidth "ｒｅｖｉｅｗ", mathematical "𝐫𝐞𝐯𝐢𝐞𝐰", circled letters;
- accents and zero-width characters dropped ("révïew", "re\u200bview");
- look-alike letters mapped to Latin (Cyrillic "rеview", Greek "ο");
- leetspeak inside words ("r3view", "upd8", "f33dback");
- letters spelt apart ("r e v i e w", "r.e.v.i.e.w") or split ("re-view", "feed back");
- stretched and misspelt words ("reeeview", "reveiw", "feedbak": see ``lexicon``).

The original offsets survive every step, so a violation highlights what the agent typed.
"""

import re
import string
import unicodedata
from bisect import bisect_right
from collections.abc import Collection
from functools import cached_property, lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter, ne
from typing import NamedTuple

from .lexicon import PREFIXES, lemma_of, lexicon_lookup

_INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff")

# Letters that look Latin but are not (a short list of the ones seen in spam; NFKC does not
# map them). Cyrillic and Greek first, then a few Latin variants.
_CONFUSABLES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i",
    "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ɑ": "a",
    "ı": "i", "ł": "l", "ø": "o", "ɡ": "g", "ʀ": "r", "ꮃ": "w",
}  # fmt: skip

# Kana and kanji.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")

_STAR_SYMBOLS = frozenset("★☆⭐🌟✩✪✫✬✭✮✯✰")

# Digits and signs used as letters inside a word. "8" reads "ate" ("upd8", "gr8").
_LEET = {"0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "ate", "9": "g",
         "@": "a", "$": "s", "!": "i", "|": "l"}  # fmt: skip

# A sign joins Latin letters only ("r!ev" is one word); "ます!グラ" is two sentences.
_TOKEN = re.compile(r"[^\W_]+(?:(?<=[a-z])[@$!|](?=[a-z])[^\W_]+)*")
_DIGITS_THEN_LETTERS = re.compile(r"(\d+)([^\W\d_]+)")
# "。" ends a Japanese sentence and "、" a clause: Japanese puts no space after either.
_SENTENCE_BREAK = re.compile(r"[!?;\n。]|[.…](?=\s)")
_CLAUSE_BREAK = re.compile(r"[,:()\[\]—–、「」]|\s-\s")
# What may separate the letters of one word spelt apart: "r e v i e w", "re-view", "r.e.v".
_SPLIT_GLUE = re.compile(r"[ \t\-_.*/·•'’~+]{1,3}")


class _Tokens(NamedTuple):
    """The tokens of the folded text, column by column: ``gaps[k]`` is the folded text
    before token ``k`` (``gaps[-1]`` the text after the last)."""

    texts: list[str]
    fstarts: list[int]  # offsets into the folded text
    fends: list[int]
    gaps: list[str]


class _Words(NamedTuple):
    """The columns of a ``Document``."""

    texts: list[str]
    lemmas: list[str | None]
    starts: list[int]  # offsets into the original text
    ends: list[int]
    sentence_of: list[int]
    clause_of: list[int]
    hyphenated: list[bool]  # glued to the previous word by "-" ("bpa-free", "5-star")
    separators: list[str]  # before words 1…, as ``joined`` writes them: " ", " , " or " | "


class Document:
    """A message analysed once, read by every rule.

    Word ``i`` is read from columns: ``texts[i]`` is the reading a rule compares (folded,
    de-leeted, and replaced by the lexicon form when it is a misspelt lexicon word), with
    ``lemmas[i]``, ``starts[i]``/``ends[i]`` (offsets into the original text),
    ``sentence_of[i]``, ``clause_of[i]`` and ``hyphenated[i]``. Columns rather than an
    object per word: a message of 20,000 words is built with a few steps in C per column,
    and ``positions`` lets a rule visit only the words it can match."""

    def __init__(self, text: str):
        self.text = text
        chars = _non_ascii(text)
        self.flat = _flat(text, chars)
        words = _words(*_fold(text, chars))
        self.texts = words.texts
        self.lemmas = words.lemmas
        self.starts = words.starts
        self.ends = words.ends
        self.sentence_of = words.sentence_of
        self.clause_of = words.clause_of
        self.hyphenated = words.hyphenated
        self._separators = words.separators
        # Each sentence's word indices: sentence numbers run 0, 1, 2… without gaps, so a
        # sentence starts where the number changes.
        count = len(self.texts)
        firsts = [0, *compress(range(1, count), map(ne, self.sentence_of[1:], self.sentence_of))] if count else []
        self.sentences: list[range] = list(map(range, firsts, [*firsts[1:], count]))
        # Each reading's word indices, in order: a rule asks for the few words it can match
        # rather than testing every word.
        self._index: dict[str, list[int]] = {text: [] for text in dict.fromkeys(self.texts)}
        for i, reading in enumerate(self.texts):
            self._index[reading].append(i)
        # The distinct readings, one a line: what a pattern over ``joined`` needs is looked
        # up here (``literals.may_match_words``), a short text when words repeat.
        self.vocabulary = "\n".join(self._index)

    @cached_property
    def _joined(self) -> tuple[str, list[int]]:
        return _join(self.texts, self._separators)

    @property
    def joined(self) -> str:
        """The words as one string for phrase patterns (built when a pattern needs it)."""
        return self._joined[0]

    @cached_property
    def sentence_texts(self) -> list[frozenset[str]]:
        """Per sentence, the set of its readings (rules ask "does this sentence contain a
        request word?" for many words; a set answers in O(1))."""
        texts = self.texts
        return [frozenset(texts[sentence.start : sentence.stop]) for sentence in self.sentences]

    @cached_property
    def before_in_sentence(self) -> list[str | None]:
        """For each word, the reading of the word before it in its sentence, or None."""
        before: list[str | None] = [None, *self.texts[:-1]] if self.texts else []
        for sentence in self.sentences:
            before[sentence.start] = None
        return before

    @cached_property
    def after_in_clause(self) -> list[str | None]:
        """For each word, the reading of the word after it in its clause, or None."""
        after: list[str | None] = [*self.texts[1:], None] if self.texts else []
        clause_of = self.clause_of
        for k in compress(range(len(clause_of) - 1), map(ne, clause_of, clause_of[1:])):
            after[k] = None
        return after

    @property
    def readings(self) -> Collection[str]:
        """The distinct readings of the message's words."""
        return self._index.keys()

    def positions(self, readings: Collection[str]) -> list[int]:
        """The indices of the words that read as one of ``readings``, in order."""
        index = self._index
        if len(readings) <= len(index):
            found = [index[reading] for reading in readings if reading in index]
        else:
            found = [indices for reading, indices in index.items() if reading in readings]
        if len(found) == 1:
            return list(found[0])
        return sorted(chain.from_iterable(found))

    def has_any(self, readings: Collection[str]) -> bool:
        """Does some word read as one of ``readings``?"""
        return any(reading in self._index for reading in readings)

    def marks(self, readings: Collection[str]) -> str:
        """One character per word: "1" for a word that reads as one of ``readings``, else
        "0" (for regular expressions over runs of such words)."""
        mark = {text: "1" if text in readings else "0" for text in self._index}
        return "".join(map(mark.__getitem__, self.texts))

    def same_sentence(self, a: int, b: int) -> bool:
        """Are ``a`` and ``b`` valid word indices in one sentence?"""
        count = len(self.texts)
        return 0 <= a < count and 0 <= b < count and self.sentence_of[a] == self.sentence_of[b]

    @property
    def joined_starts(self) -> list[int]:
        """Each word's offset in ``joined``."""
        return self._joined[1]

    def words_at(self, jstart: int, jend: int) -> tuple[int, int]:
        """The first and last word of a match ``[jstart, jend)`` in ``joined``."""
        starts = self._joined[1]
        first = max(bisect_right(starts, jstart) - 1, 0)
        last = max(bisect_right(starts, jend - 1) - 1, first)
        return first, last

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original offsets from word ``first`` to word ``last`` inclusive."""
        return min(self.starts[first], self.starts[last]), max(self.ends[first], self.ends[last])

    def match_span(self, match: re.Match) -> tuple[int, int]:
        return self.span(*self.words_at(match.start(), match.end()))


def fold_text(text: str) -> str:
    """The text as the words are read, characters only (no words): for the Japanese
    entries of the intent lexicons, found inside a run of Japanese text."""
    return _fold(text, _non_ascii(text))[0]


def read_words(text: str) -> list[str]:
    """The readings of a phrase's words (used to match manager-added phrases)."""
    return _words(*_fold(text, _non_ascii(text))).texts


_ASCII_LOWER = {ord(ch): ch.lower() for ch in string.ascii_uppercase}


def _flat(text: str, chars: set[str]) -> str:
    # Same length as the text, so regular expressions over it give original offsets:
    # each character is folded when NFKC gives a single character ("ｈｔｔｐｓ" → "https").
    # ``chars``: the characters of a text other than ASCII, shared with ``_fold``.
    if not chars:
        return text.lower()
    table = {ord(ch): _flat_char(ch) for ch in chars}
    return text.translate(_ASCII_LOWER | table)


@lru_cache(maxsize=4096)
def _flat_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).casefold()
    return folded if len(folded) == 1 else ch


def _non_ascii(text: str) -> set[str]:
    return set() if text.isascii() else {ch for ch in set(text) if not ch.isascii()}


def _fold(text: str, chars: set[str]) -> tuple[str, list[int] | None]:
    """The text as the words are read, and for each of its characters the offset of the
    original character it comes from (None: its own offset). ``chars``: the characters of
    the text other than ASCII."""
    if not chars:
        return text.lower(), None
    # One table for the characters this text uses: ``str.translate`` folds the text in C
    # rather than a Python step per character ("⭐" × 20,000).
    table = {ord(ch): _fold_char(ch) for ch in chars}
    folded = text.translate(_ASCII_LOWER | table)
    if all(len(piece) == 1 for piece in table.values()):
        return folded, None
    # A character folded to several ("⭐" → " star ") or none (zero-width): its offset
    # repeats as many times.
    width = {chr(code): len(piece) for code, piece in table.items()}
    return folded, list(chain.from_iterable(map(repeat, range(len(text)), map(width.get, text, repeat(1)))))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """What one character other than ASCII reads as (every piece keeps its offset)."""
    if ch in _INVISIBLE:
        return ""
    if ch in "\u3099\u309a\uff9e\uff9f":
        return ""  # a voicing mark written apart (halfwidth kana) would split the word
    if "\u3040" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9d":
        # Kana keep their voicing marks: without them "まず" (first) reads "ます" (a verb ending).
        return unicodedata.normalize("NFKC", ch)
    out = []
    for c in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch).casefold()):
        if unicodedata.combining(c):
            continue
        # "5★ review", "⭐⭐⭐⭐⭐": stars drawn as symbols read as the word.
        out.append(" star " if c in _STAR_SYMBOLS else _CONFUSABLES.get(c, c))
    return "".join(out)


def _deleet(token: str) -> str:
    return "".join(_LEET.get(ch, ch) for ch in token)


_GAPS_AND_TOKENS = re.compile(f"({_TOKEN.pattern})")
_JOINING_SIGNS = "@$!|"  # the signs in ``_TOKEN``
_GAPS_AND_PLAIN_TOKENS = re.compile(r"([^\W_]+)")


def _raw_tokens(folded: str) -> _Tokens:
    # One pass gives gap, token, gap, token… gap; their lengths summed give the offsets,
    # with no match object per token. Without the signs that may join two tokens, the
    # simpler pattern finds the same tokens faster.
    pattern = _GAPS_AND_TOKENS if any(sign in folded for sign in _JOINING_SIGNS) else _GAPS_AND_PLAIN_TOKENS
    parts = pattern.split(folded)
    bounds = list(accumulate(map(len, parts)))
    return _Tokens(parts[1::2], bounds[0:-1:2], bounds[1::2], parts[0::2])


_Edit = tuple[int, int, list[tuple[str, int, int]]]


def _splice(tokens: _Tokens, edits: list[_Edit], folded: str) -> _Tokens:
    """``tokens`` with, for each edit ``(i, j, new)`` (in order, not overlapping), tokens
    ``i`` to ``j - 1`` replaced by ``new`` (text, fstart, fend; at least one). The columns
    between edits are copied by slices: only the edited tokens take a Python step."""
    if not edits:
        return tokens
    out = _Tokens([], [], [], [])
    done = 0
    for i, j, new in edits:
        out.texts.extend(tokens.texts[done:i])
        out.fstarts.extend(tokens.fstarts[done:i])
        out.fends.extend(tokens.fends[done:i])
        out.gaps.extend(tokens.gaps[done : i + 1])  # up to the gap before token i
        for k, (text, fstart, fend) in enumerate(new):
            if k:
                out.gaps.append(folded[out.fends[-1] : fstart])
            out.texts.append(text)
            out.fstarts.append(fstart)
            out.fends.append(fend)
        done = j
    out.texts.extend(tokens.texts[done:])
    out.fstarts.extend(tokens.fstarts[done:])
    out.fends.extend(tokens.fends[done:])
    out.gaps.extend(tokens.gaps[done:])  # from the gap after token j - 1
    return out


def _read_tokens(tokens: _Tokens, folded: str) -> _Tokens:
    """Each raw token as its readings (``_reading``), worked out once per distinct token."""
    readings = {text: _reading(text) for text in set(tokens.texts)}
    if all(reading is None for reading in readings.values()):
        return tokens
    read = compress(range(len(tokens.texts)), map(readings.__getitem__, tokens.texts))
    edits = [
        (i, i + 1, [(text, tokens.fstarts[i] + a, tokens.fstarts[i] + b) for text, a, b in readings[tokens.texts[i]]])
        for i in read
    ]
    return _splice(tokens, edits, folded)


def _reading(text: str) -> list[tuple[str, int, int]] | None:
    """A raw token as one or more readings with their offsets in it: "r3view" → review,
    "58mm" → 58 + mm; None when the token reads as it is."""
    if text.isalpha() or text.isdigit() or _CJK.search(text):
        return None  # Japanese runs hold digits as digits ("星5つ"), never leetspeak
    split = _DIGITS_THEN_LETTERS.fullmatch(text)
    if split and (lexicon_lookup(split[2]) or not lexicon_lookup(_deleet(text))):
        cut = len(split[1])
        return [(split[1], 0, cut), (split[2], cut, len(text))]
    if any(ch.isalpha() for ch in text):
        # Letters and digits mixed: read the digits as letters ("r3view", "c0up0n"). Codes
        # such as an ASIN become nonsense words, which no rule looks for.
        return [(_deleet(text), 0, len(text))]
    return None


def _is_glue(gap: str) -> bool:
    # Glue is 1 to 3 characters: a longer gap is none (and is not kept in the cache).
    return 0 < len(gap) <= 3 and _short_glue(gap)


@lru_cache(maxsize=1024)
def _short_glue(gap: str) -> bool:
    return bool(_SPLIT_GLUE.fullmatch(gap)) and not _SENTENCE_BREAK.search(gap)


def _breaks(gap: str) -> tuple[bool, bool]:
    """Does the gap between two words end a sentence, or a clause? Short gaps repeat (" ",
    ", ") and are cached; a long one (a page of spaces) is read once and not kept."""
    return _short_breaks(gap) if len(gap) <= 8 else _gap_breaks(gap)


def _gap_breaks(gap: str) -> tuple[bool, bool]:
    if _SENTENCE_BREAK.search(gap):
        return True, True
    return False, bool(_CLAUSE_BREAK.search(gap))


_short_breaks = lru_cache(maxsize=1024)(_gap_breaks)


_SINGLES = re.compile("1{3,}")
_GLUED = re.compile("1{2,}")


def _merge_spelt_apart(tokens: _Tokens, folded: str) -> _Tokens:
    """Join runs of three or more single characters: "r e v i e w" → "review". Only a
    stretch of three or more one-character tokens can hold one, so only those are read."""
    marks = "".join(["1" if len(text) == 1 else "0" for text in tokens.texts])
    edits: list[_Edit] = []
    for stretch in _SINGLES.finditer(marks):
        edits += _merge_stretch(tokens, stretch.start(), stretch.end())
    return _splice(tokens, edits, folded)


def _merge_stretch(tokens: _Tokens, first: int, stop: int) -> list[_Edit]:
    """Within a run, a wider gap separates words: "p l e a s e  d e l e t e" → "please",
    "delete"."""
    # Every token here is one character, so a run is tokens joined by glue: three or more
    # tokens are two or more glue gaps in a row ("1" marks a glue gap). Others stay.
    gaps = tokens.gaps[first + 1 : stop]
    is_glue = {gap: "1" if _is_glue(gap) else "0" for gap in set(gaps)}
    marks = "".join(map(is_glue.__getitem__, gaps))
    edits: list[_Edit] = []
    for glued in _GLUED.finditer(marks):
        i, j = first + glued.start(), first + glued.end()  # the run is tokens i to j
        if sum(map(str.isalpha, tokens.texts[i : j + 1])) < 2:
            # A run that is no word is none from any of its later tokens either (each is a
            # shorter run with fewer letters): it stays whole, so "1 1 1 …" stays linear.
            continue
        widths = list(map(len, tokens.gaps[i + 1 : j + 1]))
        narrow = min(widths)
        pieces = [[i]]
        for k, width in enumerate(widths, start=i + 1):
            if width > narrow:
                pieces.append([])
            pieces[-1].append(k)
        edits.append((i, j + 1, [_joined(tokens, piece) for piece in pieces]))
    return edits


def _joined(tokens: _Tokens, piece: list[int]) -> tuple[str, int, int]:
    text = _deleet("".join(tokens.texts[k] for k in piece))
    return text, tokens.fstarts[piece[0]], tokens.fends[piece[-1]]


def _merge_split_words(tokens: _Tokens, folded: str) -> tuple[_Tokens, dict[str, str | None]]:
    """Join two or three pieces that only together spell a lexicon word: "re-view",
    "feed back", "up date". Exact matches only: two real words rarely spell a third.
    Returns the tokens and the lexicon form of each distinct text (None for other words)."""
    texts = tokens.texts
    form_of = {text: lexicon_lookup(text) for text in set(texts)}
    # Only a piece that is no lexicon word but begins one can start a split word.
    starters = {text for text, form in form_of.items() if form is None and text in PREFIXES}
    if not starters:
        return tokens, form_of
    # For each token but the last, whether the gap after it may join a word spelt apart.
    gaps = tokens.gaps[1:-1]
    is_glue = {gap: _is_glue(gap) for gap in set(gaps)}
    glue = list(map(is_glue.__getitem__, gaps))
    # What a starter spells depends only on the next two pieces and the gaps between:
    # worked out once per such neighbourhood ("a at b a at b…" has one).
    spelt: dict[tuple, tuple[str, int] | None] = {}
    edits: list[_Edit] = []
    done = 0
    for i in [i for i, text in enumerate(texts) if text in starters]:
        if i < done:
            continue  # already part of the word merged before
        key = (*texts[i : i + 3], *glue[i : i + 2])
        if key not in spelt:
            spelt[key] = _split_word_at(texts, glue, i)
        if spelt[key]:
            form, size = spelt[key]
            text = "".join(texts[i : i + size])
            form_of[text] = form
            edits.append((i, i + size, [(text, tokens.fstarts[i], tokens.fends[i + size - 1])]))
            done = i + size
    return _splice(tokens, edits, folded), form_of


def _split_word_at(texts: list[str], glue: list[bool], i: int) -> tuple[str, int] | None:
    """The lexicon form that the two or three pieces from ``i`` spell, and how many."""
    for size in (2, 3):
        if i + size > len(texts) or not glue[i + size - 2]:
            return None
        if lexicon_lookup(texts[i + size - 1]):
            return None
        form = lexicon_lookup("".join(texts[i : i + size]), fuzzy=False)
        if form:
            return form, size
    return None


def _words(folded: str, origin: list[int] | None) -> _Words:
    tokens = _merge_spelt_apart(_read_tokens(_raw_tokens(folded), folded), folded)
    tokens, form_of = _merge_split_words(tokens, folded)
    if not tokens.texts:
        return _Words([], [], [], [], [], [], [], [])
    # Column by column, each step in C or once per distinct value: a message of 20,000
    # words repeats few words and fewer gaps.
    reading_of = {text: form or text for text, form in form_of.items()}
    lemma_of_text = {text: lemma_of(form) for text, form in form_of.items()}
    gaps = tokens.gaps[1:-1]  # before words 1…
    kinds = {gap: _breaks(gap) for gap in set(gaps)}
    separator = {gap: " | " if sentence else " , " if clause else " " for gap, (sentence, clause) in kinds.items()}
    breaks = list(map(kinds.__getitem__, gaps))
    return _Words(
        texts=list(map(reading_of.__getitem__, tokens.texts)),
        lemmas=list(map(lemma_of_text.__getitem__, tokens.texts)),
        starts=tokens.fstarts if origin is None else list(map(origin.__getitem__, tokens.fstarts)),
        ends=tokens.fends if origin is None else [origin[end - 1] + 1 for end in tokens.fends],
        sentence_of=list(accumulate(map(itemgetter(0), breaks), initial=0)),
        clause_of=list(accumulate(map(itemgetter(1), breaks), initial=0)),
        hyphenated=[False, *map("-".__eq__, gaps)],
        separators=list(map(separator.__getitem__, gaps)),
    )


def _join(texts: list[str], separators: list[str]) -> tuple[str, list[int]]:
    """The words as one string for phrase patterns: " | " between sentences and " , "
    between clauses, so that a pattern's ``\\w`` never reaches across them. Also each
    word's offset in it."""
    if not texts:
        return "", []
    parts = [""] * (2 * len(texts) - 1)
    parts[0::2] = texts
    parts[1::2] = separators
    positions = list(accumulate(map(len, parts), initial=0))
    return "".join(parts), positions[0::2]
