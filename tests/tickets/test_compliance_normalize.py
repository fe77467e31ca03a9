"""The words the guard's rules read (``tickets/compliance/normalize.py``): kept column by
column, with each reading's positions, so that a rule visits only the words it can match."""

from tickets.compliance.normalize import Document


def test_a_misspelt_lexicon_word_reads_as_its_form_with_its_lemma():
    doc = Document("Please reveiw the ratings")
    assert (doc.texts, doc.lemmas) == (["please", "review", "the", "ratings"], [None, "review", None, "rating"])


def test_a_word_keeps_the_offsets_of_what_was_typed():
    doc = Document("Your r e v i e w, and ⭐⭐")
    assert [doc.text[start:end] for start, end in zip(doc.starts, doc.ends, strict=True)] == [
        "Your",
        "r e v i e w",
        "and",
        "⭐",
        "⭐",
    ]


def test_positions_are_the_words_of_those_readings_in_order():
    doc = Document("A review, two reviews. Thanks for the review!")
    assert doc.positions({"review", "reviews"}) == [1, 3, 7]


def test_the_word_before_stops_at_a_sentence_and_the_word_after_at_a_clause():
    doc = Document("Thanks. Your review, please")
    assert doc.before_in_sentence == [None, None, "your", "review"]
    assert doc.after_in_clause == [None, "review", None, None]
