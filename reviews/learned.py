"""The learned layer of review themes: a linear model per (theme, polarity) over character
and word n-grams and the star rating, shipped in the repository (``reviews/data/
theme_model.npz``, built by ``python -m reviews.data.train``). It adds recall on wording no
cue was written for; the cues (``reviews/aspects.py``) keep the justifying words and win on
polarity when both read a theme.

Inference is numpy only (no scikit-learn at run time): the n-grams of a text are looked up
in the model's vocabulary, weighted like scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``
(1 + log tf, times idf, L2-normalised) and multiplied by the coefficients; a sigmoid gives
the probability. Deterministic; loaded once per process (about 10 MB).
"""

import re
from functools import cache
from pathlib import Path

import numpy as np

from .themes import Span

MODEL_PATH = Path(__file__).resolve().parent / "data" / "theme_model.npz"
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.!?\n。！？]+[.!?。！？]*")
_JA_CHARS = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff10-\uff19a-z0-9]+")

Aspect = tuple[str, str]
WORD_CACHE = 50_000  # words whose n-gram indexes are remembered (a few MB)


def features(norm: str, *, language: str, rating: int | None) -> list[str]:
    """The n-grams of a normalised text: words and word pairs, and 3–5 character n-grams
    inside each word with its edges marked (Japanese, written without spaces: 1–3 character
    n-grams of each run of letters); plus the rating. Training and inference share it."""
    out: list[str] = [] if rating is None else [f"r:{rating}"]
    if language == "ja":
        for run in _JA_CHARS.findall(norm):
            n = len(run)
            out += [run[i : i + 1] for i in range(n)]
            out += [run[i : i + 2] for i in range(n - 1)]
            out += [run[i : i + 3] for i in range(n - 2)]
        return out
    words = _WORD.findall(norm)
    out += words
    out += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for word in words:
        out += _char_grams(word)
    return out


def _char_grams(word: str) -> list[str]:
    padded = f"<{word}>"
    n = len(padded)
    return [padded[i : i + size] for size in (3, 4, 5) for i in range(n - size + 1)]


class ThemeModel:
    def __init__(self, path: Path = MODEL_PATH):
        data = np.load(path, allow_pickle=False)
        self.vocabulary = {term: i for i, term in enumerate(data["vocabulary"].tolist())}
        self.idf = data["idf"].astype(np.float32)
        self.coef = data["coef"].astype(np.float32)  # (terms, labels)
        self.intercept = data["intercept"].astype(np.float32)
        self.thresholds = data["thresholds"].astype(np.float32)
        self.labels: list[Aspect] = [tuple(label.split("/")) for label in data["labels"].tolist()]
        self.fingerprint = str(data["fingerprint"])
        self.uses_rating = bool(data["rating"])
        themes = [theme for theme, _ in self.labels]
        self._word_indexes: dict[str, list[int]] = {}
        self.other_theme = np.array([[other != theme for other in themes] for theme in themes])

    def threshold(self, theme: str, polarity: str) -> float:
        return float(self.thresholds[self.labels.index((theme, polarity))])

    def _terms(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Vocabulary indexes of ``terms`` and their tf-idf weights, L2-normalised."""
        counts: dict[int, int] = {}
        for index in map(self.vocabulary.get, terms):
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        index = np.fromiter(counts, dtype=np.intp, count=len(counts))
        if not counts:
            return index, np.zeros(0, dtype=np.float32)
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1.0 + np.log(tf)) * self.idf[index]
        return index, values / np.linalg.norm(values)

    def _indexes(self, sentence: str, language: str, rating: int | None) -> list[int]:
        """Vocabulary indexes of the features of ``sentence`` (repeated as often as they
        occur): ``features`` looked up, a word's own n-grams remembered per word."""
        vocabulary = self.vocabulary
        if language == "ja":
            return [
                i for i in map(vocabulary.get, features(sentence, language=language, rating=rating)) if i is not None
            ]
        out = [] if rating is None or (i := vocabulary.get(f"r:{rating}")) is None else [i]
        words = _WORD.findall(sentence)
        cache = self._word_indexes
        for word in words:
            found = cache.get(word)
            if found is None:
                if len(cache) >= WORD_CACHE:  # memory stays flat over a million reviews
                    cache.clear()
                found = cache[word] = [i for i in map(vocabulary.get, [word, *_char_grams(word)]) if i is not None]
            out += found
        for pair in map(" ".join, zip(words, words[1:], strict=False)):
            if (i := vocabulary.get(pair)) is not None:
                out.append(i)
        return out

    def probabilities(self, norm: str, *, language: str, rating: int | None) -> np.ndarray:
        """Per label, the probability for ``norm`` read as one piece."""
        index, values = self._terms(features(norm, language=language, rating=rating))
        scores = values @ self.coef[index] + self.intercept
        return 1.0 / (1.0 + np.exp(-scores))

    def predict(
        self, norm: str, *, language: str, rating: int | None, floor: float | None = None
    ) -> dict[Aspect, tuple[float, Span, bool]]:
        """(theme, polarity) → (probability, the sentence that says it, whether that sentence
        says another theme more surely), for those at or
        above their threshold (or ``floor``). A review is read sentence by sentence (the
        title is one), as the model was trained: "arrived fast" and "the lid was dented"
        are two findings. One matrix product for all the sentences."""
        rating = rating if self.uses_rating else None
        spans, indexes, owners = [], [], []
        for match in _SENTENCE.finditer(norm):
            found = self._indexes(match.group(0), language, rating)
            if found:
                owners += [len(spans)] * len(found)
                indexes += found
                spans.append(match.span())
        if not spans:
            return {}
        # tf-idf of every sentence at once: count each (sentence, term) pair.
        size = len(self.idf)
        keys, counts = np.unique(np.array(owners, dtype=np.int64) * size + indexes, return_counts=True)
        index = keys % size
        values = (1.0 + np.log(counts.astype(np.float32))) * self.idf[index]
        starts = np.searchsorted(keys // size, np.arange(len(spans)))
        norms = np.sqrt(np.add.reduceat(values * values, starts))
        values /= np.repeat(norms, np.diff(np.append(starts, len(keys))))
        weighted = self.coef[index] * values[:, None]
        scores = np.add.reduceat(weighted, starts, axis=0) + self.intercept
        probs = 1.0 / (1.0 + np.exp(-scores))  # (sentences, labels)
        best = probs.argmax(axis=0)
        top = probs[best, np.arange(len(self.labels))]
        hits = np.nonzero(top >= (self.thresholds if floor is None else floor))[0]
        # Per label, whether its sentence says another theme more surely (above that
        # label's threshold): "the pump gave up after a month" is durability, not quality.
        above = np.where(probs >= self.thresholds, probs, 0.0)
        outranked = ((above[best] * self.other_theme).max(axis=1) > top).tolist()
        trimmed = [_trimmed(norm, *span) for span in spans]
        top_list, best_list = top.tolist(), best.tolist()
        return {self.labels[j]: (top_list[j], trimmed[best_list[j]], outranked[j]) for j in hits.tolist()}


def _trimmed(norm: str, start: int, end: int) -> Span:
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    return start, end


@cache
def shipped_model() -> ThemeModel | None:
    """The model in the repository, or None when it is missing (the cues alone then run)."""
    return ThemeModel() if MODEL_PATH.exists() else None
