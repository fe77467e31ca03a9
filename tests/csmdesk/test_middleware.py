"""Request-wide input limits (csmdesk.middleware): a NUL character anywhere in a URL or a
cookie is a 400 for the API, the desk and the admin alike (PostgreSQL refuses NUL in text,
so reaching a lookup it was a 500)."""

import pytest

from tests.api.conftest import KeyClient, make_key
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_api(alice, account):
    return KeyClient(make_key(accounts=[account], scope="agent", created_by=alice)[1])


def test_a_nul_in_an_api_path_segment_is_a_400(alice_api):
    response = alice_api.get("/api/v1/orders/a%00b/")
    assert (response.status_code, response.json()) == (400, {"path": ["Null characters are not allowed."]})


def test_a_nul_in_an_api_query_value_is_a_400_naming_the_parameter(alice_api):
    response = alice_api.get("/api/v1/tickets/?assignee=a%00b")
    assert (response.status_code, response.json()) == (400, {"assignee": ["Null characters are not allowed."]})


def test_a_nul_in_an_api_search_is_a_400(alice_api):
    assert alice_api.get("/api/v1/tickets/?q=a%00b").status_code == 400


def test_a_nul_in_the_desk_queue_search_is_a_400(client, alice):
    client.force_login(alice)
    response = client.get("/?q=a%00b")
    assert (response.status_code, response.content) == (400, b"Null characters are not allowed.")


def test_a_nul_in_the_admin_changelist_search_is_a_400(client, manager):
    client.force_login(manager)
    assert client.get("/admin/tickets/ticket/?q=a%00b").status_code == 400


def test_a_nul_in_an_admin_filter_is_a_400(client, manager):
    client.force_login(manager)
    assert client.get("/admin/tickets/ticket/?assignee__username=a%00b").status_code == 400


def test_a_nul_in_a_session_cookie_is_a_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/").status_code == 400


def test_an_ordinary_search_still_works(client, alice, account):
    client.force_login(alice)
    TicketFactory(seller_account=account, subject="Grinder jammed")
    assert client.get("/?q=Grinder").status_code == 200
