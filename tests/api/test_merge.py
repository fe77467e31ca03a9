"""POST /tickets/{id}/merge/: a dry run, the merge, merged_into, the refusals."""

import pytest

from tests.factories import BuyerFactory, MessageFactory, TicketFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(account):
    buyer = BuyerFactory(seller_account=account)
    first = TicketFactory(seller_account=account, buyer=buyer, subject="Broken lid")
    second = TicketFactory(seller_account=account, buyer=buyer, subject="Broken lid (again)")
    MessageFactory(ticket=second, body="The lid cracked.")
    return first, second


def merge(api, survivor, *tickets, **extra):
    return api.post(f"/api/v1/tickets/{survivor.pk}/merge/", {"tickets": [t.pk for t in tickets], **extra})


def test_a_dry_run_answers_what_would_move_and_changes_nothing(alice_api, pair):
    first, second = pair
    response = merge(alice_api, first, second, dry_run=True)
    assert (response.status_code, response.json()["merged"]["messages"]["buyer"]) == (200, 1)
    assert Ticket.objects.get(pk=second.pk).merged_into_id is None


def test_the_merge_moves_the_conversation(alice_api, pair):
    first, second = pair
    assert merge(alice_api, first, second).status_code == 200
    assert list(first.messages.values_list("body", flat=True)) == ["The lid cracked."]


def test_the_merged_ticket_says_where_it_went(alice_api, pair):
    first, second = pair
    merge(alice_api, first, second)
    body = alice_api.get(f"/api/v1/tickets/{second.pk}/").json()
    assert (body["merged_into"], body["status"]) == (first.pk, "closed")


def test_another_buyers_ticket_is_a_400_with_the_reason(alice_api, pair, account):
    first, _ = pair
    stranger = TicketFactory(seller_account=account)
    response = merge(alice_api, first, stranger)
    assert response.status_code == 400
    assert "another buyer's" in response.json()["tickets"][0]


def test_another_accounts_ticket_is_a_404(alice_api, pair, other_account):
    first, _ = pair
    foreign = TicketFactory(seller_account=other_account)
    assert merge(alice_api, first, foreign).status_code == 404


def test_merging_a_merged_ticket_again_is_a_409(alice_api, pair, account):
    first, second = pair
    merge(alice_api, first, second)
    third = TicketFactory(seller_account=account, buyer=first.buyer)
    assert merge(alice_api, third, second).status_code == 409


def test_a_read_key_cannot_merge(bob_read_api, pair):
    first, second = pair
    assert merge(bob_read_api, first, second).status_code == 403


def test_an_empty_list_is_a_400(alice_api, pair):
    first, _ = pair
    assert merge(alice_api, first).status_code == 400
