"""ticket_update: the one way every channel changes a ticket, with its audit trail."""

import pytest

from tests.factories import TicketFactory, UserFactory
from tickets.audit import audit_trail
from tickets.models import Ticket
from tickets.models.tickets import InvalidTransition
from tickets.services import ticket_update

pytestmark = pytest.mark.django_db


def test_assigning_a_ticket_records_who_assigned_it(account, alice, bob):
    ticket = TicketFactory(seller_account=account)
    ticket_update(ticket=ticket, actor=alice, assignee=bob)
    ticket.refresh_from_db()
    assert ticket.assignee == bob
    event = audit_trail(ticket).get()
    assert event.actor == alice
    assert event.changes == {"assignee": [None, "bob"]}


def test_a_status_change_is_recorded_with_old_and_new_values():
    ticket = TicketFactory(status=Ticket.Status.OPEN)
    ticket_update(ticket=ticket, actor="api-key:ab12", status=Ticket.Status.SOLVED)
    event = audit_trail(ticket).get()
    assert event.actor is None
    assert event.actor_label == "api-key:ab12"
    assert event.changes == {"status": ["open", "solved"]}


def test_a_closed_ticket_cannot_be_reopened():
    ticket = TicketFactory(status=Ticket.Status.CLOSED)
    with pytest.raises(InvalidTransition):
        ticket_update(ticket=ticket, actor=None, status=Ticket.Status.OPEN)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    assert not audit_trail(ticket).exists()


def test_an_update_that_changes_nothing_records_nothing():
    ticket = TicketFactory(status=Ticket.Status.OPEN, priority=Ticket.Priority.NORMAL)
    ticket_update(ticket=ticket, actor=None, status=Ticket.Status.OPEN, priority=Ticket.Priority.NORMAL)
    assert not audit_trail(ticket).exists()


def test_unassigning_clears_the_assignee():
    ticket = TicketFactory(assignee=UserFactory())
    ticket_update(ticket=ticket, actor=None, unassign=True)
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_ticket_cannot_be_assigned_to_an_agent_of_another_account(account, alice, charlie):
    from tickets.services import InvalidAssignment

    ticket = TicketFactory(seller_account=account)
    with pytest.raises(InvalidAssignment):
        ticket_update(ticket=ticket, actor=alice, assignee=charlie)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert not audit_trail(ticket).exists()
