"""Managers' decisions on held messages as labelled data for the guard's next tuning round:
one JSON line per decided message, in ``bench/compliance_corpus.jsonl``'s shape (``id``,
``purpose``, ``text``, ``allowed``, ``rule``, ``batch``) plus the decision's own fields
(``decision``, ``doubts``, ``decided_by``, ``decided_at``…); see ``tickets.held``.

    manage.py export_held_decisions --since 2026-11-01 --output held.jsonl
"""

import json
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateparse import parse_date

from ...held import held_messages_labelled
from ...models import HeldMessage


class Command(BaseCommand):
    help = "Write the approved and rejected held messages as JSONL labelled data."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", help="Only decisions on or after this date (YYYY-MM-DD, UTC).")
        parser.add_argument("--seller-account", type=int, help="Only this seller account's (its id).")
        parser.add_argument("--output", help="A file to write (default: standard output).")

    def handle(self, *args, **options) -> None:
        held_messages = HeldMessage.objects.all()
        if options["since"]:
            day = parse_date(options["since"])
            if day is None:
                raise CommandError("--since takes a date, YYYY-MM-DD.")
            held_messages = held_messages.filter(decided_at__gte=datetime(day.year, day.month, day.day, tzinfo=UTC))
        if options["seller_account"]:
            held_messages = held_messages.filter(seller_account_id=options["seller_account"])
        out = open(options["output"], "w", encoding="utf-8") if options["output"] else self.stdout  # noqa: SIM115
        written = 0
        try:
            for line in held_messages_labelled(held_messages=held_messages):
                out.write(json.dumps(line, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")
                written += 1
        finally:
            if options["output"]:
                out.close()
        self.stderr.write(f"{written} decided held message(s) written.")
