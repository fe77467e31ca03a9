"""The synthetic training corpus of the learned theme layer: reviews composed from phrases
written per language and (theme, polarity) (``synth_<lang>.py``), with products, waits and
lifetimes filled in, neutral sentences and titles between them, and a star rating that fits.

Deterministic (a seeded ``random.Random``). Every fifth phrase of each cell is *kept apart*:
the ``check`` split is composed only of those, so its score says how the model does on
wording it never trained on (``bench/review_themes_bench.py`` prints it).

    reviews(split="train", per_language=1500)  # list of dicts shaped like the bench corpora
"""

import random
from importlib import import_module

from reviews.aspects import NOT_THEMES

from . import synth_more, synth_narrative, synth_quality

LANGUAGES = ("en", "de", "fr", "es", "it", "ja")
# Of the reviews with two findings or more, the share that says the first two in one sentence.
CONTRAST = 0.3
KEEP_APART = 5  # phrase i of a cell goes to the check split when i % KEEP_APART == KEEP_APART - 1


def _vocab(lang: str):
    return import_module(f"reviews.data.synth_{lang}")


def _cells(lang: str) -> dict[tuple[str, str], list[str]]:
    """The language's cells, widened by ``synth_quality`` (a product's job and feel, across
    categories) ``synth_more`` (the cells the held-out rounds found thin) and ``synth_narrative`` (value
    as expectation against price, quality as what happened)."""
    cells = {aspect: list(phrases) for aspect, phrases in _vocab(lang).CELLS.items()}
    for extra in (synth_quality.cells(lang), synth_more.cells(lang), synth_narrative.cells(lang)):
        for aspect, phrases in extra.items():
            cells[aspect] = cells.get(aspect, []) + phrases
    return cells


def _split(items: list[str], split: str) -> list[str]:
    keep = [s for i, s in enumerate(items) if (i % KEEP_APART == KEEP_APART - 1) == (split == "check")]
    return keep or items


def _fill(rng: random.Random, v, phrase: str) -> str:
    return phrase.format(
        p=rng.choice(v.PRODUCTS), bad=rng.choice(v.BAD), good=rng.choice(v.GOOD), fail=rng.choice(v.FAIL)
    )


def _rating(rng: random.Random, polarities: list[str]) -> int:
    if not polarities:
        return rng.choice([2, 3, 4, 5])
    complaints = polarities.count("complaint")
    if complaints == len(polarities):
        return rng.choice([1, 1, 2, 2, 3])
    if complaints == 0:
        return rng.choice([4, 5, 5, 5])
    return rng.choice([2, 3, 3, 4])


def _join(rng: random.Random, v, lang: str, sentences: list[str]) -> str:
    out = sentences[0]
    for sentence in sentences[1:]:
        glue = rng.choice(v.JOIN)
        if glue.strip() and lang != "ja":
            first = sentence.split()[0]
            sentence = sentence if len(first) > 1 and first.isupper() else sentence[0].lower() + sentence[1:]
        out += glue + sentence
    return out


def reviews(*, split: str = "train", per_language: int = 1500, seed: int = 21) -> list[dict]:
    rng = random.Random(f"{seed}-{split}")
    out = []
    for lang in LANGUAGES:
        v = _vocab(lang)
        cells = {aspect: _split(phrases, split) for aspect, phrases in _cells(lang).items()}
        # "Arrived intact", "nothing missing", "as described": said, but no finding.
        neutral = list(v.NEUTRAL) + [p for aspect in sorted(NOT_THEMES) for p in cells.pop(aspect, [])]
        aspects = sorted(cells)
        for n in range(per_language):
            k = rng.choices([0, 1, 2, 3], weights=[1, 6, 4, 1])[0]
            chosen: list[tuple[str, str]] = []
            for aspect in rng.sample(aspects, k=min(k * 2, len(aspects))):
                if len(chosen) < k and all(aspect[0] != c[0] for c in chosen):
                    chosen.append(aspect)
            sentences = [_fill(rng, v, rng.choice(cells[a])) for a in chosen]
            units = [(sentence, [aspect]) for sentence, aspect in zip(sentences, chosen, strict=True)]
            if len(sentences) >= 2 and lang != "ja" and rng.random() < CONTRAST:
                # "Not the colour pictured, but it cooks well": two findings in one sentence.
                first, second = sentences[0].rstrip(".!"), sentences[1]
                sentences[:2] = [f"{first}{rng.choice(v.CONTRAST)}{second[0].lower()}{second[1:]}"]
                units[:2] = [(sentences[0], [chosen[0], chosen[1]])]
            if not chosen or rng.random() < 0.4:
                at = rng.randrange(len(sentences) + 1)
                sentences.insert(at, _fill(rng, v, rng.choice(neutral)))
                units.insert(at, (sentences[at], []))
            rating = _rating(rng, [a[1] for a in chosen])
            titles = v.TITLE_BAD if rating <= 2 else v.TITLE_GOOD if rating >= 4 else v.TITLE_MID
            out.append(
                {
                    "id": f"s-{split}-{lang}-{n:05d}",
                    "language": lang,
                    "rating": rating,
                    "title": rng.choice(titles) if rng.random() < 0.7 else "",
                    "text": _join(rng, v, lang, sentences),
                    "themes": [{"theme": t, "polarity": p} for t, p in chosen],
                    # Each sentence with its own labels: the model reads a review sentence by sentence.
                    "units": [(sentence, [f"{t}/{p}" for t, p in labels]) for sentence, labels in units],
                }
            )
    return out
