"""Macros in the reply box: said before sending, applied with the reply."""

import pytest

from tickets.audit import audit_trail
from tickets.models import MessageTemplate, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def macro(account, bob):
    return MessageTemplate.objects.create(
        seller_account=account,
        name="Escalate to Bob",
        slug="escalate",
        body="A colleague who knows this model will write to you today.",
        sets_priority=Ticket.Priority.URGENT,
        sets_assignee=bob,
        adds_note="Escalated: second failure.",
    )


def test_choosing_a_macro_says_what_it_will_also_do(alice_client, account, buyer_writes, macro):
    ticket = buyer_writes(account)
    html = alice_client.get(f"/tickets/{ticket.pk}/", {"template": "escalate"}).content.decode()
    assert "the priority to <b>Urgent</b>" in html and "assigns it to <b>bob" in html


def test_sending_from_a_macro_applies_it(alice_client, account, buyer_writes, macro, bob):
    ticket = buyer_writes(account)
    data = {"mode": "reply", "body": macro.body, "template": "escalate", "status_after": "pending"}
    response = alice_client.post(f"/tickets/{ticket.pk}/reply/", {**data, "seen_message_id": 10**9})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.priority, ticket.status) == (bob, Ticket.Priority.URGENT, "pending")
    assert audit_trail(ticket).filter(action="macro.applied", actor__username="alice").exists()


def test_a_macro_assigning_outside_the_account_is_refused_on_the_page(alice_client, account, buyer_writes, macro):
    from tests.factories import UserFactory

    MessageTemplate.objects.filter(pk=macro.pk).update(sets_assignee=UserFactory(username="stranger"))
    ticket = buyer_writes(account)
    data = {"mode": "reply", "body": macro.body, "template": "escalate", "seen_message_id": 10**9}
    response = alice_client.post(f"/tickets/{ticket.pk}/reply/", data)
    assert response.status_code == 409
    assert "not an agent on" in response.content.decode()
