"""The theme classifier: phrase rules on normalised text, with cheap negation handling."""

import pytest

from reviews.themes import PhraseRule, RuleError, ThemeClassifier, compile_rule, normalize, snippet


def classify(text: str, *rules: PhraseRule) -> dict:
    return ThemeClassifier(list(rules)).classify(text)


def test_normalising_keeps_every_offset():
    text = "It’s İstanbul—ready"
    assert len(normalize(text)) == len(text)
    assert normalize(text).startswith("it's")


def test_a_phrase_matches_whole_words_in_any_case():
    rule = PhraseRule("durability", "stopped working")
    assert classify("It STOPPED working.", rule) == {"durability": [(3, 18)]}
    assert classify("It stopped workingman", rule) == {}


def test_a_phrase_matches_across_hyphens_and_line_breaks():
    assert classify("The set-up\nwas hard", PhraseRule("ease", "set up")) == {"ease": [(4, 10)]}


def test_a_star_accepts_any_ending():
    assert classify("Wrong parts sent", PhraseRule("missing", "wrong part*")) == {"missing": [(0, 11)]}


@pytest.mark.parametrize(
    "text",
    ["No missing parts at all.", "Nothing was missing.", "It never broke", "arrived without anything missing"],
)
def test_a_negation_just_before_cancels_the_match(text):
    rules = (PhraseRule("missing", "missing"), PhraseRule("durability", "broke"))
    assert classify(text, *rules) == {}


def test_a_negation_in_an_earlier_clause_does_not_cancel():
    assert classify("No scratches, but the lid was missing", PhraseRule("missing", "missing")) == {
        "missing": [(30, 37)]
    }


def test_a_rule_may_spell_its_own_negation():
    assert classify("It is not as described", PhraseRule("nad", "not as described", negatable=False)) == {
        "nad": [(6, 22)]
    }


def test_a_negator_inside_a_regex_match_cancels_it():
    rule = PhraseRule("damaged", r"\barrived\b[^.!?]{0,40}?\bbroken\b", is_regex=True)
    assert classify("It arrived quickly and nothing was broken", rule) == {}
    assert classify("It arrived with a broken lid", rule) == {"damaged": [(3, 24)]}


def test_overlapping_matches_of_one_theme_are_merged():
    rules = (PhraseRule("d", "arrived cracked"), PhraseRule("d", "cracked"))
    assert classify("arrived cracked", *rules) == {"d": [(0, 15)]}


@pytest.mark.parametrize("pattern", ["(unclosed", "*", ""])
def test_a_broken_rule_is_refused(pattern):
    with pytest.raises(RuleError):
        compile_rule(PhraseRule("x", pattern, is_regex=pattern == "(unclosed"))


def test_a_snippet_is_cut_around_the_first_match_with_rebased_spans():
    text = "word " * 60 + "the reservoir cracked here " + "tail " * 60
    start = text.index("cracked")
    cut, spans = snippet(text, [(start, start + 7)], width=60)
    assert cut.startswith("…") and cut.endswith("…")
    assert [cut[s:e] for s, e in spans] == ["cracked"]
