"""The clock belongs to the buyer's messages, not to the ticket's status (issue #15): solving,
parking or closing a ticket with an unanswered buyer message is asked about in the desk,
refused with 409 by the API and with a form error by the admin unless forced, and a forced
ticket keeps its clock, its place in At risk / Breached and its alerts."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.api.conftest import KeyClient, make_key
from tests.factories import AtoZClaimFactory, BuyerFactory, OrderFactory, TicketFactory
from tests.tickets.test_admin import admin_url, changeform_data
from tickets.audit import audit_trail
from tickets.intake.claims import a_to_z_claim_record
from tickets.intake.messages import inbound_message_receive
from tickets.models import Message, SlaEvent, Ticket
from tickets.services import ticket_update, tickets_bulk_update
from tickets.sla.clock import UnansweredMessages
from tickets.sla.sweep import sla_sweep

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def receive(account, *, hours_ago: float = 2, buyer=None, body: str = "Where is my package?") -> Ticket:
    return inbound_message_receive(
        seller_account=account,
        buyer=buyer or BuyerFactory(seller_account=account),
        body=body,
        received_at=NOW - timedelta(hours=hours_ago),
        actor="test",
    ).message.ticket


@pytest.fixture
def waiting(account):
    """A ticket whose buyer asked 2 h ago: due in 22 h."""
    return receive(account)


def stored(ticket: Ticket) -> Ticket:
    ticket.refresh_from_db()
    return ticket


# --- The rule (tickets.services.ticket_update) ---------------------------------------------


@pytest.mark.parametrize("status", ["pending", "solved", "closed"])
def test_parking_a_ticket_with_an_unanswered_message_is_refused_and_changes_nothing(waiting, status):
    with pytest.raises(UnansweredMessages) as refused:
        ticket_update(ticket=waiting, actor="test", status=status)
    assert refused.value.count == 1
    assert stored(waiting).status == "new"
    assert [e.action for e in audit_trail(waiting)] == ["message.received", "ticket.created"]


def test_forced_it_keeps_the_clock_and_the_audit_says_the_message_was_left_waiting(waiting):
    due = waiting.sla_due_at
    ticket_update(ticket=waiting, actor="test", status="solved", force=True)
    ticket = stored(waiting)
    assert (ticket.status, ticket.sla_due_at, ticket.sla_state()) == ("solved", due, "ok")
    [event] = [e for e in audit_trail(ticket) if e.action == "ticket.updated"]
    assert event.changes == {"status": ["new", "solved"], "unanswered_messages": 1}


def test_marking_no_response_needed_first_lets_the_ticket_be_solved(waiting):
    ticket_update(ticket=waiting, actor="test", status="solved", no_response_needed=True)
    ticket = stored(waiting)
    assert (ticket.status, ticket.sla_due_at, ticket.sla_state()) == ("solved", None, "none")


def test_an_answered_ticket_solves_without_a_question(waiting):
    Message.objects.filter(ticket=waiting).update(responded_at=NOW)
    waiting.sla_due_at = None
    waiting.save(update_fields=["sla_due_at"])
    ticket_update(ticket=waiting, actor="test", status="solved")
    assert stored(waiting).status == "solved"


def test_a_forced_ticket_breaches_and_is_swept_like_an_open_one(waiting):
    ticket_update(ticket=waiting, actor="test", status="pending", force=True)
    with time_machine.travel(waiting.sla_due_at + timedelta(minutes=1), tick=False):
        assert stored(waiting).sla_state() == "breached"
        sla_sweep()
    assert list(SlaEvent.objects.values_list("ticket_id", "kind")) == [(waiting.pk, "breached")]


def test_a_new_message_on_a_forced_ticket_keeps_the_older_messages_clock(account, waiting):
    due = waiting.sla_due_at
    ticket_update(ticket=waiting, actor="test", status="solved", force=True)
    again = receive(account, hours_ago=1, buyer=waiting.buyer, body="Hello? Any news?")
    assert again.pk == waiting.pk
    ticket = stored(waiting)
    assert (ticket.status, ticket.sla_due_at) == ("open", due)


def test_bulk_close_skips_a_ticket_whose_buyer_still_waits(account, waiting):
    result = tickets_bulk_update(tickets=[waiting], actor="test", status="closed")
    assert result.changed == 0 and "1 buyer message is still unanswered" in result.skipped[0]


# --- Defence tickets: the clock is Amazon's deadline, stopped when the defence is done -----


def test_solving_a_defence_ticket_stops_its_deadline_and_reopening_restores_it(account):
    order = OrderFactory(seller_account=account)
    claim, _ = a_to_z_claim_record(
        order=order,
        claim_id="AZ-1",
        values={"filed_at": NOW, "amount": "25.00", "reason": "not received", "status": "open"},
        actor="test",
    )
    ticket = claim.ticket
    ticket_update(ticket=ticket, actor="test", status="solved")  # no buyer message waits: no question
    assert stored(ticket).sla_due_at is None
    ticket_update(ticket=ticket, actor="test", status="open")
    assert stored(ticket).sla_due_at == claim.respond_by


def test_a_decided_claim_leaves_a_reopened_defence_ticket_without_a_clock(account):
    claim = AtoZClaimFactory(order=OrderFactory(seller_account=account), status="denied")
    ticket = TicketFactory(seller_account=account, kind="a_to_z_defence", status="solved")
    claim.ticket = ticket
    claim.save(update_fields=["ticket"])
    ticket_update(ticket=ticket, actor="test", status="open")
    assert stored(ticket).sla_due_at is None


# --- The API: 409 unless "force": true -------------------------------------------------


@pytest.fixture
def api(account):
    return KeyClient(make_key(accounts=[account], scope="agent")[1])


def test_the_api_answers_409_with_the_waiting_messages_and_writes_nothing(api, waiting):
    response = api.patch(f"/api/v1/tickets/{waiting.pk}/", {"status": "solved"})
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["unanswered_messages"]) == ("unanswered_messages", 1)
    assert body["sla_due_at"] is not None and "still unanswered" in body["detail"]
    assert stored(waiting).status == "new"


def test_the_api_solves_anyway_with_force_and_reports_the_running_clock(api, waiting):
    response = api.patch(f"/api/v1/tickets/{waiting.pk}/", {"status": "solved", "force": True})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["sla_state"]) == ("solved", "ok")


def test_the_api_solves_with_no_response_needed_in_the_same_request(api, waiting):
    response = api.patch(f"/api/v1/tickets/{waiting.pk}/", {"status": "solved", "no_response_needed": True})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["sla_state"]) == ("solved", "none")


def test_the_api_refuses_a_force_that_is_not_a_boolean(api, waiting):
    response = api.patch(f"/api/v1/tickets/{waiting.pk}/", {"status": "solved", "force": "perhaps"})
    assert response.status_code == 400 and "force" in response.json()
    assert stored(waiting).status == "new"


# --- The admin: a form error unless the box is ticked ----------------------------------


def test_the_admin_asks_for_the_box_before_solving(client, manager, waiting):
    client.force_login(manager)
    url = admin_url(Ticket, "change", waiting.pk)
    data = {**changeform_data(client.get(url)), "status": "solved"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "still unanswered" in str(response.context["adminform"].form.errors["status"])
    assert stored(waiting).status == "new"

    response = client.post(url, {**data, "force": "on"})
    assert response.status_code == 302
    ticket = stored(waiting)
    assert (ticket.status, ticket.sla_state()) == ("solved", "ok")


# --- The desk: the question, and its two answers ----------------------------------------


def test_the_desk_asks_before_solving(client, alice, waiting):
    client.force_login(alice)
    form = {"status": "solved", "priority": waiting.priority, "assignee": ""}
    response = client.post(f"/tickets/{waiting.pk}/update/", form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "The buyer is still waiting for an answer" in page
    assert "Solve anyway (the message still counts)" in page and "Mark “no response needed” &amp; solve" in page
    assert stored(waiting).status == "new"


def test_the_desk_solves_anyway_and_the_ticket_stays_in_at_risk(client, alice, waiting):
    client.force_login(alice)
    form = {"status": "solved", "priority": waiting.priority, "assignee": "", "force": "on"}
    assert client.post(f"/tickets/{waiting.pk}/update/", form).status_code == 302
    with time_machine.travel(waiting.sla_due_at - timedelta(hours=1), tick=False):
        page = client.get("/queue/at_risk/").content.decode()
    assert f"/tickets/{waiting.pk}/" in page
