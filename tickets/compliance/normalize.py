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
import unicodedata
from bisect import bisect_right
from functools import lru_cache
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

_STAR_SYMBOLS = frozenset("★☆⭐🌟✩✪✫✬✭✮✯✰")

# Digits and signs used as letters inside a word. "8" reads "ate" ("upd8", "gr8").
_LEET = {"0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "ate", "9": "g",
         "@": "a", "$": "s", "!": "i", "|": "l"}  # fmt: skip

_TOKEN = re.compile(r"[^\W_]+(?:(?<=[^\W\d_])[@$!|](?=[^\W\d_])[^\W_]+)*")
_DIGITS_THEN_LETTERS = re.compile(r"(\d+)([^\W\d_]+)")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")
_SENTENCE_BREAK = re.compile(r"[!?;\n]|[.…](?=\s)")
_CLAUSE_BREAK = re.compile(r"[,:()\[\]—–]|\s-\s")
# What may separate the letters of one word spelt apart: "r e v i e w", "re-view", "r.e.v".
_SPLIT_GLUE = re.compile(r"[ \t\-_.*/·•'’~+]{1,3}")


class Word(NamedTuple):
    """One word of the message. ``text`` is the reading a rule compares: folded,
    de-leeted, and replaced by the lexicon form when it is a (misspelt) lexicon word.
    (A named tuple: built for every word, several times faster than a frozen dataclass.)"""

    text: str
    lemma: str | None
    start: int  # offsets into the original text
    end: int
    sentence: int
    clause: int
    hyphenated: bool  # glued to the previous word by "-" ("bpa-free", "5-star")


class _Token(NamedTuple):
    text: str
    fstart: int  # offsets into the folded text
    fend: int


class Document:
    """A message analysed once, read by every rule."""

    def __init__(self, text: str):
        self.text = text
        self.flat = _flat(text)
        folded, origin = _fold(text)
        self.words: tuple[Word, ...] = tuple(_words(folded, origin))
        self.joined, self._joined_starts = _join(self.words)
        # Per sentence: its word indices and the set of its readings (rules ask "does this
        # sentence contain a request word?" for many words; a set answers in O(1)).
        self.sentences: list[range] = []
        start = 0
        for index in range(1, len(self.words) + 1):
            if index == len(self.words) or self.words[index].sentence != self.words[start].sentence:
                self.sentences.append(range(start, index))
                start = index
        self.sentence_texts = [frozenset(self.words[i].text for i in sentence) for sentence in self.sentences]

    def words_at(self, jstart: int, jend: int) -> tuple[int, int]:
        """The first and last word of a match ``[jstart, jend)`` in ``joined``."""
        first = max(bisect_right(self._joined_starts, jstart) - 1, 0)
        last = max(bisect_right(self._joined_starts, jend - 1) - 1, first)
        return first, last

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original offsets from word ``first`` to word ``last`` inclusive."""
        a, b = self.words[first], self.words[last]
        return min(a.start, b.start), max(a.end, b.end)

    def match_span(self, match: re.Match) -> tuple[int, int]:
        return self.span(*self.words_at(match.start(), match.end()))


def read_words(text: str) -> list[str]:
    """The readings of a phrase's words (used to match manager-added phrases)."""
    folded, origin = _fold(text)
    return [word.text for word in _words(folded, origin)]


def _flat(text: str) -> str:
    # Same length as the text, so regular expressions over it give original offsets:
    # each character is folded when NFKC gives a single character ("ｈｔｔｐｓ" → "https").
    if text.isascii():
        return text.lower()
    return "".join(piece.lower() if piece.isascii() else _flat_char(piece) for piece in _ASCII_RUNS.findall(text))


@lru_cache(maxsize=4096)
def _flat_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).casefold()
    return folded if len(folded) == 1 else ch


def _fold(text: str) -> tuple[str, list[int]]:
    if text.isascii():
        return text.lower(), list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for match in _ASCII_RUNS.finditer(text):
        piece = match.group()
        if piece.isascii():
            chars.append(piece.lower())
            origin.extend(range(match.start(), match.end()))
        else:
            folded = _fold_char(piece)
            chars.append(folded)
            origin.extend([match.start()] * len(folded))
    return "".join(chars), origin


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """What one character other than ASCII reads as (every piece keeps its offset)."""
    if ch in _INVISIBLE:
        return ""
    out = []
    for c in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", ch).casefold()):
        if unicodedata.combining(c):
            continue
        # "5★ review", "⭐⭐⭐⭐⭐": stars drawn as symbols read as the word.
        out.append(" star " if c in _STAR_SYMBOLS else _CONFUSABLES.get(c, c))
    return "".join(out)


def _deleet(token: str) -> str:
    return "".join(_LEET.get(ch, ch) for ch in token)


def _read_token(token: _Token) -> list[_Token]:
    """A raw token as one or more readings: "r3view" → review, "58mm" → 58 + mm."""
    text = token.text
    if text.isalpha() or text.isdigit():
        return [token]
    split = _DIGITS_THEN_LETTERS.fullmatch(text)
    if split and (lexicon_lookup(split[2]) or not lexicon_lookup(_deleet(text))):
        cut = token.fstart + len(split[1])
        return [_Token(split[1], token.fstart, cut), _Token(split[2], cut, token.fend)]
    if any(ch.isalpha() for ch in text):
        # Letters and digits mixed: read the digits as letters ("r3view", "c0up0n"). Codes
        # such as an ASIN become nonsense words, which no rule looks for.
        return [_Token(_deleet(text), token.fstart, token.fend)]
    return [token]


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


def _merge_spelt_apart(tokens: list[_Token], folded: str) -> list[_Token]:
    """Join runs of three or more single characters: "r e v i e w" → "review". Within a
    run, a wider gap separates words: "p l e a s e  d e l e t e" → "please", "delete"."""
    out: list[_Token] = []
    i = 0
    while i < len(tokens):
        j = i
        while (
            j + 1 < len(tokens)
            and len(tokens[j].text) == 1
            and len(tokens[j + 1].text) == 1
            and _is_glue(folded[tokens[j].fend : tokens[j + 1].fstart])
        ):
            j += 1
        run = tokens[i : j + 1]
        if len(run) < 3 or sum(t.text.isalpha() for t in run) < 2:
            # A run that is no word is none from any of its later tokens either (each is a
            # shorter run with fewer letters): pass it through whole, so "1 1 1 …" stays linear.
            out += run
            i = j + 1
            continue
        gaps = [len(folded[a.fend : b.fstart]) for a, b in zip(run, run[1:], strict=False)]
        narrow = min(gaps)
        piece = [run[0]]
        for token, gap in zip(run[1:], gaps, strict=True):
            if gap > narrow:
                out.append(_joined(piece))
                piece = []
            piece.append(token)
        out.append(_joined(piece))
        i = j + 1
    return out


def _joined(run: list[_Token]) -> _Token:
    return _Token(_deleet("".join(t.text for t in run)), run[0].fstart, run[-1].fend)


def _merge_split_words(tokens: list[_Token], folded: str) -> list[tuple[_Token, str | None]]:
    """Join two or three pieces that only together spell a lexicon word: "re-view",
    "feed back", "up date". Exact matches only: two real words rarely spell a third."""
    out: list[tuple[_Token, str | None]] = []
    i = 0
    while i < len(tokens):
        form = lexicon_lookup(tokens[i].text)
        if form is None:
            merged = _merge_at(tokens, i, folded)
            if merged:
                token, form, size = merged
                out.append((token, form))
                i += size
                continue
        out.append((tokens[i], form))
        i += 1
    return out


def _merge_at(tokens: list[_Token], i: int, folded: str) -> tuple[_Token, str, int] | None:
    if tokens[i].text not in PREFIXES:
        return None
    for size in (2, 3):
        piece = tokens[i : i + size]
        if len(piece) < size or not _is_glue(folded[piece[-2].fend : piece[-1].fstart]):
            return None
        if lexicon_lookup(piece[-1].text):
            return None
        joined = "".join(t.text for t in piece)
        form = lexicon_lookup(joined, fuzzy=False)
        if form:
            return _Token(joined, piece[0].fstart, piece[-1].fend), form, size
    return None


def _words(folded: str, origin: list[int]) -> list[Word]:
    raw = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    tokens = [piece for token in raw for piece in _read_token(token)]
    tokens = _merge_spelt_apart(tokens, folded)
    words: list[Word] = []
    sentence = clause = 0
    previous_end = 0
    for token, form in _merge_split_words(tokens, folded):
        gap = folded[previous_end : token.fstart]
        if words:
            new_sentence, new_clause = _breaks(gap)
            sentence += new_sentence
            clause += new_clause
        # Positional: text, lemma, start, end (original offsets), sentence, clause, hyphenated.
        word = Word(
            form or token.text,
            lemma_of(form),
            origin[token.fstart],
            origin[token.fend - 1] + 1,
            sentence,
            clause,
            bool(words) and gap == "-",
        )
        words.append(word)
        previous_end = token.fend
    return words


def _join(words: tuple[Word, ...]) -> tuple[str, tuple[int, ...]]:
    """The words as one string for phrase patterns: " | " between sentences and " , "
    between clauses, so that a pattern's ``\\w`` never reaches across them."""
    parts: list[str] = []
    starts: list[int] = []
    position = 0
    for index, word in enumerate(words):
        if index:
            previous = words[index - 1]
            separator = (
                " | " if word.sentence != previous.sentence else " , " if word.clause != previous.clause else " "
            )
            parts.append(separator)
            position += len(separator)
        starts.append(position)
        parts.append(word.text)
        position += len(word.text)
    return "".join(parts), tuple(starts)
