"""``manage.py seed_demo``: fill the desk with a believable demo (see demo/desk/)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone

from demo.desk import DEMO_PASSWORD, demo_seed
from demo.desk.catalogue import ACCOUNTS
from metrics.models import MetricSnapshot
from metrics.services import metric_snapshots_backfill
from tickets.models import SellerAccount

DESK_URL = "http://127.0.0.1:8000/"
ADMIN_URL = "http://127.0.0.1:8000/admin/"
HISTORY_DAYS = 90


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
        parser.add_argument(
            "--history-days",
            type=int,
            default=HISTORY_DAYS,
            help=f"Days of account-health history to record on the first run (default {HISTORY_DAYS}).",
        )

    def handle(self, *args, force: bool = False, history_days: int = HISTORY_DAYS, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a published password, so it refuses to run with "
                "DEBUG off. Run it on a development database, or pass --force if this really is "
                "a throw-away demo server."
            )
        started = time.monotonic()
        summary = demo_seed()
        # Ninety days of account-health history, so the dashboard's trend chart and the
        # agents' ODR badge have figures from the first minute (beat adds a day each night).
        # The first run takes ~20 s on SQLite; later runs fill only the days since the last one.
        demo_accounts = SellerAccount.objects.filter(name__in=[spec.name for spec in ACCOUNTS])
        latest = MetricSnapshot.objects.filter(seller_account__in=demo_accounts).aggregate(day=Max("day"))["day"]
        today = timezone.now().date()
        wanted = max(1, history_days)
        days = wanted if latest is None else max(1, min(wanted, (today - latest).days + 1))
        recorded = metric_snapshots_backfill(days=days, accounts=demo_accounts)
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo desk seeded in {elapsed:.1f} s. Rows in the database:"))
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name:<24}{count:>5}")
        # The figure the header badge and the dashboard show: today's stored snapshot, by the
        # one ODR formula (metrics.odr), not the plan's own arithmetic.
        odr = MetricSnapshot.objects.filter(
            seller_account__name=summary.odr_account, metric=MetricSnapshot.Metric.ODR, channel="FBM", day=today
        ).first()
        if odr is not None:
            self.stdout.write(
                f"{summary.odr_account} FBM order defect rate ({odr.window_start:%d %b} – {odr.window_end:%d %b}, "
                f"as the header and the dashboard show it): {odr.numerator} defective / {odr.denominator} orders = "
                f"{odr.value:.2f}% (target: below 1%)"
            )
        self.stdout.write("")
        self.stdout.write(f"Account-health history: {recorded} account-days recorded.")
        self.stdout.write("")
        self.stdout.write(f"Agents work at {DESK_URL}, managers also at {ADMIN_URL}; password {DEMO_PASSWORD!r}:")
        for user in summary.users:
            role = "manager, every account" if user.manager else "agent on " + " and ".join(user.account_names)
            self.stdout.write(f"  {user.username:<8} ({role})")
