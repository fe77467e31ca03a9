"""The guard's learned second opinion (tickets/compliance/learned.py): it only turns a
message no rule objects to into a held one, never a refused one into anything else; and
the shipped model is the one built from the corpora in the repository."""

import pytest

from tickets.compliance import Purpose, Verdict, compliance_check, guard
from tickets.compliance.data import train
from tickets.compliance.learned import GuardModel, shipped_model


class _ReadsWord(GuardModel):
    """A model sure of a violation wherever ``word`` stands, and of nothing else."""

    def __init__(self, word: str):
        self.word = word
        self.threshold = 0.5

    def probability(self, flat: str, *, purpose: str) -> float:
        return 0.9 if self.word in flat else 0.1


@pytest.fixture
def model_doubting(monkeypatch):
    def use(word: str) -> None:
        monkeypatch.setattr(guard, "shipped_model", lambda: _ReadsWord(word))

    return use


def test_a_message_no_rule_refuses_is_held_when_the_model_reads_a_violation(model_doubting):
    model_doubting("sunflower")
    text = "Your parcel left today. The sunflower lamp will follow next week."
    result = compliance_check(text=text, purpose=Purpose.REPLY)
    assert result.verdict is Verdict.HELD
    assert [(d.rule, text[d.start : d.end]) for d in result.doubts] == [
        ("learned_doubt", " The sunflower lamp will follow next week.")
    ]


def test_a_refused_message_stays_refused_whatever_the_model_reads(model_doubting):
    model_doubting("sunflower")
    result = compliance_check(text="<b>The sunflower lamp</b> ships today.", purpose=Purpose.REPLY)
    assert (result.verdict, result.doubts) == (Verdict.REFUSED, ())


def test_a_message_the_model_does_not_doubt_is_allowed(model_doubting):
    model_doubting("sunflower")
    result = compliance_check(text="Your parcel left today and arrives on Friday.", purpose=Purpose.REPLY)
    assert result.verdict is Verdict.ALLOWED


def test_an_internal_note_is_never_read_by_the_model(model_doubting):
    model_doubting("sunflower")
    result = compliance_check(text="Buyer loves the sunflower lamp.", purpose=Purpose.NOTE)
    assert result.verdict is Verdict.ALLOWED


def test_without_a_model_file_the_rules_decide_alone(monkeypatch):
    monkeypatch.setattr(guard, "shipped_model", lambda: None)
    result = compliance_check(text="Your parcel left today.", purpose=Purpose.REPLY)
    assert result.verdict is Verdict.ALLOWED


def test_the_shipped_model_was_built_from_the_corpora_in_the_repository():
    assert shipped_model().fingerprint == train.fingerprint(train.training_set([]))


def test_the_shipped_model_lets_an_ordinary_tracking_reply_through():
    text = "Thanks for your patience. The replacement left our warehouse today and should arrive on Thursday."
    assert compliance_check(text=text, purpose=Purpose.REPLY).verdict is Verdict.ALLOWED


def test_a_managers_rejection_of_a_learned_doubt_is_learned_from(tmp_path):
    labels = tmp_path / "held.jsonl"
    labels.write_text(
        '{"id": "held-1", "purpose": "reply", "text": "Tell the world, then the gift follows.", '
        '"allowed": false, "rule": "learned_doubt", "batch": "held-2026-12"}\n'
    )
    learned = [item for item in train.training_set([labels]) if item["group"].startswith("held.jsonl")]
    assert [(item["text"], item["violating"]) for item in learned] == [("Tell the world, then the gift follows.", True)]
