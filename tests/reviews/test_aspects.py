"""Aspects with polarity: the lexicon in six languages, negation, durations, fears, and the
managers' phrase rules on top."""

import sys
from pathlib import Path

import pytest

from reviews.aspects import LANGUAGES, ReviewClassifier, _language, detect_aspects, detect_language
from reviews.themes import PhraseRule, ThemeClassifier, normalize

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import review_themes_bench as bench  # noqa: E402


def aspects(text: str) -> set[tuple[str, str]]:
    return set(detect_aspects(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It took eleven days to arrive.", ("shipping", "complaint")),
        ("Arrived fast, nicely done.", ("shipping", "praise")),
        ("The kettle arrived dented.", ("arrived_damaged", "complaint")),
        ("No USB-C cable included.", ("missing_parts", "complaint")),
        ("I ordered grey and got the wrong colour.", ("not_as_described", "complaint")),
        ("For what I paid I expected more.", ("value", "complaint")),
        ("The pump gave up after four weeks.", ("durability", "complaint")),
        ("Die Lieferung dauerte elf Tage.", ("shipping", "complaint")),
        ("Le colis est arrivé cabossé.", ("arrived_damaged", "complaint")),
        ("Llegó en dos días.", ("shipping", "praise")),
        ("Dopo tre settimane ha smesso di funzionare.", ("durability", "complaint")),
        ("届くまで10日かかりました。", ("shipping", "complaint")),
        ("組み立ても簡単でした。", ("ease_of_use", "praise")),
    ],
)
def test_each_language_finds_the_theme_with_its_polarity(text, expected):
    assert expected in aspects(text)


def test_the_spans_are_the_words_that_justify_the_theme():
    text = "Great mixer. Took eleven days to arrive."
    [(start, end)] = detect_aspects(text)[("shipping", "complaint")]
    assert text[start:end] == "Took eleven days to arrive"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Not worth the money.", ("value", "complaint")),
        ("Nothing was missing.", ("missing_parts", "praise")),
        ("Die Anleitung ist nicht verständlich.", ("ease_of_use", "complaint")),
    ],
)
def test_a_negation_before_a_cue_flips_its_polarity(text, expected):
    assert aspects(text) == {expected}


def test_a_negation_ends_at_and():
    assert ("quality", "praise") in aspects("Non mancava nulla e la vernice è perfetta.")


@pytest.mark.parametrize(("text", "polarity"), [("Arrived in 2 days.", "praise"), ("Arrived in 9 days.", "complaint")])
def test_a_delivery_duration_decides_the_polarity(text, polarity):
    assert aspects(text) == {("shipping", polarity)}


def test_a_delivery_of_four_or_five_days_is_no_finding():
    assert aspects("It arrived in 4 days.") == set()


def test_an_aspect_word_takes_the_polarity_of_the_nearest_sentiment_word():
    assert aspects("The delivery was slow, the price fair.") == {("shipping", "complaint"), ("value", "praise")}


def test_an_aspect_word_alone_is_no_finding():
    assert aspects("The delivery was on Tuesday.") == set()


def test_a_fear_is_no_finding():
    assert ("quality", "complaint") not in aspects("I was worried it would be flimsy, but it is rock solid.")


def test_another_product_is_no_finding():
    assert ("durability", "complaint") not in aspects("My previous grinder died in a year; this one still works.")


def test_damage_on_arrival_is_not_also_wear():
    assert aspects("The leg was snapped in transit.") == {("arrived_damaged", "complaint")}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The lid is missing and the box was crushed.", "en"),
        ("Der Deckel fehlt und der Karton war zerdrückt.", "de"),
        ("Le couvercle manque et le carton était écrasé.", "fr"),
        ("Falta la tapa y la caja llegó aplastada.", "es"),
        ("Manca il coperchio e la scatola era schiacciata.", "it"),
        ("フタが入っていませんでした。", "ja"),
    ],
)
def test_the_language_is_guessed_from_the_text(text, language):
    assert detect_language(normalize(text)) == language


def test_a_managers_phrase_keeps_its_polarity():
    classifier = ReviewClassifier([PhraseRule("value", "steal of a deal", polarity="praise")])
    assert set(classifier.classify("A steal of a deal.")) == {("value", "praise")}


def test_a_managers_phrase_wins_over_the_lexicon_on_the_same_words():
    text = "The price is steep."
    assert set(detect_aspects(text)) == {("value", "complaint")}
    classifier = ReviewClassifier([PhraseRule("value", "steep", polarity="praise")])
    assert set(classifier.classify(text)) == {("value", "praise")}


def test_an_inactive_theme_is_never_found():
    classifier = ReviewClassifier([], themes={"value"})
    assert set(classifier.classify("Took eleven days to arrive and overpriced.")) == {("value", "complaint")}


def test_the_same_text_always_gives_the_same_result():
    text = "Lieferung schnell, aber nach drei Wochen kaputt. Preis-Leistung stimmt nicht."
    assert detect_aspects(text) == detect_aspects(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_bucketed_matching_finds_what_one_alternation_finds(language):
    lang = _language(language)
    reference = lang._compile(lang.alternatives)
    for item in bench.load_corpus(bench.TUNING):
        if item["language"] == language:
            norm = normalize(bench.review_text(item))
            expected = [(m.span(), m.lastgroup) for m in reference.finditer(norm) if m.end() > m.start()]
            assert [(m.span(), m.lastgroup) for m in lang.matches(norm)] == expected


def test_a_regex_rule_with_a_back_reference_keeps_working():
    rules = [
        PhraseRule("durability", r"\b(\w+) \1\b", is_regex=True),
        PhraseRule("durability", r"\bdied\b", is_regex=True),
    ]
    assert ThemeClassifier(rules).classify_polar("It died died.") == {("durability", "complaint"): [(3, 12)]}


def test_a_cue_in_an_open_question_is_no_finding():
    assert aspects("Worth the money?") == set()


def test_a_cue_in_a_question_answered_no_is_denied():
    assert aspects("Bargain? No. It broke in a week.") >= {("value", "complaint")}
