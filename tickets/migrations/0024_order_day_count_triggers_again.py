"""SQLite rebuilds ``tickets_order`` to add a column with a database default
(0016_post_delivery_contact), and a rebuilt table loses its triggers: the order day counts
(metrics/0002) stopped counting on the embedded default. Install them again; PostgreSQL
altered the table in place and kept them."""

import importlib

from django.db import migrations


def order_day_count_triggers(apps, schema_editor):
    earlier = importlib.import_module("tickets.migrations.0009_amazon_ids_per_account")
    earlier.order_day_count_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0023_amazon_attachments_name"),
    ]

    operations = [
        migrations.RunPython(order_day_count_triggers, migrations.RunPython.noop),
    ]
