"""The learned layer of review themes (reviews/learned.py): what it adds to the cues, how
it defers to them and to the managers' phrases, and that the shipped model is current."""

import pytest

from reviews.aspects import ReviewClassifier
from reviews.data import train
from reviews.learned import shipped_model
from reviews.themes import PhraseRule

pytestmark = pytest.mark.skipif(shipped_model() is None, reason="reviews/data/theme_model.npz is missing")


class _Unsure:
    """A model that finds every theme most unlikely."""

    def predict(self, norm, *, language, rating, floor=None):
        return {}

    def threshold(self, theme, polarity):
        return 0.6


def _with_model(rules=()):
    return ReviewClassifier(list(rules))


def _without_model(rules=()):
    return ReviewClassifier(list(rules), model=None)


def test_the_shipped_model_was_built_from_the_training_data_in_the_repository():
    items, _weights = train.training_set([])
    assert shipped_model().fingerprint == train.fingerprint(items)


@pytest.mark.parametrize(
    ("text", "language", "rating", "aspect"),
    [
        (
            "Pieces rattling around the box, something had come apart in shipping.",
            "en",
            1,
            ("arrived_damaged", "complaint"),
        ),
        ("The menu is a maze.", "en", 2, ("ease_of_use", "complaint")),
        ("Il coperchio si apre a fatica.", "it", 2, ("ease_of_use", "complaint")),
        ("充電が持たなくなりました。", "ja", 1, ("durability", "complaint")),
    ],
)
def test_it_finds_a_theme_no_cue_names(text, language, rating, aspect):
    assert aspect not in _without_model().classify(text, language=language, rating=rating)
    assert aspect in _with_model().classify(text, language=language, rating=rating)


def test_its_finding_highlights_the_sentence_that_says_it():
    text = "Bought it for my kitchen. The menu is a maze."
    spans = _with_model().classify(text, language="en", rating=2)[("ease_of_use", "complaint")]
    assert [text[s:e] for s, e in spans] == ["The menu is a maze."]


def test_a_theme_the_cues_read_keeps_the_cues_polarity_and_words():
    text = "Not worth the money."
    assert _with_model().classify(text, language="en", rating=1) == _without_model().classify(
        text, language="en", rating=1
    )


def test_a_cue_the_model_finds_most_unlikely_is_dropped():
    classifier = ReviewClassifier([], model=_Unsure())
    assert classifier.classify("Not worth the money.", language="en", rating=1) == {}


def test_a_managers_phrase_is_never_dropped_by_the_model():
    rule = PhraseRule(theme="value", pattern="zebra stripes", polarity="complaint")
    classifier = ReviewClassifier([rule], model=_Unsure())
    assert ("value", "complaint") in classifier.classify("The zebra stripes again.", language="en", rating=2)


def test_an_inactive_theme_is_never_added():
    classifier = ReviewClassifier([], themes={"shipping"})
    assert classifier.classify("The menu is a maze.", language="en", rating=2) == {}
