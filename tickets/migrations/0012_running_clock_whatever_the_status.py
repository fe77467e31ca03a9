# The clock belongs to the buyer's messages, not to the ticket's status (issue #15): a
# running clock is ``sla_due_at`` set, whatever the status, and the indexes follow. The
# stored clocks are brought in line: a ticket parked or solved with a buyer message still
# unanswered gets (or keeps) that message's clock; a parked ticket with none loses a stale
# one; a finished defence stops its deadline.

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery

DEFENCE_KINDS = ("a_to_z_defence", "chargeback")
PARKED = ("pending", "solved", "closed")
DEFAULT_AT_RISK_HOURS = 4


def clocks_follow_messages(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Message = apps.get_model("tickets", "Message")
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    unanswered = Message.objects.filter(
        ticket=OuterRef("pk"), direction="inbound", responded_at__isnull=True, no_response_needed=False
    )
    earliest = Subquery(unanswered.order_by().values("ticket").annotate(due=Min("response_due_at")).values("due"))
    Ticket.objects.filter(kind__in=DEFENCE_KINDS, status__in=("solved", "closed"), sla_due_at__isnull=False).update(
        sla_due_at=None, sla_at_risk_at=None
    )
    parked = Ticket.objects.filter(status__in=PARKED).exclude(kind__in=DEFENCE_KINDS).annotate(due=earliest)
    parked.filter(due__isnull=True, sla_due_at__isnull=False).update(sla_due_at=None, sla_at_risk_at=None)
    policies = {(p.seller_account_id, p.ticket_kind): p.at_risk_hours for p in SlaPolicy.objects.all()}
    changed = []
    for ticket in parked.filter(due__isnull=False).exclude(sla_due_at=models.F("due")).iterator(chunk_size=1000):
        hours = policies.get(
            (ticket.seller_account_id, ticket.kind), policies.get((ticket.seller_account_id, ""), DEFAULT_AT_RISK_HOURS)
        )
        ticket.sla_due_at, ticket.sla_at_risk_at = ticket.due, ticket.due - timedelta(hours=hours)
        changed.append(ticket)
    Ticket.objects.bulk_update(changed, ["sla_due_at", "sla_at_risk_at"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0011_sla_at_risk_at_in_desk_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(clocks_follow_messages, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_open_sla_due",
        ),
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_desk_counts",
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("sla_due_at__isnull", False)),
                fields=["sla_due_at"],
                include=("sla_at_risk_at",),
                name="ticket_running_sla_due",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("new", "open", "pending")), ("sla_due_at__isnull", False), _connector="OR"
                ),
                fields=["seller_account", "status", "sla_due_at"],
                include=("assignee", "sla_at_risk_at"),
                name="ticket_desk_counted",
            ),
        ),
    ]
