"""Held replies in the desk: the agent's reply is held (shown on the ticket with its doubts
marked), a manager approves or rejects it there or from the "Held replies" queue, agents
cannot."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import HeldMessageFactory, TicketFactory
from tickets.models import ForbiddenPhrase, HeldMessage, Message, OutboundMessage, PhraseAction, Ticket

pytestmark = pytest.mark.django_db

DOUBTFUL = "We can offer a lifetime guarantee on the new reservoir."


@pytest.fixture(autouse=True)
def hold_phrase(account):
    return ForbiddenPhrase.objects.create(seller_account=account, phrase="lifetime guarantee", action=PhraseAction.HOLD)


@pytest.fixture
def manager_client(manager):
    # A browser of its own: alice_client is pytest-django's ``client``.
    client = Client()
    client.force_login(manager)
    return client


def reply(client, ticket, body=DOUBTFUL, **fields):
    last = ticket.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    data = {"mode": "reply", "body": body, "status_after": "pending", "seen_message_id": last, **fields}
    return client.post(f"/tickets/{ticket.pk}/reply/", data)


@pytest.fixture
def held(alice_client, account, buyer_writes) -> HeldMessage:
    ticket = buyer_writes(account)
    reply(alice_client, ticket)
    return HeldMessage.objects.get(ticket=ticket)


def test_a_doubtful_reply_says_held_for_approval_instead_of_queued(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    response = reply(alice_client, ticket)
    html = alice_client.get(response["Location"]).content.decode()
    assert "Held for approval" in html and "queued for delivery" not in html
    assert not OutboundMessage.objects.exists()


def test_the_held_reply_shows_on_the_ticket_with_its_doubts_marked(alice_client, held):
    html = alice_client.get(f"/tickets/{held.ticket_id}/").content.decode()
    assert "Held for a manager's approval" in html
    assert "<mark>lifetime guarantee</mark>" in html
    # Said as a sentence, not as the rule's id.
    assert "phrases that need a manager" in html and "approval_phrase" not in html


def test_an_agent_gets_no_approve_button(alice_client, held):
    html = alice_client.get(f"/tickets/{held.ticket_id}/").content.decode()
    assert f"/held/{held.pk}/approve/" not in html


def test_an_agent_cannot_approve_even_by_posting(alice_client, held):
    assert alice_client.post(f"/held/{held.pk}/approve/").status_code == 403
    held.refresh_from_db()
    assert (held.status, OutboundMessage.objects.count()) == ("held", 0)


def test_a_manager_gets_approve_and_reject_buttons_on_the_ticket(manager_client, held):
    html = manager_client.get(f"/tickets/{held.ticket_id}/").content.decode()
    assert f"/held/{held.pk}/approve/" in html and f"/held/{held.pk}/reject/" in html


def test_a_manager_approves_and_the_reply_is_queued(manager_client, held):
    response = manager_client.post(f"/held/{held.pk}/approve/")
    assert response.status_code == 302
    outbound = OutboundMessage.objects.get()
    html = manager_client.get(response["Location"]).content.decode()
    assert "Approved: the reply is queued" in html
    assert (outbound.body, Ticket.objects.get(pk=held.ticket_id).status) == (DOUBTFUL, "pending")


def test_a_second_approval_says_it_was_already_decided(manager_client, held):
    manager_client.post(f"/held/{held.pk}/approve/")
    response = manager_client.post(f"/held/{held.pk}/approve/", follow=True)
    assert "Already approved" in response.content.decode()
    assert OutboundMessage.objects.count() == 1


def test_a_manager_rejects_with_a_reason_the_agent_reads_on_the_ticket(manager_client, alice_client, held):
    manager_client.post(f"/held/{held.pk}/reject/", {"reason": "We do not offer lifetime guarantees."})
    html = alice_client.get(f"/tickets/{held.ticket_id}/").content.decode()
    assert "Rejected by manager" in html and "We do not offer lifetime guarantees." in html
    assert Message.objects.filter(ticket_id=held.ticket_id, direction="note").exists()
    assert not OutboundMessage.objects.exists()


def test_the_live_check_says_a_doubtful_reply_would_be_held(alice_client, account, buyer_writes):
    ticket = buyer_writes(account)
    html = alice_client.post(f"/tickets/{ticket.pk}/check/", {"body": DOUBTFUL, "mode": "reply"}).content.decode()
    assert "would be held for a manager" in html and "<mark>lifetime guarantee</mark>" in html


def test_the_workspace_reads_held_replies_in_the_same_statement(
    alice_client, account, buyer_writes, django_assert_max_num_queries
):
    ticket = buyer_writes(account)
    with CaptureQueriesContext(connection) as none_held:
        alice_client.get(f"/tickets/{ticket.pk}/")
    HeldMessageFactory.create_batch(10, ticket=ticket)
    with django_assert_max_num_queries(len(none_held)):
        alice_client.get(f"/tickets/{ticket.pk}/")


# --- The managers' queue ------------------------------------------------------------------------


def test_the_held_queue_lists_waiting_replies_across_accounts(manager_client, account, other_account):
    mine = HeldMessageFactory(ticket=TicketFactory(seller_account=account))
    theirs = HeldMessageFactory(ticket=TicketFactory(seller_account=other_account))
    HeldMessageFactory(ticket=TicketFactory(seller_account=account), status="approved", decided_at=mine.created_at)
    html = manager_client.get("/held/").content.decode()
    assert html.count('aria-label="Held reply"') == 2
    assert f"held{mine.pk}" in html and f"held{theirs.pk}" in html


def test_only_managers_see_the_held_queue_and_its_link(alice_client, manager_client):
    assert alice_client.get("/held/").status_code == 403
    assert 'href="/held/"' not in alice_client.get("/").content.decode()
    assert 'href="/held/"' in manager_client.get("/").content.decode()


def test_approving_from_the_queue_returns_to_the_queue(manager_client, held):
    response = manager_client.post(f"/held/{held.pk}/approve/", {"back": "held"})
    assert response["Location"] == "/held/"


def test_the_held_queue_costs_the_same_for_3_or_30_replies(manager_client, account, django_assert_max_num_queries):
    def fill(n):
        HeldMessageFactory.create_batch(n, ticket=TicketFactory(seller_account=account))

    fill(3)
    manager_client.get("/held/")  # warm the kept counts and badges
    with CaptureQueriesContext(connection) as few:
        manager_client.get("/held/")
    fill(27)
    with django_assert_max_num_queries(len(few)):
        html = manager_client.get("/held/").content.decode()
    assert html.count('aria-label="Held reply"') == 30
