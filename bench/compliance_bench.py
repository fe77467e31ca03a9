"""Precision and recall of the Amazon compliance guard: the tuning corpus and held-out corpora.

    .venv/bin/python bench/compliance_bench.py                       # prints, and updates bench/RESULTS.md
    .venv/bin/python bench/compliance_bench.py --no-write            # prints only
    .venv/bin/python bench/compliance_bench.py --heldout other.jsonl  # also scores a held-out corpus (repeatable)

A corpus holds one message per line: ``id``, ``purpose``, ``text``, optional ``context``
(fields of ``ComplianceContext``), the expected ``allowed``, for a violating message the
``rule`` it must at least break, ``batch`` and ``language`` (en, de, fr, es, it, ja; guessed
when missing). The positive class is "violating". The tuning corpus is
``bench/compliance_corpus.jsonl`` (the English seed) and ``bench/compliance_corpus_<lang>.jsonl``:
the rules were tuned on it. A held-out corpus is text the rules never saw: its figures are
the honest ones.

A message the guard *holds* (allowed, with doubts) counts as caught for recall, and as a
false alarm for precision when it was allowed; held verdicts are also counted on their own
(target: at most 5% of the allowed messages). Each corpus is reported in total, per language
and per expected rule, with the confusion matrix. Speed: p95 of one check of a 2,000-character
message (the Messaging API's limit) per language, and the guard's load time and memory in a
fresh interpreter. Exits 1 when the tuning corpus has recall < 0.98 or precision < 0.95.

The guard is pure Python, so no Django setup is needed.
"""

import argparse
import json
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tickets.compliance import ComplianceContext, ComplianceResult, compliance_check  # noqa: E402

CORPUS = ROOT / "bench" / "compliance_corpus.jsonl"
# The tuning corpus in the other languages (and English beyond the seed), one file each.
CORPORA = sorted((ROOT / "bench").glob("compliance_corpus_*.jsonl"))
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Compliance guard"
MIN_RECALL = 0.98
MIN_PRECISION = 0.95
MAX_HELD = 0.05
LANGUAGES = ("en", "de", "fr", "es", "it", "ja")
SPEED_CHARS = 2_000
# How the corpus was built, and what the guard scored on each batch of new messages before
# any rule was changed for them (the honest estimate; the totals above are after tuning).
HISTORY = """\
The seed corpus grew in batches (field `batch`). `seed` was written first and the rules were
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

Issue #16 (intent rules, six languages) added `bench/compliance_corpus_<lang>.jsonl`, batch
`tune-1`: each file was written after the intent rules existed and scored frozen before any
fix for it (the first-pass figures below), then the rules were generalised (new words for a
concept, a rule that reads clauses or negation), never a special case for one message:

| file | messages | first pass, frozen: precision / recall | after tuning |
|---|---|---|---|
| de | 150 | 0.946 / 0.897 | see above |
| fr | 147 | 0.986 / 0.932 | see above |
| es | 148 | 1.000 / 0.797 | see above |
| it | 148 | 1.000 / 0.919 | see above |
| ja | 147 | 0.926 / 0.863 | see above |
| en (new categories) | 96 | 0.913 / 0.894 | see above |

Each language's first pass ran on rules already tuned on the languages before it. Then a
batch `fresh-1` (65 messages in all six languages, written to be hard: pronouns across
sentences, questions without request words, "write-up", "any chance those could go up?",
gating split over two sentences) scored, frozen: precision 0.920, recall 0.605. That is the
honest estimate of how the guard did on unseen hard phrasings before its last fixes (questions
as requests, seller statements read per clause, two-sided gating); it is now tuning data too.
Held-out corpora (`--heldout`) give the honest figure for the current rules.
"""


def load_corpus(path: Path = CORPUS) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            item = json.loads(line)
            item.setdefault("id", f"{path.stem}-line-{number}")
            item.setdefault("language", guess_language(item["text"]))
            items.append(item)
    return items


def load_tuning() -> list[dict]:
    """The seed corpus and every ``compliance_corpus_<lang>.jsonl``."""
    return [item for path in (CORPUS, *CORPORA) for item in load_corpus(path)]


# A few frequent words per language: enough to tell six languages apart in a message of a
# sentence or more (the corpora name their language; this is for files that do not).
_STOPWORDS = {
    "en": "the you your we our to and is for of please with this that",
    "de": "der die das und sie ihre wir ist nicht mit für bitte den ein eine",
    "fr": "le la les vous votre nous est et pour des une pas avec merci",
    "es": "el la los las usted su nosotros es y para por una con gracias del",
    "it": "il la le lei sua noi è e per una con grazie del della non",
}
_KANA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def guess_language(text: str) -> str:
    if _KANA.search(text):
        return "ja"
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(word in set(stop.split()) for word in words) for lang, stop in _STOPWORDS.items()}
    return max(scores, key=scores.get) if any(scores.values()) else "en"


# A 3-7-7 Amazon order id anywhere in a text.
_ORDER_ID_IN_TEXT = re.compile(r"\b\d{3}-\d{7}-\d{7}\b")


def context_for(item: dict) -> ComplianceContext:
    raw = dict(item.get("context") or {})
    if item.get("purpose") == "proactive_guide" and "amazon_order_id" not in raw:
        # In the desk a proactive message belongs to an order; a held-out file gives the
        # text alone, so the order it names is the order it belongs to (none named: none
        # linked, and the guard refuses it for the missing order id, as the desk would).
        named = _ORDER_ID_IN_TEXT.search(item.get("text", ""))
        if named:
            raw["amazon_order_id"] = named.group()
    if "allowed_link_domains" in raw:
        raw["allowed_link_domains"] = frozenset(raw["allowed_link_domains"])
    if "extra_forbidden_phrases" in raw:
        raw["extra_forbidden_phrases"] = tuple(raw["extra_forbidden_phrases"])
    return ComplianceContext(**raw)


def check(item: dict) -> ComplianceResult:
    return compliance_check(text=item["text"], purpose=item["purpose"], context=context_for(item))


@dataclass
class Report:
    """The confusion matrix, with held verdicts apart: ``tp``/``fp`` are refusals, ``tp_held``
    /``fp_held`` holds; both count as "flagged" for precision and recall."""

    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0
    tp_held: int = 0
    fp_held: int = 0
    rule_hits: int = 0
    misclassified: list[tuple[dict, ComplianceResult]] = field(default_factory=list)
    wrong_rule: list[tuple[dict, ComplianceResult]] = field(default_factory=list)

    @property
    def caught(self) -> int:
        return self.tp + self.tp_held

    @property
    def false_alarms(self) -> int:
        return self.fp + self.fp_held

    @property
    def precision(self) -> float:
        flagged = self.caught + self.false_alarms
        return self.caught / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.caught / self.violating if self.violating else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def violating(self) -> int:
        return self.caught + self.fn

    @property
    def compliant(self) -> int:
        return self.tn + self.false_alarms

    @property
    def held_rate(self) -> float:
        """Held verdicts among the allowed messages."""
        return self.fp_held / self.compliant if self.compliant else 0.0

    @property
    def rule_accuracy(self) -> float:
        return self.rule_hits / self.tp if self.tp else 1.0

    @property
    def passed(self) -> bool:
        return self.recall >= MIN_RECALL and self.precision >= MIN_PRECISION

    def add(self, item: dict, result: ComplianceResult) -> None:
        held = result.allowed and bool(result.doubts)
        flagged = not result.allowed or held
        if not item["allowed"]:
            if not flagged:
                self.fn += 1
                self.misclassified.append((item, result))
            elif held:
                self.tp_held += 1
            else:
                self.tp += 1
                if item.get("rule") in {v.rule for v in result.violations}:
                    self.rule_hits += 1
                else:
                    self.wrong_rule.append((item, result))
        elif flagged:
            self.fp_held += held
            self.fp += not held
            self.misclassified.append((item, result))
        else:
            self.tn += 1


@dataclass
class Scored:
    """One corpus scored: in total, per language and per expected rule."""

    name: str
    total: Report
    languages: dict[str, Report]
    rules: dict[str, Report]


def evaluate(items: list[dict]) -> Report:
    return score("corpus", items).total


def score(name: str, items: list[dict]) -> Scored:
    total, languages, rules = Report(), defaultdict(Report), defaultdict(Report)
    for item in items:
        result = check(item)
        total.add(item, result)
        languages[item.get("language") or guess_language(item["text"])].add(item, result)
        rules[item.get("rule") or "(allowed)"].add(item, result)
    order = {lang: k for k, lang in enumerate(LANGUAGES)}
    return Scored(
        name,
        total,
        dict(sorted(languages.items(), key=lambda kv: order.get(kv[0], 99))),
        dict(sorted(rules.items())),
    )


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


def long_messages(items: list[dict], *, count: int = 40, chars: int = SPEED_CHARS) -> dict[str, list[str]]:
    """Per language, ``count`` messages of ``chars`` characters: corpus texts of that
    language, shuffled (fixed seed) and joined until long enough."""
    rng = random.Random(16)
    by_language: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_language[item["language"]].append(item["text"])
    out = {}
    for language, texts in by_language.items():
        messages = []
        for _ in range(count):
            parts: list[str] = []
            while sum(map(len, parts)) + len(parts) < chars:
                parts.append(rng.choice(texts))
            messages.append(" ".join(parts)[:chars])
        out[language] = messages
    return out


def latency_p95(messages: dict[str, list[str]], *, rounds: int = 5, clock=time.perf_counter) -> dict[str, float]:
    """Per language, the 95th percentile of one reply check, in milliseconds (each message
    checked ``rounds`` times; a warm process, as the live check runs). ``clock``:
    ``time.process_time`` measures this process only, on a machine busy with other work."""
    out = {}
    for language, texts in messages.items():
        samples = []
        for _ in range(rounds):
            for text in texts:
                started = clock()
                compliance_check(text=text, purpose="reply")
                samples.append((clock() - started) * 1000)
        out[language] = statistics.quantiles(samples, n=20)[-1]
    return out


_LOAD = """
import json, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
def rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024
trace = sys.argv[2] == "trace"
if trace:
    tracemalloc.start()
before = rss_mb()
started = time.perf_counter()
from tickets.compliance import compliance_check
compliance_check(text="Könnten Sie Ihre Bewertung ändern? レビュー", purpose="reply")
# A message no rule refuses: the learned second opinion is loaded and read too.
compliance_check(text="Your parcel left today; it should arrive on Friday.", purpose="reply")
seconds = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rss_mb": rss_mb() - before}))
"""


def load_cost() -> dict[str, float]:
    """Import the guard and run one check in a fresh interpreter: seconds (the best of three
    runs), then in one more run the peak of Python allocations (tracemalloc, which slows the
    import, so it is not timed) and the growth of the resident set, in MB."""

    def run(mode: str) -> dict[str, float]:
        command = [sys.executable, "-c", _LOAD, str(ROOT), mode]
        return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)

    seconds = min(run("time")["seconds"] for _ in range(3))
    return {**run("trace"), "seconds": seconds}


def _describe(item: dict, result: ComplianceResult) -> str:
    found = ", ".join(f"{v.rule} “{item['text'][v.start : v.end]}”" for v in result.violations)
    doubts = ", ".join(f"{v.rule} “{item['text'][v.start : v.end]}”" for v in result.doubts)
    found = found or (f"held: {doubts}" if doubts else "nothing")
    expected = "allowed" if item["allowed"] else f"violation ({item.get('rule')})"
    where = f"{item['id']} [{item['purpose']}, {item.get('language')}]"
    return f"  {where} expected {expected}, found {found}\n    {item['text']!r}"


def _row(label: str, report: Report) -> str:
    return (
        f"| {label} | {report.violating} | {report.compliant} | {report.precision:.3f} | {report.recall:.3f} | "
        f"{report.tp} | {report.tp_held} | {report.fn} | {report.fp} | {report.fp_held} | {report.tn} | "
        f"{report.held_rate:.1%} |"
    )


TABLE_HEAD = (
    "| | violating | allowed | precision | recall | TP refused | TP held | FN | FP refused | FP held | TN | "
    "held / allowed |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def render_scored(scored: Scored, *, details: bool = True) -> str:
    lines = [f"### {scored.name}", "", TABLE_HEAD, _row("**total**", scored.total)]
    lines += [_row(language, report) for language, report in scored.languages.items()]
    lines += ["", "Per expected rule (a row of allowed messages has no recall):", "", TABLE_HEAD]
    lines += [_row(rule, report) for rule, report in scored.rules.items()]
    if details and scored.total.misclassified:
        lines += ["", "misclassified:"] + [_describe(item, result) for item, result in scored.total.misclassified]
    if details and scored.total.wrong_rule:
        lines += ["", "refused, but not for the expected rule:"]
        lines += [_describe(item, result) for item, result in scored.total.wrong_rule]
    return "\n".join(lines)


def render_speed(rate: float, p95: dict[str, float], load: dict[str, float]) -> str:
    cells = " | ".join(f"{language} {ms:.1f}" for language, ms in p95.items())
    return (
        f"throughput: {rate:,.0f} messages/second (tuning corpus)\n"
        f"p95 ms per {SPEED_CHARS:,}-character reply: {cells} (target ≤ 10 ms)\n"
        f"guard load: {load['seconds'] * 1000:.0f} ms, Python allocations peak {load['peak_mb']:.1f} MB, "
        f"resident set +{load['rss_mb']:.1f} MB (targets ≤ 1 s, ≤ 100 MB)"
    )


def results_section(tuning: Scored, heldouts: list[Scored], speed: str) -> str:
    today = datetime.now(UTC).date().isoformat()
    misses = ", ".join(item["id"] for item, _ in tuning.total.misclassified) or "none"
    parts = [
        SECTION,
        "",
        f"`.venv/bin/python bench/compliance_bench.py` — {today}, Python {platform.python_version()}",
        "",
        "Tuning corpus (`bench/compliance_corpus.jsonl` and `bench/compliance_corpus_<lang>.jsonl`; positive class "
        f"= violating; held counts as caught and, on an allowed message, as a false alarm). Targets: recall ≥ "
        f"{MIN_RECALL}, precision ≥ {MIN_PRECISION}, held ≤ {MAX_HELD:.0%} of allowed.",
        "",
        render_scored(tuning, details=False),
        "",
        f"Misclassified: {misses}.",
        "",
    ]
    for scored in heldouts:
        parts += [render_scored(scored, details=False), ""]
    parts += ["```", speed, "```", "", HISTORY]
    return "\n".join(parts)


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
    parser.add_argument(
        "--heldout", action="append", default=[], type=Path, metavar="PATH", help="a held-out corpus (repeatable)"
    )
    parser.add_argument("--cpu", action="store_true", help="p95 in this process's CPU time, not wall time")
    args = parser.parse_args(argv)
    items = load_tuning()
    tuning = score("Tuning corpus", items)
    heldouts = [score(f"Held-out `{path.name}`", load_corpus(path)) for path in args.heldout]
    clock = time.process_time if args.cpu else time.perf_counter
    speed = render_speed(throughput(items), latency_p95(long_messages(items), clock=clock), load_cost())
    if args.cpu:
        speed = speed.replace("p95 ms per", "p95 ms (CPU time) per", 1)
    for scored in (tuning, *heldouts):
        print(render_scored(scored), end="\n\n")
    print(speed)
    if not args.no_write:
        write_results(results_section(tuning, heldouts, speed))
        print(f"updated {RESULTS.relative_to(ROOT)}")
    if not tuning.total.passed:
        print(f"FAILED: recall must be ≥ {MIN_RECALL} and precision ≥ {MIN_PRECISION}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
