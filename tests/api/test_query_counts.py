"""Every list costs the same number of queries for 5 rows or 50."""

import pytest

from tests.factories import (
    AtoZClaimFactory,
    ChargebackFactory,
    MessageFactory,
    OrderFactory,
    OrderItemFactory,
    TicketFactory,
)

pytestmark = pytest.mark.django_db


def _fill(account, bob, rows: int) -> None:
    for _ in range(rows):
        order = OrderFactory(seller_account=account)
        OrderItemFactory(order=order)
        ticket = TicketFactory(seller_account=account, order=order, assignee=bob)
        MessageFactory(ticket=ticket)
        AtoZClaimFactory(order=order)
        ChargebackFactory(order=order)


def _queries(api, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tickets/?page_size=100",
        "/api/v1/orders/?page_size=100",
        "/api/v1/messages/?page_size=100",
        "/api/v1/claims/?page_size=100",
        "/api/v1/chargebacks/?page_size=100",
        "/api/v1/seller-accounts/",
    ],
)
def test_a_list_costs_the_same_for_5_rows_or_50(alice_api, account, bob, path, django_assert_max_num_queries):
    _fill(account, bob, 5)
    few = _queries(alice_api, path)
    _fill(account, bob, 45)
    with django_assert_max_num_queries(few):
        response = alice_api.get(path)
    assert response.status_code == 200


def test_the_ticket_list_is_one_query_after_the_key(alice_api, account, bob, django_assert_max_num_queries):
    _fill(account, bob, 20)
    alice_api.get("/api/v1/tickets/")  # the key's first use writes last_used_at
    # The request's savepoint and its release, the key, the page.
    with django_assert_max_num_queries(4):
        alice_api.get("/api/v1/tickets/?page_size=100")
