"""The order day counts' SQLite triggers, kept installed.

SQLite cannot alter a column in place: Django rebuilds ``tickets_order`` (copy, drop, rename)
for many schema changes, and a rebuilt table loses its triggers, so the ODR's order counts
silently stop on the embedded default. Rather than a migration after every such change, the
triggers are installed again after every ``migrate``. PostgreSQL alters tables in place and
keeps its triggers (``metrics/0002``)."""

import importlib

from django.db import connections


def sqlite_order_day_count_triggers_ensure(using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    if not {"tickets_order", "metrics_orderdaycount"} <= tables:
        return  # migrated back before the day counts existed
    day_counts = importlib.import_module("metrics.migrations.0002_order_day_count")
    with connection.cursor() as cursor:
        for statement in day_counts.SQLITE_FORWARD:
            if statement.lstrip().startswith("CREATE TRIGGER"):
                cursor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


def _after_migrate(sender, using="default", **kwargs) -> None:
    sqlite_order_day_count_triggers_ensure(using)
