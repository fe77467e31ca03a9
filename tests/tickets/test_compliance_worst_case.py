"""The compliance guard on hostile text: every shape that used to make it quadratic (issue
#14: 20,000 characters of "1 " took 39 s and held a web worker) gets a verdict quickly,
and a text longer than its purpose allows is refused, not checked to the end.

The ceiling here only catches a quadratic regression; the target (≤ 50 ms) is measured
by bench/compliance_worst_case.py, with the figures in bench/RESULTS.md."""

import time

import pytest

from bench.compliance_worst_case import CONTEXT, SHAPES, shape_text
from tickets.compliance import ComplianceContext, Purpose, compliance_check
from tickets.compliance.guard import MAX_LENGTH

# Generous, and in CPU seconds of this process (not wall time, which other processes on a
# busy CI machine stretch): a check takes milliseconds; the quadratic guard took 39 s at
# this size (6 s at 8,000 characters).
CEILING_SECONDS = 4.0
SIZE = 20_000


@pytest.mark.parametrize("purpose", list(Purpose))
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_pathological_message_gets_a_verdict_in_linear_time(shape, purpose):
    text = shape_text(SHAPES[shape], SIZE)
    started = time.process_time()
    result = compliance_check(text=text, purpose=purpose, context=CONTEXT)
    elapsed = time.process_time() - started
    assert elapsed < CEILING_SECONDS, f"{shape!r} as {purpose}: {elapsed:.2f} s"
    assert isinstance(result.allowed, bool)


@pytest.mark.parametrize("purpose", [p for p in Purpose if p is not Purpose.NOTE])
def test_a_text_far_beyond_the_limit_is_refused_quickly(purpose):
    text = shape_text("1 ", 500_000)
    started = time.process_time()
    result = compliance_check(text=text, purpose=purpose, context=CONTEXT)
    assert time.process_time() - started < CEILING_SECONDS
    assert "too_long" in {v.rule for v in result.violations}


def test_a_reply_longer_than_the_limit_is_refused_with_the_excess_marked():
    text = "Your replacement ships today. " + "x" * MAX_LENGTH[Purpose.REPLY]
    result = compliance_check(text=text, purpose="reply")
    [too_long] = [v for v in result.violations if v.rule == "too_long"]
    assert not result.allowed
    assert (too_long.start, too_long.end) == (MAX_LENGTH[Purpose.REPLY], len(text))
    assert f"{len(text):,} characters; at most 20,000 for a reply" in too_long.message


def test_a_reply_at_the_limit_is_allowed():
    text = ("Your replacement ships today. " * 1000)[: MAX_LENGTH[Purpose.REPLY]]
    assert compliance_check(text=text, purpose="reply").allowed


def test_a_proactive_guide_may_have_two_thousand_characters_as_amazon_allows():
    order_id = "114-3941689-8772232"
    context = ComplianceContext(amazon_order_id=order_id, days_since_delivery=2)
    fits = (f"Your order {order_id} has arrived. " + "Descale monthly. " * 200)[:2_000]
    assert compliance_check(text=fits, purpose="proactive_guide", context=context).allowed
    result = compliance_check(text=fits + "!", purpose="proactive_guide", context=context)
    assert [v.rule for v in result.violations] == ["too_long"]


def test_the_beginning_of_a_too_long_message_is_still_checked():
    text = "Could you update your review? " + "x" * MAX_LENGTH[Purpose.REPLY]
    rules = {v.rule for v in compliance_check(text=text, purpose="reply").violations}
    assert rules == {"review_change_request", "too_long"}


def test_an_internal_note_has_no_length_limit():
    assert compliance_check(text="x" * 100_000, purpose="note").allowed
