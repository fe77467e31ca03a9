"""The compliance guard's worst case: how long one check takes on pathological text.

    .venv/bin/python bench/compliance_worst_case.py                  # every shape, 20,000 characters
    .venv/bin/python bench/compliance_worst_case.py --size 40000     # beyond the reply limit
    .venv/bin/python bench/compliance_worst_case.py --only url --runs 9

The live check runs the guard while an agent types, so one slow check holds a web worker
(issue #14: 20,000 characters of "1 " took 39 s). For each shape, the text is the shape's
unit repeated to ``--size`` characters and checked for every purpose; the table gives the
median of ``--runs`` checks for the slowest purpose. Target: every shape ≤ 50 ms at 20,000
characters. ``--no-limit`` checks the whole text even past a purpose's length limit (the
rules themselves must stay linear; the limit is not the only protection).

The guard is pure Python, so no Django setup is needed. Figures go into bench/RESULTS.md by
hand (section "Compliance guard: worst case").
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tickets.compliance import ComplianceContext, Purpose, compliance_check, guard, lexicon, normalize  # noqa: E402

SIZE = 20_000
TARGET_MS = 50.0

# Each shape is a unit repeated to the size: the inputs that make a regular expression
# backtrack or a word rule look back and forth. The regression test
# (tests/tickets/test_compliance_worst_case.py) runs the same list.
SHAPES: dict[str, str] = {
    "digits and spaces": "1 ",
    "digits": "1",
    "one letter": "a",
    "letters and spaces": "a ",
    "giant word": "abcdefghijklmnopqrstuvwxyz",
    "review words": "review ",
    "review no spaces": "review",
    "full stops": ". ",
    "dots": ".",
    "spaces": " ",
    "newlines": "\n",
    "tabs": "\t",
    "mixed whitespace": " \n\t\r ",
    "hyphens": "-",
    "spaced hyphens": " - ",
    "underscores": "_",
    "pipes": "|",
    "commas": ", ",
    "url schemes": "http://",
    "https url path": "https://a.b/",
    "dotted letters": "a.b",
    "www": "www.",
    "letter dots": "a.",
    "domain labels": "a-",
    "spelt domain": "a dot ",
    "at signs": "@",
    "letter at": "a@",
    "email parts": "a.b@c",
    "spelt email": "a at b ",
    "bracket at": "a [at] b ",
    "phone dashes": "1-2-3-",
    "phone intl": "+1 (",
    "phone long digits": "+" + "1" * 30 + " ",
    "phone digit runs": "+" + "1" * 10 + " " + "1" * 20 + "x ",
    "phone parens": "(123) ",
    "phone dots": "1.2.",
    "phone cue": "call 1 ",
    "money": "$1 ",
    "percent": "10% ",
    "percent off": "1 % off ",
    "save": "save ",
    "html tag opens": "<a",
    "html tag spaces": "<a ",
    "html entities": "&a",
    "html numeric": "&#1",
    "emoji": "\U0001f600",
    "emoji skin tones": "\U0001f44d\U0001f3fd",
    "emoji zwj": "\U0001f468\u200d",
    "stars drawn": "\u2b50",
    "combining marks": "e\u0301\u0302\u0303",
    "zero width": "r\u200b",
    "homoglyphs": "r\u0435vi\u0435w ",
    "leetspeak": "r3v13w ",
    "leet glue": "a@b$c!",
    "spelt apart": "r e v i e w ",
    "spelt with dots": "r.e.v.i.e.w.",
    "split words": "re-view ",
    "misspelt": "reveiw ",
    "mixed scripts": "a\u0430\u03b1\u4e2d\u0639",
    "cjk": "\u4e2d\u6587",
    "forbidden phrase": "Please update your review. ",
    "forbidden no stops": "please update your review ",
    "incentive": "leave a 5-star review and get a $10 gift card ",
    "offer words": "off ",
    "next order": "next order ",
    "marketing": "check out our other products ",
    "for every": "for every ",
    "if you": "if you are happy ",
    "you": "you ",
    "stars": "5 stars ",
    "take down": "take ",
    "code": "promo code ",
    "order id": "114-3941689-8772232 ",
    "order ids and phones": "114-3941689-8772232 555-123-4567 ",
    "links and domains": "http://a a.com ",
    "domains": "a.com ",
    "auxiliaries": "have ",
    "numbered stars": "5 star ",
    "money for reviews": "$1 for a review ",
    "reflecting reviews": "review reflects ",
    "happy customers": "happy customers leave a review ",
}
# Purpose-independent context with every input a rule reads, including manager phrases.
CONTEXT = ComplianceContext(
    amazon_order_id="114-3941689-8772232",
    days_since_delivery=2,
    allowed_link_domains=frozenset({"guides.brewline.example"}),
    extra_forbidden_phrases=("lifetime guarantee", "money back", "best on amazon", "a a a", "1 1", "$$"),
    contact_reason="customer_support",
)


def shape_text(unit: str, size: int = SIZE) -> str:
    """``unit`` repeated to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def _cold() -> None:
    """Empty the guard's caches (word lookups, folded characters): an attacker sends words
    the process has not seen, so every run starts cold."""
    for module in (lexicon, normalize):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def time_check(text: str, purpose: Purpose, *, runs: int, clock=time.perf_counter) -> float:
    """Median seconds of one ``compliance_check`` over ``runs`` runs, each with cold caches."""
    samples = []
    for _ in range(runs):
        _cold()
        started = clock()
        compliance_check(text=text, purpose=purpose, context=CONTEXT)
        samples.append(clock() - started)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=SIZE, help="characters per text (default %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="checks per shape and purpose (median)")
    parser.add_argument("--only", default="", help="shapes whose name contains this text")
    parser.add_argument("--no-limit", action="store_true", help="check texts past a purpose's length limit")
    # On a machine shared with other work, wall time measures the neighbours too.
    parser.add_argument("--cpu", action="store_true", help="time in this process's CPU time, not wall time")
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu else time.perf_counter
    if args.no_limit:
        guard.MAX_LENGTH = dict.fromkeys(guard.MAX_LENGTH, sys.maxsize)
    shapes = {name: unit for name, unit in SHAPES.items() if args.only in name}
    timed = "CPU time" if args.cpu else "wall time"
    print(f"{len(shapes)} shapes × {len(Purpose)} purposes, {args.size:,} characters, median of {args.runs}, {timed}")
    print("| shape | unit | slowest purpose | median ms |")
    print("|---|---|---|---|")
    worst = 0.0
    for name, unit in shapes.items():
        text = shape_text(unit, args.size)
        timings = {purpose: time_check(text, purpose, runs=args.runs, clock=clock) for purpose in Purpose}
        purpose = max(timings, key=timings.get)
        ms = timings[purpose] * 1000
        worst = max(worst, ms)
        flag = "" if ms <= TARGET_MS else " ✗"
        shown = repr(unit).replace("|", "\\|")  # a Markdown table cell
        print(f"| {name} | `{shown}` | {purpose.value} | {ms:.1f}{flag} |", flush=True)
    print(f"slowest: {worst:.1f} ms (target ≤ {TARGET_MS:.0f} ms)")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
