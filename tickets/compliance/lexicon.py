"""The guard's vocabulary: review nouns, change verbs, and the fuzzy lookup that also
recognises their misspelt forms ("reveiw", "feedbak", "remvoe").

English only: the word rules read English closely; the other marketplace languages (and
English phrasings these words miss) are read by the intent rules (``concepts``, ``intent``).
"""

from collections.abc import Collection
from functools import lru_cache


def _forms(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {form: lemma for lemma, forms in table.items() for form in (lemma, *forms)}


# What a buyer writes about a purchase. "star" counts too: "the stars you gave".
REVIEW_NOUNS = _forms(
    {
        "review": ("reviews",),
        "rating": ("ratings",),
        "feedback": ("feedbacks",),
        "star": ("stars",),
    }
)
REVIEWERS = _forms({"reviewer": ("reviewers",)})

# Verbs that change, remove or raise something already written.
CHANGE_VERBS = _forms(
    {
        "update": ("updates", "updated", "updating"),
        "change": ("changes", "changed", "changing"),
        "revise": ("revises", "revised", "revising"),
        "edit": ("edits", "edited", "editing"),
        "amend": ("amends", "amended", "amending"),
        "modify": ("modifies", "modified", "modifying"),
        "reconsider": ("reconsiders", "reconsidered", "reconsidering"),
        "remove": ("removes", "removed", "removing"),
        "delete": ("deletes", "deleted", "deleting"),
        "withdraw": ("withdraws", "withdrawn", "withdrawing", "withdrew"),
        "retract": ("retracts", "retracted", "retracting"),
        "revisit": ("revisits", "revisited", "revisiting"),
        "adjust": ("adjusts", "adjusted", "adjusting"),
        "rewrite": ("rewrites", "rewrote", "rewritten", "rewriting"),
        "redo": ("redoes", "redone", "redoing"),
        "rethink": ("rethinks", "rethinking"),
        "erase": ("erases", "erased", "erasing"),
        "upgrade": ("upgrades", "upgraded", "upgrading"),
        "raise": ("raises", "raised", "raising"),
        "increase": ("increases", "increased", "increasing"),
        "bump": ("bumps", "bumped", "bumping"),
        "boost": ("boosts", "boosted", "boosting"),
        "improve": ("improves", "improved", "improving"),
        "alter": ("alters", "altered", "altering"),
        "correct": ("corrects", "corrected", "correcting"),
        "pull": ("pulls", "pulled", "pulling"),
        "rerate": ("rerates", "rerated", "rerating"),
    }
)

# Nouns naming such a change: "removal of your feedback", "a revision to your rating".
# The strong ones need nothing else; the weak ones also name ordinary news ("an update on
# your order"), so the rule asks more of them.
CHANGE_NOUNS_STRONG = _forms(
    {
        "removal": ("removals",),
        "revision": ("revisions",),
        "deletion": ("deletions",),
        "amendment": ("amendments",),
        "withdrawal": ("withdrawals",),
        "retraction": ("retractions",),
    }
)

CHANGE_LEMMAS = frozenset(CHANGE_VERBS.values())
CHANGE_NOUN_LEMMAS = frozenset(CHANGE_NOUNS_STRONG.values())

LEXICON: dict[str, str] = {**REVIEW_NOUNS, **REVIEWERS, **CHANGE_VERBS, **CHANGE_NOUNS_STRONG}


def forms_of(lemmas: Collection[str]) -> frozenset[str]:
    """The lexicon forms of these lemmas. A word that reads as a lexicon word reads as its
    form, so its lemma is one of ``lemmas`` exactly when its reading is one of these."""
    return frozenset(form for form, lemma in LEXICON.items() if lemma in lemmas)


# Lemmas whose misspellings are worth catching: the words a message that tries to slip past
# a keyword filter bends. Short, common verbs ("edit", "raise") are matched exactly only.
_FUZZY_LEMMAS = {
    "review", "rating", "feedback", "star", "reviewer",
    "update", "change", "revise", "amend", "modify", "reconsider", "remove", "delete",
    "withdraw", "retract", "revisit", "removal", "deletion",
}  # fmt: skip

# Real English words one edit away from a fuzzy form. They are not typos, so they are
# never read as the word they resemble ("charge" is not a misspelt "change").
NOT_TYPOS = frozenset(
    {
        "chance", "chances", "chanced", "chancing", "charge", "charges", "charged", "charging",
        "remote", "remotes", "remover", "removers", "revive", "revived", "reviving", "revile",
        "reviled", "deplete", "depleted", "rafting", "raring", "updater", "retrace", "reviewed", "reviewing",
    }
)  # fmt: skip


def collapse(word: str) -> str:
    """Squeeze repeated letters ("reeeview" → "review", "feedback" → "fedback"): both the
    lexicon and the text are compared in this form, so stretched words still match."""
    out: list[str] = []
    for ch in word:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


# Every beginning of a lexicon form: a piece that is none cannot start a split word.
PREFIXES = frozenset(form[:k] for form in LEXICON for k in range(1, len(form)))

_BY_KEY: dict[str, str] = {}
for _form in LEXICON:
    _BY_KEY.setdefault(collapse(_form), _form)
_FUZZY_KEYS: dict[str, list[tuple[str, str]]] = {}
for _form, _lemma in LEXICON.items():
    if _lemma in _FUZZY_LEMMAS:
        _key = collapse(_form)
        _FUZZY_KEYS.setdefault(_key[0], []).append((_key, _form))


def damerau_levenshtein(a: str, b: str) -> int:
    """Edit distance counting an adjacent transposition as one edit (the "optimal string
    alignment" variant: enough for typos such as "reveiw" or "remvoe")."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _is_typo_of(word: str, form: str) -> bool:
    # Six letters and more: any single edit. Five letters: only a swap of two neighbours,
    # since one substitution turns "stars" into "stays" or "start". The first letter must
    # match: typos rarely hit it, and it keeps "preview" and "eating" out.
    if abs(len(word) - len(form)) > 1 or word[0] != form[0]:
        return False
    if len(form) >= 6:
        return one_edit_apart(word, form)
    if len(form) == 5:
        return len(word) == 5 and sorted(word) == sorted(form) and word != form and one_edit_apart(word, form)
    return False


def one_edit_apart(a: str, b: str) -> bool:
    """``damerau_levenshtein(a, b) <= 1`` in one pass rather than a table: every word of
    a message is tried against the lexicon, so this runs thousands of times per message."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]  # a deletion
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]  # an insertion
    swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i + 1 :] == b[i + 1 :] or swapped  # a substitution or two neighbours swapped


def lexicon_lookup(word: str, *, fuzzy: bool = True) -> str | None:
    """The lexicon form ``word`` stands for (exact, stretched or misspelt), or None."""
    # Words repeat, so lookups are cached; a very long "word" (a message of 20,000 letters)
    # is looked up but not kept, so messages cannot fill the cache with megabytes.
    if len(word) > 64:
        return _lookup(word, fuzzy=fuzzy)
    return _cached_lookup(word, fuzzy=fuzzy)


def _lookup(word: str, *, fuzzy: bool) -> str | None:
    if word in LEXICON:
        return word
    key = collapse(word)
    if key in _BY_KEY:
        return _BY_KEY[key]
    if not fuzzy or len(key) < 5 or word in NOT_TYPOS or key in NOT_TYPOS:
        return None
    for candidate_key, form in _FUZZY_KEYS.get(key[0], ()):
        if _is_typo_of(key, candidate_key):
            return form
    return None


_cached_lookup = lru_cache(maxsize=8192)(_lookup)


def lemma_of(form: str | None) -> str | None:
    return LEXICON.get(form) if form else None
