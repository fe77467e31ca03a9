"""What a regular expression cannot match without: the literal text it requires, read from
the compiled pattern itself, so that a rule skips a pattern whose words are not in the
message without anyone keeping a keyword list beside the pattern.

``required(pattern)`` gives a tuple of alternatives sets: every match contains, for each
set, at least one of its strings. ``may_match`` checks them with ``str.__contains__``
(a fast scan in C) before the regular expression engine tries the pattern at every
position of a long text.
"""

import re
from re import _constants as c  # the parser's opcodes (private modules of 3.11+; tests pin the results)
from re import _parser

# A cross product of alternatives grows fast; past this, a run of literals stops.
_MAX_STRINGS = 64
_ZERO_WIDTH = {c.AT, c.ASSERT, c.ASSERT_NOT}


def required(pattern: re.Pattern) -> tuple[frozenset[str], ...]:
    """Sets of strings, each of which some string must occur in any match; empty when
    nothing can be derived (case-insensitive patterns, bytes)."""
    if not isinstance(pattern.pattern, str) or pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return ()
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    if parsed.state.flags & re.IGNORECASE:
        return ()
    return tuple(_shortest(strings) for strings in _required(parsed))


def may_match(needs: tuple[frozenset[str], ...], text: str) -> bool:
    """False only when some required string set has no member in ``text``."""
    return all(any(s in text for s in strings) for strings in needs)


Pieces = tuple[tuple[tuple[str, ...], ...], ...]
_SEPARATORS = re.compile(r"[ ,|]+")


def word_pieces(needs: tuple[frozenset[str], ...]) -> Pieces:
    """``needs`` for a text of words joined by " ", " , " and " | " (``Document.joined``):
    each required string as its pieces between those separators."""
    return tuple(tuple(tuple(filter(None, _SEPARATORS.split(s))) for s in strings) for strings in needs)


def may_match_words(pieces: Pieces, vocabulary: str) -> bool:
    """``may_match`` on such a text, read from ``vocabulary``, its distinct words joined by
    newlines: a required piece lies within one word, so it must be in some distinct word.
    (Scanning 20,000 words for each of a few hundred strings took longer than the patterns.)"""
    return all(any(all(piece in vocabulary for piece in string) for string in strings) for strings in pieces)


def _shortest(strings: frozenset[str]) -> frozenset[str]:
    # "apply" in the text already says whether "apply our" might be: keep the shorter.
    return frozenset(s for s in strings if not any(t != s and t in s for t in strings))


def _exact(items) -> frozenset[str] | None:
    """The finite set of strings ``items`` matches (zero-width assertions ignored), or None."""
    out = frozenset({""})
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        piece = _exact_item(op, av)
        if piece is None:
            return None
        out = frozenset(a + b for a in out for b in piece)
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _exact_item(op, av) -> frozenset[str] | None:
    if op is c.LITERAL:
        return frozenset({chr(av)})
    if op is c.SUBPATTERN and av[1] & re.IGNORECASE:
        return None  # "(?i:…)": its letters match either case
    if op is c.SUBPATTERN or op is c.ATOMIC_GROUP:
        return _exact(av[-1])
    if op is c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            piece = _exact(branch)
            if piece is None:
                return None
            out |= piece
        return frozenset(out) if len(out) <= _MAX_STRINGS else None
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, sub = av
        if (low, high) == (0, 1):
            piece = _exact(sub)
            return None if piece is None else piece | {""}
        if low == high == 1:
            return _exact(sub)
    return None


def _required(items) -> list[frozenset[str]]:
    """Necessary string sets for the sequence ``items``: each maximal run of items with a
    finite set of strings, and what each mandatory item requires on its own."""
    needs: list[frozenset[str]] = []
    run = frozenset({""})

    def close() -> None:
        nonlocal run
        if "" not in run:
            needs.append(run)
        run = frozenset({""})

    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # takes no characters: the literals either side stay adjacent
        piece = _exact_item(op, av)
        if piece is not None:
            joined = frozenset(a + b for a in run for b in piece)
            if len(joined) <= _MAX_STRINGS:
                run = joined
                continue
        close()
        if piece is not None:
            run = piece
            continue
        needs += _required_item(op, av)
    close()
    return needs


def _required_item(op, av) -> list[frozenset[str]]:
    if op is c.SUBPATTERN and av[1] & re.IGNORECASE:
        return []
    if op is c.SUBPATTERN or op is c.ATOMIC_GROUP:
        return _required(av[-1])
    if op is c.BRANCH:
        # Each branch must give one set; any of their strings will do.
        union: set[str] = set()
        for branch in av[1]:
            needs = _required(branch)
            if not needs:
                return []
            union |= min(needs, key=len)
        return [frozenset(union)]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _required(av[2])
    return []
