"""Precision and recall of the Amazon compliance guard on the labelled corpus.

    .venv/bin/python bench/compliance_bench.py            # prints, and updates bench/RESULTS.md
    .venv/bin/python bench/compliance_bench.py --no-write # prints only

The corpus (``bench/compliance_corpus.jsonl``) holds one message per line: ``purpose``,
``text``, optional ``context`` (fields of ``ComplianceContext``), the expected ``allowed``
and, for a violating message, the ``rule`` it must at least break. The positive class is
"violating". Exits 1 when recall < 0.98 or precision < 0.95.

The guard is pure Python, so no Django setup is needed.
"""

import argparse
import json
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tickets.compliance import ComplianceContext, ComplianceResult, compliance_check  # noqa: E402

CORPUS = ROOT / "bench" / "compliance_corpus.jsonl"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Compliance guard"
MIN_RECALL = 0.98
MIN_PRECISION = 0.95
# How the corpus was built, and what the guard scored on each batch of new messages before
# any rule was changed for them (the honest estimate; the totals above are after tuning).
HISTORY = """\
The corpus grew in batches (field `batch`). `seed` was written first and the rules were
developed against it. Each `fresh-*` batch was written afterwards and scored with the rules
frozen, before any fix; the fixes were general rules, never a special case for one line:

| batch | written as | violations caught (frozen) | compliant passed (frozen) |
|---|---|---|---|
| fresh-1 | varied short replies | 25/30 | 29/30 |
| fresh-2 | aimed at the weak spots found so far | 12/22 | 25/26 |
| fresh-3 | full messages, violation buried mid-text | 9/10 | 11/12 |

On messages it had not seen, the guard caught 83–90% of ordinary violations (fresh-1, fresh-3)
but only 55% of phrasings written to slip past it (fresh-2), and passed 92–97% of compliant
messages. The 100%-like totals above measure the corpus it was tuned on, not new text.
Known misses kept in the corpus: an upsell without marketing words ("The G2 is now available").
"""


def load_corpus(path: Path = CORPUS) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            item = json.loads(line)
            item.setdefault("id", f"line-{number}")
            items.append(item)
    return items


def context_for(item: dict) -> ComplianceContext:
    raw = dict(item.get("context") or {})
    if "allowed_link_domains" in raw:
        raw["allowed_link_domains"] = frozenset(raw["allowed_link_domains"])
    if "extra_forbidden_phrases" in raw:
        raw["extra_forbidden_phrases"] = tuple(raw["extra_forbidden_phrases"])
    return ComplianceContext(**raw)


def check(item: dict) -> ComplianceResult:
    return compliance_check(text=item["text"], purpose=item["purpose"], context=context_for(item))


@dataclass
class Report:
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0
    rule_hits: int = 0
    misclassified: list[tuple[dict, ComplianceResult]] = field(default_factory=list)
    wrong_rule: list[tuple[dict, ComplianceResult]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def violating(self) -> int:
        return self.tp + self.fn

    @property
    def compliant(self) -> int:
        return self.tn + self.fp

    @property
    def rule_accuracy(self) -> float:
        return self.rule_hits / self.tp if self.tp else 1.0

    @property
    def passed(self) -> bool:
        return self.recall >= MIN_RECALL and self.precision >= MIN_PRECISION


def evaluate(items: list[dict]) -> Report:
    report = Report()
    for item in items:
        result = check(item)
        expected_violation = not item["allowed"]
        flagged = not result.allowed
        if expected_violation and flagged:
            report.tp += 1
            if item.get("rule") in {v.rule for v in result.violations}:
                report.rule_hits += 1
            else:
                report.wrong_rule.append((item, result))
        elif expected_violation:
            report.fn += 1
            report.misclassified.append((item, result))
        elif flagged:
            report.fp += 1
            report.misclassified.append((item, result))
        else:
            report.tn += 1
    return report


def throughput(items: list[dict], *, rounds: int = 3, seconds: float = 0.5) -> float:
    """Messages per second over the corpus: the best of ``rounds`` runs of at least
    ``seconds`` each (the best run is the one least disturbed by other processes)."""
    prepared = [(item["text"], item["purpose"], context_for(item)) for item in items]
    best = 0.0
    for _ in range(rounds):
        checked = 0
        started = time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds or not checked:
            for text, purpose, context in prepared:
                compliance_check(text=text, purpose=purpose, context=context)
            checked += len(prepared)
        best = max(best, checked / elapsed)
    return best


def _describe(item: dict, result: ComplianceResult) -> str:
    found = ", ".join(f"{v.rule} “{item['text'][v.start : v.end]}”" for v in result.violations) or "nothing"
    expected = "allowed" if item["allowed"] else f"violation ({item.get('rule')})"
    return f"  {item['id']} [{item['purpose']}] expected {expected}, found {found}\n    {item['text']!r}"


def render(report: Report, rate: float) -> str:
    lines = [
        f"messages: {report.violating} violating, {report.compliant} compliant",
        f"precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}",
        f"confusion: TP {report.tp}  FP {report.fp}  TN {report.tn}  FN {report.fn}",
        f"rule accuracy (expected rule among the violations): {report.rule_accuracy:.3f} "
        f"({report.rule_hits}/{report.tp})",
        f"throughput: {rate:,.0f} messages/second",
    ]
    if report.misclassified:
        lines.append("misclassified:")
        lines += [_describe(item, result) for item, result in report.misclassified]
    if report.wrong_rule:
        lines.append("flagged, but not for the expected rule:")
        lines += [_describe(item, result) for item, result in report.wrong_rule]
    return "\n".join(lines)


def results_section(report: Report, rate: float) -> str:
    today = datetime.now(UTC).date().isoformat()
    misses = ", ".join(item["id"] for item, _ in report.misclassified) or "none"
    return (
        f"{SECTION}\n\n"
        f"`.venv/bin/python bench/compliance_bench.py` — {today}, Python {platform.python_version()}\n\n"
        f"Corpus `bench/compliance_corpus.jsonl`: {report.violating} violating and {report.compliant} compliant "
        f"messages (positive class = violating). Targets: recall ≥ {MIN_RECALL}, precision ≥ {MIN_PRECISION}.\n\n"
        "| precision | recall | F1 | TP | FP | TN | FN | rule accuracy | messages/s |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        f"| {report.precision:.3f} | {report.recall:.3f} | {report.f1:.3f} | {report.tp} | {report.fp} | "
        f"{report.tn} | {report.fn} | {report.rule_accuracy:.3f} | {rate:,.0f} |\n\n"
        f"Misclassified: {misses}.\n\n"
        f"{HISTORY}"
    )


def write_results(section: str, path: Path = RESULTS) -> None:
    """Replace this benchmark's section of RESULTS.md (or append it); other sections stay."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section + "\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args(argv)
    items = load_corpus()
    report = evaluate(items)
    rate = throughput(items)
    print(render(report, rate))
    if not args.no_write:
        write_results(results_section(report, rate))
        print(f"updated {RESULTS.relative_to(ROOT)}")
    if not report.passed:
        print(f"FAILED: recall must be ≥ {MIN_RECALL} and precision ≥ {MIN_PRECISION}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
