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
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate, chain, pairwise, repeat
from operator import itemgetter
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


def _rows(kind: type, *columns) -> list:
    """Named tuples built from columns by ``tuple.__new__`` in C: calling ``kind(...)`` is a
    Python call per row, the larger part of building 20,000 words."""
    return list(map(tuple.__new__, repeat(kind), zip(*columns, strict=True)))


_texts = itemgetter(0)


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
        # Sentence numbers run 0, 1, 2… without gaps, so each one's last word is where a
        # dict from number to index ends up.
        last = dict(zip((word.sentence for word in self.words), range(len(self.words)), strict=True))
        ends = [index + 1 for index in last.values()]
        self.sentences: list[range] = list(map(range, [0, *ends[:-1]], ends))
        self.texts = texts = list(map(_texts, self.words))
        self.sentence_texts = [frozenset(texts[sentence.start : sentence.stop]) for sentence in self.sentences]
        # The distinct readings, one a line: what a pattern over ``joined`` needs is looked
        # up here (``literals.may_match_words``), a short text when words repeat.
        self.vocabulary = "\n".join(set(texts))

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


_ASCII_LOWER = {ord(ch): ch.lower() for ch in string.ascii_uppercase}


def _flat(text: str) -> str:
    # Same length as the text, so regular expressions over it give original offsets:
    # each character is folded when NFKC gives a single character ("ｈｔｔｐｓ" → "https").
    if text.isascii():
        return text.lower()
    table = {ord(ch): _flat_char(ch) for ch in set(text) if not ch.isascii()}
    return text.translate(_ASCII_LOWER | table)


@lru_cache(maxsize=4096)
def _flat_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).casefold()
    return folded if len(folded) == 1 else ch


def _fold(text: str) -> tuple[str, Sequence[int]]:
    """The text as the words are read, and for each of its characters the offset of the
    original character it comes from."""
    if text.isascii():
        return text.lower(), range(len(text))
    # One table for the characters this text uses: ``str.translate`` folds the text in C
    # rather than a Python step per character ("⭐" × 20,000).
    table = {ord(ch): _fold_char(ch) for ch in set(text) if not ch.isascii()}
    folded = text.translate(_ASCII_LOWER | table)
    if all(len(piece) == 1 for piece in table.values()):
        return folded, range(len(text))
    # A character folded to several ("⭐" → " star ") or none (zero-width): its offset
    # repeats as many times.
    width = dict.fromkeys(set(text), 1) | {chr(code): len(piece) for code, piece in table.items()}
    return folded, list(chain.from_iterable(map(repeat, range(len(text)), map(width.__getitem__, text))))


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


_GAPS_AND_TOKENS = re.compile(f"({_TOKEN.pattern})")


def _raw_tokens(folded: str) -> list[_Token]:
    # One pass gives gap, token, gap, token… gap; their lengths summed give the offsets,
    # with no match object per token.
    parts = _GAPS_AND_TOKENS.split(folded)
    bounds = list(accumulate(map(len, parts)))
    return _rows(_Token, parts[1::2], bounds[0:-1:2], bounds[1::2])


def _read_tokens(raw: list[_Token]) -> list[_Token]:
    """Each raw token as its readings (``_reading``), worked out once per distinct token."""
    readings = {text: _reading(text) for text in set(map(_texts, raw))}
    if all(reading is None for reading in readings.values()):
        return raw
    out: list[_Token] = []
    for token in raw:
        reading = readings[token.text]
        if reading is None:
            out.append(token)
        else:
            out += [_Token(text, token.fstart + a, token.fstart + b) for text, a, b in reading]
    return out


def _reading(text: str) -> list[tuple[str, int, int]] | None:
    """A raw token as one or more readings with their offsets in it: "r3view" → review,
    "58mm" → 58 + mm; None when the token reads as it is."""
    if text.isalpha() or text.isdigit():
        return None
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


def _merge_spelt_apart(tokens: list[_Token], folded: str) -> list[_Token]:
    """Join runs of three or more single characters: "r e v i e w" → "review". Only a
    stretch of three or more one-character tokens can hold one, so only those are read."""
    marks = "".join(["1" if len(token.text) == 1 else "0" for token in tokens])
    out: list[_Token] = []
    done = 0
    for stretch in _SINGLES.finditer(marks):
        out += tokens[done : stretch.start()]
        out += _merge_stretch(tokens[stretch.start() : stretch.end()], folded)
        done = stretch.end()
    return out + tokens[done:] if done else tokens


def _merge_stretch(tokens: list[_Token], folded: str) -> list[_Token]:
    """Within a run, a wider gap separates words: "p l e a s e  d e l e t e" → "please",
    "delete"."""
    # Every token here is one character, so a run is tokens joined by glue: three or more
    # tokens are two or more glue gaps in a row ("1" marks a glue gap). Others pass through.
    marks = "".join(["1" if glue else "0" for glue in _glue_after(tokens, folded)])
    out: list[_Token] = []
    done = 0
    for glued in _GLUED.finditer(marks):
        i, j = glued.start(), glued.end()  # the run is tokens i to j
        out += tokens[done:i]
        done = j + 1
        run = tokens[i : j + 1]
        if sum(map(str.isalpha, map(_texts, run))) < 2:
            # A run that is no word is none from any of its later tokens either (each is a
            # shorter run with fewer letters): pass it through whole, so "1 1 1 …" stays linear.
            out += run
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
    return out + tokens[done:]


def _joined(run: list[_Token]) -> _Token:
    return _Token(_deleet("".join(t.text for t in run)), run[0].fstart, run[-1].fend)


def _merge_split_words(tokens: list[_Token], folded: str) -> tuple[list[_Token], list[str | None]]:
    """Join two or three pieces that only together spell a lexicon word: "re-view",
    "feed back", "up date". Exact matches only: two real words rarely spell a third.
    Returns the tokens and the lexicon form of each (None for other words)."""
    texts = list(map(_texts, tokens))
    form_of = {text: lexicon_lookup(text) for text in set(texts)}
    forms = list(map(form_of.__getitem__, texts))
    # Only a piece that is no lexicon word but begins one can start a split word.
    starters = {text for text, form in form_of.items() if form is None and text in PREFIXES}
    if not starters:
        return tokens, forms
    glue = _glue_after(tokens, folded)
    # What a starter spells depends only on the next two pieces and the gaps between:
    # worked out once per such neighbourhood ("a at b a at b…" has one).
    spelt: dict[tuple, tuple[str, int] | None] = {}
    out_tokens: list[_Token] = []
    out_forms: list[str | None] = []
    done = 0
    for i in [i for i, text in enumerate(texts) if text in starters]:
        if i < done:
            continue  # already part of the word merged before
        key = (*texts[i : i + 3], *glue[i : i + 2])
        if key not in spelt:
            spelt[key] = _split_word_at(texts, glue, i)
        if spelt[key]:
            form, size = spelt[key]
            token = _Token("".join(texts[i : i + size]), tokens[i].fstart, tokens[i + size - 1].fend)
            out_tokens += [*tokens[done:i], token]
            out_forms += [*forms[done:i], form]
            done = i + size
    return out_tokens + tokens[done:], out_forms + forms[done:]


def _glue_after(tokens: list[_Token], folded: str) -> list[bool]:
    """For each token but the last, whether the gap after it may join a word spelt apart."""
    gaps = list(map(folded.__getitem__, map(slice, map(itemgetter(2), tokens[:-1]), map(itemgetter(1), tokens[1:]))))
    is_glue = {gap: _is_glue(gap) for gap in set(gaps)}
    return list(map(is_glue.__getitem__, gaps))


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


def _words(folded: str, origin: Sequence[int]) -> list[Word]:
    tokens = _merge_spelt_apart(_read_tokens(_raw_tokens(folded)), folded)
    tokens, forms = _merge_split_words(tokens, folded)
    if not tokens:
        return []
    # Column by column, each step in C or once per distinct value: a message of 20,000
    # words repeats few words and fewer gaps.
    fstarts = [token.fstart for token in tokens]
    fends = [token.fend for token in tokens]
    gaps = list(map(folded.__getitem__, map(slice, fends[:-1], fstarts[1:])))  # before words 1…
    kinds = {gap: _breaks(gap) for gap in set(gaps)}
    breaks = list(map(kinds.__getitem__, gaps))
    lemmas = {form: lemma_of(form) for form in set(forms)}
    # Positional: text, lemma, start, end (original offsets), sentence, clause, hyphenated.
    return _rows(
        Word,
        [form or token.text for token, form in zip(tokens, forms, strict=True)],
        map(lemmas.__getitem__, forms),
        map(origin.__getitem__, fstarts),
        [origin[end - 1] + 1 for end in fends],
        accumulate(map(itemgetter(0), breaks), initial=0),
        accumulate(map(itemgetter(1), breaks), initial=0),
        [False, *(gap == "-" for gap in gaps)],
    )


def _join(words: tuple[Word, ...]) -> tuple[str, tuple[int, ...]]:
    """The words as one string for phrase patterns: " | " between sentences and " , "
    between clauses, so that a pattern's ``\\w`` never reaches across them."""
    if not words:
        return "", ()
    separators = [
        " | " if word.sentence != previous.sentence else " , " if word.clause != previous.clause else " "
        for previous, word in pairwise(words)
    ]
    parts = [*chain.from_iterable(zip(map(_texts, words), separators, strict=False)), words[-1].text]
    positions = list(accumulate(map(len, parts), initial=0))
    return "".join(parts), tuple(positions[0::2])
