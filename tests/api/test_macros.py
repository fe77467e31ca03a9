"""A macro through the API: POST /tickets/{id}/replies/ with a macro's template."""

import pytest

from tests.factories import MessageFactory, TicketFactory
from tickets.models import MessageTemplate, Ticket

pytestmark = pytest.mark.django_db


def test_a_reply_from_a_macro_applies_it_as_one_action(alice_api, account, bob):
    MessageTemplate.objects.create(
        seller_account=account,
        name="Solve with note",
        slug="solve_note",
        body="Glad it works again!",
        sets_status="solved",
        sets_assignee=bob,
        adds_note="Fixed by descaling.",
    )
    ticket = TicketFactory(seller_account=account, status="open")
    MessageFactory(ticket=ticket)
    response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"template": "solve_note"})
    assert response.status_code == 201
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.messages.filter(direction="note").count()) == ("solved", bob, 1)


def test_a_macro_with_an_outsider_assignee_is_a_400_and_sends_nothing(alice_api, account, charlie):
    MessageTemplate.objects.create(
        seller_account=account, name="To Charlie", slug="to_charlie", body="Thanks!", sets_assignee=charlie
    )
    ticket = TicketFactory(seller_account=account, status="open")
    response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"template": "to_charlie"})
    assert response.status_code == 400
    assert ticket.outbound.count() == 0 and Ticket.objects.get(pk=ticket.pk).assignee is None
