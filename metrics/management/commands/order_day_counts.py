"""``manage.py order_day_counts``: check, compact or rebuild the ODR's per-day order counts.

The database triggers keep them exact; this is for after orders were written with triggers
off (``pg_restore --disable-triggers``, ``session_replication_role = replica``).
"""

from django.core.management.base import BaseCommand, CommandError

from metrics.order_counts import order_day_counts_compact, order_day_counts_drift, order_day_counts_rebuild


class Command(BaseCommand):
    help = "Check the per-day order counts against the orders (default), or --compact / --rebuild them."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--compact", action="store_true", help="Fold appended changes into one row a day.")
        action.add_argument("--rebuild", action="store_true", help="Recount every day from the orders table.")

    def handle(self, *args, compact: bool, rebuild: bool, **options):
        if compact:
            self.stdout.write(f"Folded {order_day_counts_compact():,} rows.")
            return
        if rebuild:
            self.stdout.write(f"Rebuilt: {order_day_counts_rebuild():,} account-channel-days.")
            return
        drift = order_day_counts_drift()
        for (account_id, channel, day), (kept, counted) in sorted(drift.items(), key=str):
            self.stderr.write(f"account {account_id} {channel} {day}: kept {kept}, orders {counted}")
        if drift:
            raise CommandError(f"{len(drift)} account-channel-days differ: run with --rebuild.")
        self.stdout.write("The per-day order counts match the orders.")
