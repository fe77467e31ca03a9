"""The guard's learned second opinion: a logistic regression over character and word
n-grams of the whole message, trained on the labelled corpora (``bench/compliance_*.jsonl``,
the managers' decisions on held messages) by ``python -m tickets.compliance.data.train`` and
shipped in the repository (``tickets/compliance/data/guard_model.zip``).

It never refuses and never allows: when no rule objects to a message and the model is
confident it breaks one anyway (probability at or above the shipped threshold, calibrated by
cross-validation so that about 3 % of allowed messages reach it), the message is *held* for a
manager (doubt ``learned_doubt``). It carries across phrasings and languages the rules have
no words for, and its mistakes cost a manager's click, not a sent violation.

Inference is plain Python (scikit-learn and numpy are needed to train, not to check, so the
guard loads fast): the n-grams are looked up in the model's vocabulary, weighted like
``TfidfVectorizer(sublinear_tf=True)`` (1 + log tf, times idf, L2-normalised) and multiplied
by the coefficients. The file is a zip of the vocabulary (one term a line), the idf and the
coefficients (float32) and the intercept, threshold and fingerprint (JSON). Deterministic;
loaded once per process, on the first message no rule objects to.
"""

import json
import re
import zipfile
from array import array
from collections import Counter
from functools import cache
from math import exp, log, sqrt
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "guard_model.zip"
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s+")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
_SENTENCE = re.compile(r"[^.!?\n。！？]+[.!?。！？]*")


def features(flat: str, *, purpose: str) -> list[str]:
    """The n-grams of a normalised text (``Document.flat``): the purpose, words and word
    pairs, and character 3–5-grams across the text (Japanese has no spaces; a phrase split
    over two words still shares its n-grams). Digits are all one digit, so a phone number or
    an order id is a shape, not a value, and a link is only "a link" (the link rules judge
    links). Training and inference share it."""
    text = _SPACE.sub(" ", _DIGIT.sub("0", _URL.sub(" url ", flat))).strip()
    words = _WORD.findall(text)
    out = [f"p:{purpose}", *words]
    out += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    padded = f" {text} "
    for size in (3, 4, 5):
        out += [padded[i : i + size] for i in range(len(padded) - size + 1)]
    return out


def write_model(path: Path, *, vocabulary: list[str], idf, coef, intercept: float, threshold: float, **meta) -> None:
    """The shipped file (``data/train.py`` calls it): deflated, deterministic (fixed dates)."""
    parts = {
        "vocabulary.txt": "\n".join(vocabulary).encode(),
        "idf.f32": array("f", idf).tobytes(),
        "coef.f32": array("f", coef).tobytes(),
        "meta.json": json.dumps({"intercept": intercept, "threshold": threshold, **meta}, sort_keys=True).encode(),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)


class GuardModel:
    def __init__(self, path: Path = MODEL_PATH):
        with zipfile.ZipFile(path) as archive:
            terms = archive.read("vocabulary.txt").decode().split("\n")
            self.idf = array("f", archive.read("idf.f32"))
            self.coef = array("f", archive.read("coef.f32"))
            meta = json.loads(archive.read("meta.json"))
        self.vocabulary = dict(zip(terms, range(len(terms)), strict=True))
        self.intercept = float(meta["intercept"])
        self.threshold = float(meta["threshold"])
        self.fingerprint = str(meta["fingerprint"])

    def probability(self, flat: str, *, purpose: str) -> float:
        """How likely ``flat`` breaks one of Amazon's messaging rules, read as one piece."""
        get, idf, coef = self.vocabulary.get, self.idf, self.coef
        dot = norm = 0.0
        for term, count in Counter(features(flat, purpose=purpose)).items():
            i = get(term)
            if i is not None:
                value = (1.0 + log(count)) * idf[i]
                dot += value * coef[i]
                norm += value * value
        score = (dot / sqrt(norm) if norm else 0.0) + self.intercept
        return 1.0 / (1.0 + exp(-score))

    def doubted(self, flat: str, *, purpose: str) -> bool:
        return self.probability(flat, purpose=purpose) >= self.threshold

    def likeliest_sentence(self, flat: str, *, purpose: str) -> tuple[int, int]:
        """Where in ``flat`` the model reads the violation: the sentence it scores highest
        (only asked once a message is held, to show the manager where to look)."""
        spans = [m.span() for m in _SENTENCE.finditer(flat) if m.group().strip()]
        if not spans:
            return 0, len(flat)
        return max(spans, key=lambda span: self.probability(flat[span[0] : span[1]], purpose=purpose))


@cache
def shipped_model() -> GuardModel | None:
    """The model in the repository, or None when it is missing (the rules alone then run)."""
    return GuardModel() if MODEL_PATH.exists() else None
