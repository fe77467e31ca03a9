"""The theme rules in the database (the seed migration) hold their per-theme precision and
recall on the labelled corpus (bench/review_themes_corpus.jsonl; figures in bench/RESULTS.md)."""

import sys
from pathlib import Path

import pytest

from reviews.services import theme_classifier_load

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import review_themes_bench as bench  # noqa: E402

pytestmark = pytest.mark.django_db

THEMES = list(bench.seed_names())


@pytest.fixture(scope="module")
def corpus():
    return bench.load_corpus()


def test_the_corpus_has_at_least_100_labelled_reviews_covering_every_theme(corpus):
    assert len(corpus) >= 100
    assert {t for item in corpus for t in item["themes"]} == set(THEMES)


@pytest.fixture
def scores(corpus):
    classifier, _ = theme_classifier_load()
    return bench.score(classifier, corpus, THEMES)


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_keeps_its_precision(scores, theme):
    assert scores[theme]["precision"] >= bench.MIN_PRECISION, scores[theme]["fp_ids"]


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_keeps_its_recall(scores, theme):
    assert scores[theme]["recall"] >= bench.MIN_RECALL, scores[theme]["fn_ids"]


def test_the_database_rules_are_the_shipped_rules():
    classifier, _ = theme_classifier_load()
    assert {c.rule for c in classifier.compiled} == set(bench.seed_rules())
