"""The classifier as a fresh database has it (lexicon + seed phrase rules) holds its micro
precision and recall over (theme, polarity) on the tuning corpus, in every language, and on
the legacy English complaint corpus (figures in bench/RESULTS.md)."""

import sys
from pathlib import Path

import pytest

from reviews.services import theme_classifier_load

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import review_themes_bench as bench  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tuning():
    return bench.load_corpus(bench.TUNING)


def test_the_tuning_corpus_has_80_reviews_per_language_with_both_polarities(tuning):
    for language in bench.LANGUAGES:
        items = [item for item in tuning if item["language"] == language]
        assert len(items) >= 80
        assert {polarity for item in items for _, polarity in item["labels"]} == {"complaint", "praise"}
        assert any(not item["labels"] for item in items)


@pytest.fixture
def scores(tuning):
    classifier, _ = theme_classifier_load()
    return bench.score(classifier, tuning)["cells"]


@pytest.mark.parametrize("language", bench.LANGUAGES)
def test_each_language_keeps_its_precision(scores, language):
    cell = scores[("language", language)]
    assert cell["precision"] >= bench.MIN_PRECISION, cell["fp_ids"]


@pytest.mark.parametrize("language", bench.LANGUAGES)
def test_each_language_keeps_its_recall(scores, language):
    cell = scores[("language", language)]
    assert cell["recall"] >= bench.MIN_RECALL, cell["fn_ids"]


def test_the_legacy_english_complaints_keep_their_precision_and_recall():
    classifier, _ = theme_classifier_load()
    cell = bench.score(classifier, bench.load_corpus(bench.LEGACY), complaints_only=True)["cells"][("all", "")]
    assert (cell["precision"], cell["recall"]) >= (0.90, 0.85), (cell["fp_ids"], cell["fn_ids"])


def test_the_database_rules_are_the_shipped_rules():
    classifier, _ = theme_classifier_load()
    assert {c.rule for c in classifier.compiled} == set(bench.seed_rules())
