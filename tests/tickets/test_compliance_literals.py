"""What a pattern cannot match without (``tickets/compliance/literals.py``): the marketing
rule skips a pattern whose required words are not in the message, so the derived
condition must never turn away a message the pattern matches."""

import json
import re
from pathlib import Path

from tickets.compliance import content, incentives
from tickets.compliance.literals import may_match, may_match_words, required, word_pieces
from tickets.compliance.normalize import Document

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "compliance_corpus.jsonl"


def test_a_pattern_requires_its_literal_words():
    assert required(re.compile(r"\bnew arrivals?\b")) == (frozenset({"new arrival"}),)


def test_alternatives_require_one_of_their_words():
    assert required(re.compile(r"\b(?:follow|tag) us\b")) == (frozenset({"follow us", "tag us"}),)


def test_a_pattern_of_character_classes_requires_nothing():
    assert required(re.compile(r"\w+\s\d")) == ()


def test_a_case_insensitive_pattern_requires_nothing():
    assert required(re.compile(r"coupon", re.IGNORECASE)) == ()
    assert required(re.compile(r"(?i:coupon) code")) == (frozenset({" code"}),)


def test_a_text_without_the_required_words_may_not_match():
    needs = required(re.compile(r"\bbuy (?:one|1) get\b"))
    assert not may_match(needs, "buy two get one")
    assert may_match(needs, "buy one get one")


def test_a_required_phrase_is_looked_up_word_by_word_among_distinct_words():
    pieces = word_pieces(required(re.compile(r"\bcheck out our products\b")))
    assert may_match_words(pieces, "check\nout\nour\nproducts")
    assert not may_match_words(pieces, "check\nout\nyour")


def test_every_marketing_match_in_the_corpus_passes_its_pattern_condition():
    texts = [json.loads(line)["text"] for line in CORPUS.read_text().splitlines() if line.strip()]
    matched = 0
    for text in texts:
        doc = Document(text)
        for pattern, pieces in content._MARKETING_WORDS_NEEDS:
            if pattern.search(doc.joined):
                matched += 1
                assert may_match_words(pieces, doc.vocabulary), (pattern.pattern, text)
    assert matched > 20


def test_every_link_contact_and_html_match_in_the_corpus_passes_its_pattern_condition():
    patterns = [
        content._SCHEME_URL,
        content._WWW,
        content._BARE,
        content._SPELT_DOMAIN,
        content._EMAIL,
        content._SPELT_EMAIL,
        content._ORDER_ID,
        content._PHONE_INTL,
        content._PHONE_CUE,
        content._HTML,
    ]
    texts = [json.loads(line)["text"] for line in CORPUS.read_text().splitlines() if line.strip()]
    matched = 0
    for text in texts:
        flat = Document(text).flat
        for pattern in patterns:
            if pattern.search(flat):
                matched += 1
                assert may_match(required(pattern), flat), (pattern.pattern, text)
    assert matched > 20


def test_every_incentive_phrase_match_in_the_corpus_passes_its_pattern_condition():
    texts = [json.loads(line)["text"] for line in CORPUS.read_text().splitlines() if line.strip()]
    matched = 0
    for text in texts:
        doc = Document(text)
        for pattern, pieces in (
            (incentives._INCENTIVE_PHRASES, incentives._INCENTIVE_PHRASES_NEEDS),
            (incentives._EXCHANGE, incentives._EXCHANGE_NEEDS),
        ):
            if pattern.search(doc.joined):
                matched += 1
                assert may_match_words(pieces, doc.vocabulary), (pattern.pattern, text)
    assert matched > 5
