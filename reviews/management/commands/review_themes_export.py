"""``manage.py review_themes_export``: the managers' theme corrections as labelled JSONL.

One review a line, the shape ``bench/review_themes_bench.py --heldout`` scores: ``id``,
``language``, ``rating``, ``title``, ``text``, ``themes`` ([{theme, polarity}]).
"""

import json
import sys

from django.core.management.base import BaseCommand

from reviews.selectors import theme_corrections_labelled


class Command(BaseCommand):
    help = "Write the managers' theme corrections as labelled JSONL (stdout, or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output: str | None, **options):
        out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        try:
            written = 0
            for row in theme_corrections_labelled():
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
        finally:
            if output:
                out.close()
        self.stderr.write(f"{written:,} labelled reviews.")
