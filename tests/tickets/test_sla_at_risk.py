"""One definition of "at risk": the ticket's SLA policy decides, and the model, the queue,
the API filter, the admin filter and the sweep all agree (issue #15)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.api.conftest import KeyClient, make_key
from tests.desk.test_queue import ticket_ids
from tests.factories import TicketFactory
from tickets.models import SlaEvent, SlaPolicy, Ticket
from tickets.sla.sweep import sla_sweep

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def six_hours_left(account):
    """An 8 h warning policy and a buyer clock with 6 h left (at risk), also on a ticket
    solved anyway, beside a clock with 10 h left (on time) and a warranty ticket whose own
    2 h policy says on time."""
    SlaPolicy.objects.create(seller_account=account, ticket_kind="", response_hours=24, at_risk_hours=8)
    SlaPolicy.objects.create(seller_account=account, ticket_kind="warranty", response_hours=24, at_risk_hours=2)
    due = NOW + timedelta(hours=6)
    return {
        "at_risk": TicketFactory(seller_account=account, status="open", sla_due_at=due),
        "on_time": TicketFactory(seller_account=account, status="open", sla_due_at=NOW + timedelta(hours=10)),
        "warranty": TicketFactory(seller_account=account, status="open", kind="warranty", sla_due_at=due),
        # Solved anyway while the buyer's message waits: its clock runs on (tickets.sla.clock).
        "solved_anyway": TicketFactory(seller_account=account, status="solved", sla_due_at=due),
    }


def test_the_model_the_queue_the_api_the_admin_and_the_sweep_agree(six_hours_left, alice, account, manager, client):
    expected = {six_hours_left["at_risk"].pk, six_hours_left["solved_anyway"].pk}
    api = KeyClient(make_key(accounts=[account], scope="read")[1])
    with time_machine.travel(NOW, tick=False):
        model = {t.pk for t in Ticket.objects.all() if t.sla_state() == "at_risk"}
        client.force_login(alice)
        queue = set(ticket_ids(client.get("/queue/at_risk/")))
        api_ids = {t["id"] for t in api.get("/api/v1/tickets/?sla=at_risk").json()["results"]}
        api_ok = {t["id"] for t in api.get("/api/v1/tickets/?sla=ok").json()["results"]}
        client.force_login(manager)
        admin_page = client.get("/admin/tickets/ticket/?sla=at_risk").context["cl"].result_list
        sla_sweep(now=NOW)
    sweep = set(SlaEvent.objects.filter(kind="at_risk").values_list("ticket_id", flat=True))
    assert model == queue == api_ids == {t.pk for t in admin_page} == sweep == expected
    assert api_ok == {six_hours_left["on_time"].pk, six_hours_left["warranty"].pk}


def test_a_changed_policy_moves_the_at_risk_moment_of_running_clocks(six_hours_left, account, manager, client):
    client.force_login(manager)
    policy = SlaPolicy.objects.get(seller_account=account, ticket_kind="")
    response = client.post(
        f"/admin/tickets/slapolicy/{policy.pk}/change/",
        {"seller_account": account.pk, "ticket_kind": "", "response_hours": 24, "at_risk_hours": 4},
    )
    assert response.status_code == 302
    ticket = six_hours_left["at_risk"]
    ticket.refresh_from_db()
    assert ticket.sla_at_risk_at == ticket.sla_due_at - timedelta(hours=4)
    with time_machine.travel(NOW, tick=False):
        assert ticket.sla_state() == "ok"


def test_a_warning_longer_than_three_days_is_refused(account):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SlaPolicy(seller_account=account, response_hours=96, at_risk_hours=73).full_clean()
