"""``manage.py metrics_backfill --days 90``: record the daily account-health snapshots of the past.

Idempotent (snapshots are upserts) and silent (history raises no alerts).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from metrics.services import metric_snapshots_backfill
from tickets.models import SellerAccount


class Command(BaseCommand):
    help = "Record the daily account-health snapshots of the last N days (default 90), up to today."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="How many days, today included (default 90).")
        parser.add_argument("--until", type=date.fromisoformat, help="The last day (YYYY-MM-DD, default today).")
        parser.add_argument("--account", type=int, action="append", help="Only this seller account id; repeatable.")

    def handle(self, *args, days: int, until: date | None, account: list[int] | None, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        accounts = SellerAccount.objects.all()
        if account:
            accounts = accounts.filter(pk__in=account)
            if len(accounts) != len(set(account)):
                raise CommandError("Unknown seller account id.")
        count = metric_snapshots_backfill(days=days, until=until, accounts=accounts)
        self.stdout.write(f"Recorded {count} account-days of snapshots.")
