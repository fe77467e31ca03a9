"""Theme classification of review text: phrase rules applied transparently.

Pure Python (no Django), so the bench and the tests can run it on plain strings:

    classifier = ThemeClassifier(rules)
    classifier.classify("Reservoir arrived cracked")  # {"arrived_damaged": [(10, 25)]}

How a rule matches:
- the text is *normalised* to the same length (lower case, curly quotes and dashes made
  plain), so every offset found is an offset into the original text;
- a phrase matches whole words, any run of spaces or hyphens between them ("set up" also
  finds "set-up"); a trailing ``*`` accepts any ending ("instruction*");
- a regex rule is a Python regular expression on the normalised text;
- negation, where cheap: a negatable rule is dropped when one of the three words before it
  in the same clause is a negator ("no missing parts", "never broke"), or when a negator
  that the rule itself does not spell sits inside the match ("arrived quickly and nothing
  was broken").
"""

import re
import re._constants as _constants  # the regex parser's view of a pattern: the words it requires
import re._parser as _parser
from dataclasses import dataclass
from functools import cached_property

Span = tuple[int, int]

NEGATORS = frozenset(
    {"not", "no", "never", "without", "nothing", "none", "nor", "hardly", "barely", "zero", "neither", "nobody"}
)
# A clause ends at punctuation or a contrast word: "no scratches, but the lid was missing".
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\n]|\b(?:but|however|although|though|except|yet)\b")
_WORD = re.compile(r"[a-z0-9']+")
NEGATION_WINDOW = 3
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "–": "-", "—": "-", "‐": "-", "\u00a0": " "})


class RuleError(ValueError):
    """A rule that cannot be compiled (shown on the admin form)."""


@dataclass(frozen=True)
class PhraseRule:
    theme: str
    pattern: str
    is_regex: bool = False
    negatable: bool = True
    polarity: str = "complaint"


def normalize(text: str) -> str:
    """Lower case and plain punctuation, keeping every character at its offset."""
    text = text.translate(_TRANSLATE)
    low = text.lower()
    if len(low) == len(text):  # the common case; "İ" lower-cases to two characters
        return low
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def is_negator(word: str) -> bool:
    return word in NEGATORS or word.endswith("n't")


def compile_rule(rule: PhraseRule) -> re.Pattern:
    pattern = rule.pattern.strip()
    if not pattern:
        raise RuleError("A rule needs a phrase or a pattern.")
    if rule.is_regex:
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise RuleError(f"Not a valid regular expression: {exc}.") from None
    parts = []
    for word in normalize(pattern).split():
        star = word.endswith("*")
        word = word.rstrip("*")
        if not word:
            raise RuleError("A * must follow a word.")
        parts.append(re.escape(word) + (r"\w*" if star else ""))
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(parts) + r"(?!\w)")


@dataclass(frozen=True)
class _Compiled:
    rule: PhraseRule
    regex: re.Pattern

    @cached_property
    def literal(self) -> str | None:
        """The longest word a phrase rule must contain, to skip the regex cheaply when the
        text lacks it (None for a regex rule)."""
        if self.rule.is_regex:
            return None
        return max((w.rstrip("*") for w in normalize(self.rule.pattern).split()), key=len, default=None)

    @cached_property
    def own_words(self) -> frozenset[str]:
        # Negators the rule spells itself ("not as described") do not cancel it. Regex
        # escapes (\b, \s, \w) are not words.
        return frozenset(_WORD.findall(re.sub(r"\\[A-Za-z]", " ", self.rule.pattern.lower())))


class ThemeClassifier:
    def __init__(self, rules: list[PhraseRule]):
        self.compiled = [_Compiled(rule, compile_rule(rule)) for rule in rules]
        self.themes = sorted({rule.theme for rule in rules})
        # The phrase rules by the word they must contain: a text is searched once per word.
        self._phrases: dict[str, list[_Compiled]] = {}
        for c in self.compiled:
            if not c.rule.is_regex:
                self._phrases.setdefault(c.literal, []).append(c)
        self._literals = list(self._phrases.items())
        self._regex_groups = _group_regex_rules([c for c in self.compiled if c.rule.is_regex])

    def classify(self, text: str) -> dict[str, list[Span]]:
        """Theme → sorted, merged spans of ``text`` that matched it (themes without a match left out)."""
        norm = normalize(text)
        found: dict[str, list[Span]] = {}
        for compiled in self.compiled:
            if compiled.literal and compiled.literal not in norm:
                continue
            for match in compiled.regex.finditer(norm):
                if match.end() == match.start():
                    continue
                if compiled.rule.negatable and _negated(norm, match, compiled.own_words):
                    continue
                found.setdefault(compiled.rule.theme, []).append((match.start(), match.end()))
        return {theme: merged_spans(spans) for theme, spans in sorted(found.items())}

    def classify_polar(self, text: str, *, norm: str | None = None) -> dict[tuple[str, str], list[Span]]:
        """(theme, polarity) → merged spans: like ``classify``, keeping each rule's polarity.
        ``norm``: ``normalize(text)`` when the caller has it already."""
        norm = normalize(text) if norm is None else norm
        found: dict[tuple[str, str], list[Span]] = {}
        for literal, rules in self._literals:
            if literal not in norm:
                continue
            for compiled in rules:
                for match in compiled.regex.finditer(norm):
                    if compiled.rule.negatable and _negated(norm, match, compiled.own_words):
                        continue
                    key = (compiled.rule.theme, compiled.rule.polarity)
                    found.setdefault(key, []).append((match.start(), match.end()))
        for key, regex, members, needs in self._regex_groups:
            if needs is not None and not needs.search(norm):
                continue  # none of the words a match must contain: skip the scan
            for match in regex.finditer(norm):
                if match.end() == match.start():
                    continue
                compiled = members[match.lastgroup] if match.lastgroup else members[None]
                if compiled.rule.negatable and _negated(norm, match, compiled.own_words):
                    continue
                found.setdefault(key, []).append((match.start(), match.end()))
        return {key: merged_spans(spans) for key, spans in sorted(found.items())}


def _group_regex_rules(rules: list["_Compiled"]) -> list[tuple[tuple[str, str], re.Pattern, dict, re.Pattern | None]]:
    """The regex rules of one theme and polarity as one alternation (a text is scanned once
    per theme, not once per rule). A rule that cannot share a pattern (its own groups or
    back-references, inline flags) keeps its own."""
    by_key: dict[tuple[str, str], list[_Compiled]] = {}
    for compiled in rules:
        by_key.setdefault((compiled.rule.theme, compiled.rule.polarity), []).append(compiled)
    groups = []
    for key, members in by_key.items():
        shareable = [c for c in members if not re.search(r"\(\?|\\\d", c.rule.pattern.replace("(?:", ""))]
        alone = [c for c in members if c not in shareable]
        if shareable:
            body = "|".join(f"(?P<r{i}>{c.rule.pattern})" for i, c in enumerate(shareable))
            try:
                regex = re.compile(body, re.IGNORECASE)
                groups.append((key, regex, {f"r{i}": c for i, c in enumerate(shareable)}))
            except re.error:
                alone = members
        groups += [(key, c.regex, {None: c}) for c in alone]
    return [(key, regex, members, _needs(list(members.values()))) for key, regex, members in groups]


def _needs(members: list["_Compiled"]) -> re.Pattern | None:
    """A search for the words one of which any match of these rules contains (None when a
    rule has no such set): a text without any is not scanned."""
    words: set[str] = set()
    for compiled in members:
        required = _required(_parser.parse(compiled.rule.pattern).data)
        if required is None or min(map(len, required)) < 3:
            return None
        words |= {word.lower() for word in required}
    return re.compile("|".join(map(re.escape, sorted(words))))


def _required(items) -> frozenset[str] | None:
    """Strings one of which every match of a parsed pattern contains, the set whose shortest
    string is longest (None when none is known)."""
    best: frozenset[str] | None = None
    run = ""

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and all(found) and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, av in items:
        if op is _constants.LITERAL:
            run += chr(av)
            continue
        consider(frozenset({run}) if run else None)
        run = ""
        if op is _constants.SUBPATTERN:
            consider(_required(av[-1].data))
        elif op is _constants.BRANCH:
            branches = [_required(branch.data) for branch in av[1]]
            if all(branches):
                consider(frozenset().union(*branches))
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_required(av[2].data))
    consider(frozenset({run}) if run else None)
    return best


def _negated(norm: str, match: re.Match, own_words: frozenset[str]) -> bool:
    start = match.start()
    clause_start = 0
    for brk in _CLAUSE_BREAK.finditer(norm, 0, start):
        clause_start = brk.end()
    before = _WORD.findall(norm[clause_start:start])[-NEGATION_WINDOW:]
    if any(is_negator(word) for word in before):
        return True
    inside = _WORD.findall(match.group(0))
    return any(is_negator(word) and word not in own_words for word in inside)


def merged_spans(spans: list[Span]) -> list[Span]:
    """Sorted spans with overlapping ones joined, ready for ``highlight``."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def snippet(text: str, spans: list[Span], *, width: int = 160) -> tuple[str, list[Span]]:
    """A window of ``text`` of about ``width`` characters around the first span, with the
    spans inside it re-based to the window (clipped at its edges). Ellipses mark cuts."""
    if not spans or len(text) <= width:
        return text, [s for s in spans if s[0] < len(text)]
    first_start, first_end = spans[0]
    pad = max((width - (first_end - first_start)) // 2, 0)
    start = max(first_start - pad, 0)
    end = min(start + width, len(text))
    start = max(min(start, end - width), 0)
    # Cut at word boundaries so no half word is shown.
    if start > 0:
        space = text.find(" ", start, first_start)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", max(first_end, start), end)
        end = space if space != -1 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start]
    return f"{prefix}{text[start:end]}{suffix}", inside
