# Indexes of the agent desk (issue 5, tickets.selectors: queue_counts, queue_tickets). The
# figures and plans behind them are in bench/RESULTS.md ("Agent desk").

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_team_message_inbound_received"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("status__in", ("new", "open", "pending"))),
                fields=["seller_account", "status", "sla_due_at"],
                include=("assignee",),
                name="ticket_desk_counts",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("status__in", ("new", "open"))),
                fields=["assignee", "sla_due_at"],
                name="ticket_mine_due",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("status", "pending")), fields=["-updated_at", "-id"], name="ticket_waiting_activity"
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("status__in", ("solved", "closed"))),
                fields=["-updated_at", "-id"],
                name="ticket_done_activity",
            ),
        ),
    ]
