"""The managers' SP-API connections page."""

from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amazon.spapi.models import SpApiConnection
from tests.factories import SellerAccountFactory


def make(n: int) -> None:
    for _ in range(n):
        SpApiConnection.objects.create(
            seller_account=SellerAccountFactory(), selling_partner_id="A1", region="NA", endpoint="http://x"
        )


def queries(client, url) -> int:
    with CaptureQueriesContext(db) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_list_costs_the_same_queries_for_3_or_30_connections(client, manager):
    client.force_login(manager)
    url = reverse("admin:amazon_spapiconnection_changelist")
    make(3)
    queries(client, url)
    with_3 = queries(client, url)
    make(27)
    assert queries(client, url) == with_3


def test_the_connect_page_costs_the_same_queries_for_3_or_30_accounts(client, manager):
    client.force_login(manager)
    url = reverse("admin:amazon_spapiconnection_connect")
    make(3)
    queries(client, url)
    with_3 = queries(client, url)
    make(27)
    assert queries(client, url) == with_3


def test_the_connection_page_never_shows_the_token(client, manager):
    client.force_login(manager)
    make(1)
    connection = SpApiConnection.objects.get()
    connection.refresh_token_set("Atzr|secret-token")
    connection.save()
    page = client.get(reverse("admin:amazon_spapiconnection_change", args=[connection.pk])).content.decode()
    assert "Atzr|secret-token" not in page and connection.refresh_token_encrypted not in page
    assert "stored, encrypted" in page


def test_an_agent_does_not_see_the_connections(client, alice):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    assert client.get(reverse("admin:amazon_spapiconnection_changelist")).status_code == 403
