"""Held replies in the API: a reply the guard is unsure about answers 202 with the held
message (not sent), and the held messages are readable — never decided — by keys."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import HeldMessageFactory, TicketFactory
from tickets.models import ForbiddenPhrase, HeldMessage, OutboundMessage, PhraseAction

pytestmark = pytest.mark.django_db

DOUBTFUL = "We can offer a lifetime guarantee on the new reservoir."
HELD = "/api/v1/held-messages/"


@pytest.fixture
def hold_phrase(account):
    return ForbiddenPhrase.objects.create(seller_account=account, phrase="lifetime guarantee", action=PhraseAction.HOLD)


@pytest.fixture
def ticket(account):
    return TicketFactory(seller_account=account, status="open", sla_due_at=timezone.now() + timedelta(hours=3))


def test_a_held_reply_answers_202_with_the_doubts(alice_api, ticket, hold_phrase):
    response = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": DOUBTFUL})
    body = response.json()
    assert (response.status_code, body["status"], body["ticket"], body["outbound"]) == (202, "held", ticket.pk, None)
    assert [(d["rule"], DOUBTFUL[d["start"] : d["end"]]) for d in body["doubts"]] == [
        ("approval_phrase", "lifetime guarantee")
    ]


def test_a_held_reply_is_kept_and_not_sent(alice_api, ticket, hold_phrase):
    body = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": DOUBTFUL}).json()
    held = HeldMessage.objects.get(pk=body["id"])
    assert (held.body, held.channel, held.actor_label.startswith("api-key:")) == (DOUBTFUL, "api", True)
    assert not OutboundMessage.objects.exists()


def test_a_held_reply_leaves_the_clock_running(alice_api, ticket, hold_phrase):
    due = ticket.sla_due_at
    alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": DOUBTFUL})
    ticket.refresh_from_db()
    assert ticket.sla_due_at == due


def test_the_reply_status_is_readable_afterwards(bob_read_api, alice_api, ticket, hold_phrase):
    held_id = alice_api.post(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": DOUBTFUL}).json()["id"]
    assert bob_read_api.get(f"{HELD}{held_id}/").json()["status"] == "held"


def test_the_list_filters_by_status_and_ticket(bob_read_api, account, ticket):
    waiting = HeldMessageFactory(ticket=ticket)
    HeldMessageFactory(ticket=ticket, status="rejected", decided_at=timezone.now())
    HeldMessageFactory(ticket=TicketFactory(seller_account=account))
    results = bob_read_api.get(f"{HELD}?status=held&ticket={ticket.pk}").json()["results"]
    assert [h["id"] for h in results] == [waiting.pk]


def test_another_accounts_held_messages_are_not_listed(bob_read_api, other_account):
    HeldMessageFactory(ticket=TicketFactory(seller_account=other_account))
    assert bob_read_api.get(HELD).json()["results"] == []


def test_no_key_can_approve_a_held_message(alice_api, ticket):
    # Decisions are a manager's, in the desk or the admin: there is no write endpoint.
    held = HeldMessageFactory(ticket=ticket)
    assert alice_api.post(f"{HELD}{held.pk}/", {"status": "approved"}).status_code == 405
    assert alice_api.patch(f"{HELD}{held.pk}/", {"status": "approved"}).status_code == 405
    held.refresh_from_db()
    assert held.status == "held"


def test_the_held_list_costs_the_same_for_5_rows_or_50(bob_read_api, account, django_assert_max_num_queries):
    def fill(n):
        for _ in range(n):
            ticket = TicketFactory(seller_account=account)
            HeldMessageFactory(ticket=ticket, status="rejected", decided_at=timezone.now())

    fill(5)
    bob_read_api.get(HELD)  # the key's first use writes last_used_at
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        bob_read_api.get(f"{HELD}?page_size=100")
    fill(45)
    with django_assert_max_num_queries(len(few)):
        response = bob_read_api.get(f"{HELD}?page_size=100")
    assert len(response.json()["results"]) == 50
