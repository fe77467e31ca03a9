"""Build ``reviews/data/theme_model.npz``, the learned layer of review themes.

    .venv/bin/python -m reviews.data.train [--labels corrections.jsonl]…

Trains one logistic regression per (theme, polarity) (scikit-learn, liblinear: deterministic)
on the synthetic corpus's train split (``reviews/data/synth.py``), the tuning corpus and the
scored held-out rounds in ``bench/`` and any labelled JSONL given (``manage.py
review_themes_export`` of the managers' corrections). The synthetic check split is never
trained on. scikit-learn is needed here only; the desk reads the file with numpy.
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reviews.aspects import NOT_THEMES, detect_language  # noqa: E402
from reviews.data import synth  # noqa: E402
from reviews.learned import MODEL_PATH, features  # noqa: E402
from reviews.themes import normalize  # noqa: E402

THEMES = (
    "shipping", "arrived_damaged", "missing_parts", "not_as_described", "durability", "ease_of_use", "value", "quality",
)  # fmt: skip
# Intact, complete, as described: no theme (reviews.aspects.NOT_THEMES); the tuning corpus's
# labels of them are ignored, so such sentences teach the model what is not a finding.
LABELS = [
    f"{theme}/{polarity}"
    for theme in THEMES
    for polarity in ("complaint", "praise")
    if (theme, polarity) not in NOT_THEMES
]
HUMAN = [
    "bench/review_themes_tuning.jsonl",
    "bench/review_themes_heldout_r1.jsonl",
    "bench/review_themes_heldout_r2.jsonl",
    "bench/review_themes_heldout_r3.jsonl",
]
PER_LANGUAGE = 2500
# Human-written reviews count more than the composed ones: they carry the wording the
# composition cannot invent.
HUMAN_WEIGHT = 5.0
# Chosen on r1 unseen (trained without it, round 3): 0.6 for every label gave precision 0.85 /
# recall 0.86, 0.7 0.88 / 0.83; quality alone at 0.7 0.87 / 0.85 (quality is what buyers say
# of everything, so its bar is higher). A listing mismatch, the least precise cell there
# (0.74), at 0.65: r1 unchanged, the legacy English corpus back at 0.90 precision (its test).
# Human weight 3 → 5: +0.01 precision; 8 no better.
THRESHOLD = 0.6
THRESHOLDS = {"quality": 0.7, "not_as_described": 0.65}
C = 4.0
RATING = True  # the star rating is a feature: it tips the polarity
PRUNE = 1e-3  # terms whose every coefficient is smaller are dropped from the shipped file


def _text(item: dict) -> str:
    body = item.get("text", item.get("body", ""))
    return f"{item['title']}\n{body}" if item.get("title") else body


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _labels(item: dict) -> set[str]:
    return {f"{t['theme']}/{t['polarity']}" for t in item["themes"]}


def training_set(extra: list[Path], *, without: tuple[str, ...] = ()) -> tuple[list[dict], list[float]]:
    """Examples of ``{"text", "language", "rating", "labels"}``: the composed reviews
    sentence by sentence (the desk reads a review the same way), the human-written ones whole."""
    items, weights = [], []
    for review in synth.reviews(split="train", per_language=PER_LANGUAGE):
        units = review["units"] + ([(review["title"], [])] if review["title"] else [])
        for sentence, labels in units:
            items.append(
                {"text": sentence, "language": review["language"], "rating": review["rating"], "labels": set(labels)}
            )
            weights.append(1.0)
    for path in [ROOT / p for p in HUMAN if p not in without] + extra:
        for item in _load(path):
            if all(isinstance(t, dict) for t in item["themes"]):
                items.append({**item, "text": _text(item), "labels": _labels(item)})
                weights.append(HUMAN_WEIGHT)
    return items, weights


def fingerprint(items: list[dict]) -> str:
    """What the model was trained on, in 16 hex digits: a test compares the shipped file's
    with the repository's training data, so a changed corpus without a rebuilt model fails."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(
            json.dumps({**item, "labels": sorted(item["labels"])}, sort_keys=True, ensure_ascii=False).encode()
        )
    return digest.hexdigest()[:16]


def analyse(item: dict) -> list[str]:
    norm = normalize(item["text"])
    language = item.get("language") or detect_language(norm)
    return features(norm, language=language, rating=item.get("rating") if RATING else None)


def train(extra: list[Path], *, without: tuple[str, ...] = ()) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    items, weights = training_set(extra, without=without)
    vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=2, dtype=np.float32)
    x = vectorizer.fit_transform(items)
    y = np.array([[label in item["labels"] for label in LABELS] for item in items])
    coef = np.zeros((x.shape[1], len(LABELS)), dtype=np.float32)
    intercept = np.zeros(len(LABELS), dtype=np.float32)
    for j in range(len(LABELS)):
        model = LogisticRegression(solver="liblinear", C=C, random_state=0, class_weight="balanced", max_iter=200)
        model.fit(x, y[:, j], sample_weight=np.array(weights))
        coef[:, j] = model.coef_[0]
        intercept[j] = model.intercept_[0]
    keep = np.nonzero(np.abs(coef).max(axis=1) >= PRUNE)[0]
    vocabulary = vectorizer.get_feature_names_out()[keep]
    return {
        "vocabulary": np.array(vocabulary, dtype=str),
        "idf": vectorizer.idf_[keep].astype(np.float32),
        "coef": coef[keep].astype(np.float16),
        "intercept": intercept,
        "thresholds": np.array([THRESHOLDS.get(label.split("/")[0], THRESHOLD) for label in LABELS], dtype=np.float32),
        "labels": np.array(LABELS, dtype=str),
        "fingerprint": np.array(fingerprint(items)),
        "examples": np.array(len(items)),
        "rating": np.array(RATING),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", action="append", default=[], type=Path, help="labelled JSONL to add (repeatable)")
    parser.add_argument("-o", "--output", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        help="leave out a human corpus (to score on it: how well it generalises)",
    )
    args = parser.parse_args()
    arrays = train(args.labels, without=tuple(args.without))
    np.savez_compressed(args.output, **arrays)
    print(f"{args.output}: {len(arrays['vocabulary']):,} terms, {int(arrays['examples']):,} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
