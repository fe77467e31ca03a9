"""``manage.py seed_demo``: fill the desk with a believable demo (see tickets/demo)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tickets.demo import DEMO_PASSWORD, demo_seed

ADMIN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = (
        "Create or refresh the demo desk: two seller accounts, ~215 orders, tickets in every SLA "
        "state, reviews and ODR defects, and the demo users. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off. Never on production: the demo passwords are public.",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a published password, so it refuses to run with "
                "DEBUG off. Run it on a development database, or pass --force if this really is "
                "a throw-away demo server."
            )
        started = time.monotonic()
        summary = demo_seed()
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo desk seeded in {elapsed:.1f} s. Rows in the database:"))
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name:<24}{count:>5}")
        self.stdout.write(
            f"{summary.odr_account} FBM order defect rate (60 days by order date): "
            f"{summary.odr_defective_orders} defective / {summary.odr_orders} orders = "
            f"{summary.odr_percent:.2f}% (target: below 1%)"
        )
        self.stdout.write("")
        self.stdout.write(f"Log in at {ADMIN_URL} with password {DEMO_PASSWORD!r}:")
        for user in summary.users:
            role = "manager, every account" if user.manager else "agent on " + " and ".join(user.account_names)
            self.stdout.write(f"  {user.username:<8} ({role})")
