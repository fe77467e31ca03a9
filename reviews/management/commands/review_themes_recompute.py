"""``manage.py review_themes_recompute``: reclassify every review now (after a deploy that
changed the lexicon; rule edits in the admin queue the same work as a task)."""

import time

from django.core.management.base import BaseCommand

from reviews.services import review_themes_recompute_all


class Command(BaseCommand):
    help = "Reclassify every product review's themes (idempotent)."

    def handle(self, *args, **options):
        started = time.monotonic()
        written = review_themes_recompute_all()
        self.stdout.write(f"{written:,} theme matches written in {time.monotonic() - started:.1f} s.")
