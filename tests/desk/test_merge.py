"""Merging duplicates from the desk: the preview, the merge, the redirect, bulk merge."""

import pytest

from tests.factories import BuyerFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicates(account, buyer_writes):
    """The same buyer asking twice in two tickets."""
    buyer = BuyerFactory(seller_account=account, name="Jordan Lee")
    first = buyer_writes(account, "Where is my package?", hours_ago=5, buyer=buyer, subject="Package")
    Ticket.objects.filter(pk=first.pk).update(order=None)
    second = Ticket.objects.create(seller_account=account, buyer=buyer, subject="Package again")
    second.messages.create(direction="inbound", body="Hello? Still nothing.")
    return first, second


def test_the_merge_page_lists_the_buyers_other_tickets(alice_client, duplicates):
    first, second = duplicates
    html = alice_client.get(f"/tickets/{first.pk}/merge/").content.decode()
    assert f'name="tickets" value="{second.pk}"' in html


def test_the_preview_says_what_moves_before_anything_does(alice_client, duplicates):
    first, second = duplicates
    response = alice_client.get(f"/tickets/{first.pk}/merge/", {"tickets": second.pk})
    assert "1 buyer message" in response.content.decode()
    assert Ticket.objects.get(pk=second.pk).merged_into_id is None


def test_confirming_merges_and_opens_the_survivor(alice_client, duplicates):
    first, second = duplicates
    response = alice_client.post(f"/tickets/{first.pk}/merge/", {"tickets": second.pk})
    assert response.url == f"/tickets/{first.pk}/"
    assert Ticket.objects.get(pk=second.pk).merged_into_id == first.pk


def test_the_merged_ticket_redirects_to_the_survivor_and_says_so(alice_client, duplicates):
    first, second = duplicates
    alice_client.post(f"/tickets/{first.pk}/merge/", {"tickets": second.pk})
    response = alice_client.get(f"/tickets/{second.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/tickets/{first.pk}/"
    assert f"Ticket #{second.pk} was merged into #{first.pk}" in response.content.decode()


def test_another_buyers_ticket_is_refused_with_a_clear_message(alice_client, account, buyer_writes, duplicates):
    first, _ = duplicates
    stranger = buyer_writes(account)
    response = alice_client.post(f"/tickets/{first.pk}/merge/", {"tickets": stranger.pk})
    assert response.status_code == 400
    assert "another buyer&#x27;s" in response.content.decode()


def test_a_ticket_the_agent_cannot_see_is_not_a_choice(client, charlie, duplicates):
    first, second = duplicates
    client.force_login(charlie)
    assert client.get(f"/tickets/{first.pk}/merge/", {"tickets": second.pk}).status_code == 404


def test_bulk_merge_from_the_queue_previews_into_the_oldest_ticket(alice_client, duplicates):
    first, second = duplicates
    response = alice_client.post("/queue-bulk/", {"tickets": [second.pk, first.pk], "operation": "merge"})
    assert response.url == f"/tickets/{first.pk}/merge/?tickets={second.pk}"
