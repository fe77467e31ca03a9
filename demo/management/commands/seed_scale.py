"""Fill a database with benchmark-sized data (the logic lives in demo/scale/).

    manage.py seed_scale --orders 1000000 --tickets 100000 [--accounts 5] [--seed 1] [--append]

Refuses to run on a database that already holds scale data, unless --append: a
second run by mistake would double every table and skew every benchmark.
"""

from django.core.management.base import BaseCommand, CommandError

from demo.scale import ScaleDataExists, scale_seed


class Command(BaseCommand):
    help = (
        "Insert benchmark-sized data: seller accounts, buyers, orders with items, defects "
        "(negative feedback, A-to-z claims, chargebacks), tickets with messages, product reviews "
        "and outreach. Refuses to run twice unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, required=True, help="Number of orders, e.g. 1000000.")
        parser.add_argument("--tickets", type=int, required=True, help="Number of tickets, e.g. 100000.")
        parser.add_argument("--accounts", type=int, default=5, help="Number of seller accounts (default 5).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: same seed, same data (default 1).")
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add another run on top of existing scale data (new 9rr- order ids, same accounts).",
        )

    def handle(self, *args, orders, tickets, accounts, seed, append, **options):
        try:
            result = scale_seed(
                orders=orders, tickets=tickets, accounts=accounts, seed=seed, append=append, log=self.stdout.write
            )
        except (ScaleDataExists, ValueError) as error:
            raise CommandError(str(error)) from error
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<28} {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Scale run {result.run} seeded in {result.seconds:.1f} s."))
